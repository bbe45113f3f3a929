// What a person would see, measured from the page: computed styles sampled every frame (so a flash
// of an unchecked image cannot slip between two polls), and screenshot sharpness.
import type { Frame, Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import sharp from 'sharp';
import { meganeStates } from './megane-world';

/** One element's history, as the sampler saw it before each paint. */
export interface Seen {
  /** A frame in which the element showed its image uncovered without a verdict. */
  flashes: number;
  /** Frames in which it was covered (blurred, or its backgrounds hidden under a flat fill). */
  covered: number;
  /** Frames in which it was visible. */
  visible: number;
  /** The data-megane value last seen ('covered' or 'shown'). */
  state: string | null;
  filter: string;
  /** When the first flash was seen, for diagnosis. */
  firstFlash?: { at: number; state: string | null; readyState: string; sheets: number };
}

/**
 * Page-world code (inside a sampler's script) defining `beforeEachPaint(sample)`: calls `sample` in every
 * frame just before the paint. That is a ResizeObserver callback: those run after style and layout,
 * after every animation frame callback (Megane's included), right before the frame is painted; a
 * probe whose width flips each frame makes it fire every frame.
 */
export const BEFORE_EACH_PAINT = `
  const beforeEachPaint = (sample) => {
    const probe = document.createElement('megane-sampler-probe');
    probe.style.cssText = 'position: fixed; top: 0; left: 0; height: 1px; width: 0; visibility: hidden; pointer-events: none';
    new ResizeObserver(sample).observe(probe);
    let wide = false;
    const flip = () => {
      if (!probe.isConnected && document.documentElement) document.documentElement.append(probe);
      wide = !wide;
      probe.style.width = wide ? '1px' : '0px';
      requestAnimationFrame(flip);
    };
    requestAnimationFrame(flip);
  };`;

/**
 * Runs in every frame before any page script: in every frame, just before the paint, records for each
 * element (by id, data-file or src) that shows an image whether it is blurred and what Megane's
 * state is. A "flash" is an element whose image is ready to paint, unblurred, while Megane has not
 * declared it safe or revealed.
 *
 * "Just before the paint" is a ResizeObserver callback: those run after style and layout, after
 * every animation frame callback (Megane's included), right before the frame is painted. A probe
 * whose width flips each frame makes it fire every frame. A task posted after the paint instead
 * could run after a stylesheet finished loading and report a background that was never painted.
 */
export const SAMPLER_SCRIPT = `(() => {
${BEFORE_EACH_PAINT}
  const seen = (window.__meganeSeen = {});
  const VERDICT = new Set(['shown']);
  // A CSS image: the element's own background or that of a generated ::before/::after.
  const cssImage = (el) =>
    getComputedStyle(el).backgroundImage.includes('url(') ||
    ['::before', '::after'].some((p) => {
      const style = getComputedStyle(el, p);
      return !['none', 'normal', ''].includes(style.content) && style.backgroundImage.includes('url(');
    });
  const hasImage = (el) => {
    if (el instanceof HTMLImageElement) return el.complete && el.naturalWidth > 0;
    // A video paints once it has a frame, or its poster.
    if (el instanceof HTMLVideoElement) return el.readyState >= 2 || el.hasAttribute('poster');
    if (el instanceof HTMLInputElement || el.localName === 'image') return true;
    return cssImage(el);
  };
  const sample = () => {
    for (const el of document.querySelectorAll('img, input[type=image], video, svg image, [id]')) {
      const key = el.id || el.getAttribute('data-file') || el.getAttribute('src');
      if (!key) continue;
      if (!(el.matches('img, input[type=image], video, svg image') || cssImage(el))) continue;
      const style = getComputedStyle(el);
      const filter = style.filter;
      const state = el.getAttribute('data-megane');
      const record = (seen[key] ??= { flashes: 0, covered: 0, visible: 0, state: null, filter: '' });
      // A picture is blurred; an element that holds words keeps them and has its backgrounds drawn at
      // size 0 over a flat fill (cover-style.ts).
      const blurred = filter.includes('blur') || style.backgroundSize.startsWith('0px 0px');
      if (blurred) record.covered++;
      else {
        record.visible++;
        if (hasImage(el) && !VERDICT.has(state)) {
          record.flashes++;
          record.firstFlash ??= { at: Math.round(performance.now()), state, readyState: document.readyState, sheets: document.styleSheets.length };
        }
      }
      record.state = state;
      record.filter = filter;
    }
  };
  beforeEachPaint(sample);
})();`;

/** What SAMPLER_SCRIPT recorded in the page or frame (a Playwright or a puppeteer one: Firefox's tests use it too). */
export async function seenIn(target: Page | Frame | PuppeteerPage): Promise<Record<string, Seen>> {
  const read = () => (window as unknown as { __meganeSeen?: Record<string, Seen> }).__meganeSeen ?? {};
  // Both drivers' evaluate runs the function in the page and answers its value.
  return (target as Page).evaluate(read);
}

/** The states a test may name, as meganeStates reads them: every visible one reads as 'shown'. */
const AS_READ: Record<string, string> = { safe: 'shown', revealed: 'shown', skip: 'shown', 'error-shown': 'shown' };

/**
 * Waits until every listed element (by id) has one of the given Megane states ('safe', 'revealed',
 * 'skip' and 'error-shown' all read as 'shown': see meganeStates), looking every `everyMs` (a stress
 * test waiting on twenty tabs looks less often, so its own polling does not take the machine's CPU).
 */
export async function waitForStates(
  target: Page | Frame,
  expected: Record<string, string | string[]>,
  timeout = 60_000,
  everyMs = 150,
): Promise<void> {
  const want = Object.entries(expected).map(([id, s]) => [id, (Array.isArray(s) ? s : [s]).map((x) => AS_READ[x] ?? x)] as const);
  const end = Date.now() + timeout;
  let last: Record<string, string | null> = {};
  for (;;) {
    last = await meganeStates(
      target,
      want.map(([id]) => id),
    ).catch(() => last);
    if (want.every(([id, states]) => states.includes(last[id] ?? ''))) return;
    if (Date.now() > end) throw new Error(`waitForStates: wanted ${JSON.stringify(expected)}, have ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function filterOf(target: Page | Frame, selector: string): Promise<string> {
  return target.locator(selector).evaluate((el) => getComputedStyle(el).filter);
}

/**
 * Share of pixels (0..1) on a sharp edge: |Laplacian| of the grey levels above a threshold. A clear
 * photo has many; a blurred one has almost none (its Laplacian is only quantisation noise). Lets a
 * test say "a person sees this image" without trusting our own flags.
 */
export async function sharpness(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  let edges = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = 4 * data[i]! - data[i - 1]! - data[i + 1]! - data[i - width]! - data[i + width]!;
      if (Math.abs(lap) > 12) edges++;
      count++;
    }
  }
  return count === 0 ? 0 : edges / count;
}
