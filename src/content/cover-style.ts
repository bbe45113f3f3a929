// The cover is plain CSS, installed synchronously at document_start, so every image is blurred from
// its first paint: the page never shows an image the scanner has not seen. The scanner then marks each
// element with STATE_ATTR, and only the visible states lift the cover.
import { COVERED_STATES, VISIBLE_STATES } from './decide';
import { IMAGE_ELEMENT_SELECTOR } from './image-sources';

export const STATE_ATTR = 'data-megane';
/** Set on elements the scanner leaves alone (tiny images, elements without an image). */
export const SKIP_STATE = 'skip';

const visible = [...VISIBLE_STATES, SKIP_STATE].map((s) => `[${STATE_ATTR}="${s}"]`).join(', ');
const covered = COVERED_STATES.map((s) => `[${STATE_ATTR}="${s}"]`).join(', ');

export const COVER_CSS = `
:is(${IMAGE_ELEMENT_SELECTOR}):not(${visible}), :is(${covered}) {
  filter: blur(32px) saturate(0.5) !important;
  clip-path: inset(0) !important;
  transition: none !important;
}
`;

export function installCoverStyle(doc: Document): () => void {
  const style = doc.createElement('style');
  style.setAttribute('data-megane-style', '');
  style.textContent = COVER_CSS;
  (doc.head ?? doc.documentElement).append(style);
  return () => style.remove();
}

/** Takes every mark Megane put on the page's elements back off. */
export function clearStates(doc: Document): void {
  for (const el of doc.querySelectorAll(`[${STATE_ATTR}]`)) el.removeAttribute(STATE_ATTR);
}
