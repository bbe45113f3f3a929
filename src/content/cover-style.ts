// The cover is plain CSS, installed synchronously at document_start, so every image is blurred from
// its first paint: the page never shows an image the scanner has not seen. The background then adds
// the same CSS as user-origin CSS, whose !important no page CSS beats (src/background/user-cover.ts).
// The scanner marks each element with STATE_ATTR, which says no more than the page can see anyway:
// COVERED or SHOWN (what was decided and why stays in the content script); only SHOWN lifts the cover.
import type { CoverStyle } from '../settings/schema';
import { IMAGE_ELEMENT_SELECTOR } from './image-sources';
import { syncMarkerCover } from './list-markers';

export const STATE_ATTR = 'data-megane';
const STYLE_ATTR = 'data-megane-style';
/** The element's image is shown: checked and fine, revealed by the user, or left alone. */
export const SHOWN = 'shown';
/** The element is covered: waiting for its check, or covered by its verdict. */
export const COVERED = 'covered';

const visible = `[${STATE_ATTR}="${SHOWN}"]`;
const covered = `[${STATE_ATTR}="${COVERED}"]`;

/** Elements whose box is all picture: blurring one hides nothing but its image. */
const PICTURE_ELEMENTS = 'img, input[type="image" i], video, object, embed, image';
/** Covered, or an image element not yet shown. */
const pending = `:is(${IMAGE_ELEMENT_SELECTOR}):not(${visible}), ${covered}`;
/** Pending elements with nothing in them but their image: a picture element, or no children at all. */
const picture = `:is(${pending}):is(${PICTURE_ELEMENTS}, :empty:not(input, textarea))`;
/** Pending elements that hold content (text, other elements): only their CSS images are hidden. */
const holder = `:is(${pending}):not(${PICTURE_ELEMENTS}, :empty:not(input, textarea))`;

/**
 * The blur grows with the window: 6% of its longer side, at least 32 px (77 px on a 1280 px window,
 * 115 px at 1920). A fixed 32 px left a picture as large as the window plainly recognisable (2.5% of
 * 1280 px, against 16% of a 200 px thumbnail). CSS cannot read the element's own size; the window's
 * bounds what one picture shows at once. At 10vmax a 200 px thumbnail faded to a blank tile (the blur
 * draws in the transparency around its clipped box); at 6vmax it stays a soft patch of its colours.
 */
const BLUR = 'blur(max(32px, 6vmax)) saturate(0.5)';

/**
 * A picture is blurred. An element that holds content keeps it as it is: a `filter` on it would make it
 * the containing block of its absolutely and fixed positioned descendants (they would jump) and blur
 * its words, so instead every background layer is drawn at size 0 (not at all) over a neutral fill
 * (#767676: 4.5:1 against both black and white text), a border image at width 0, a `content: url()`
 * image far outside its box (the box clips it), and its ::before/::after are blurred on their own.
 * None of these changes the element's size, its descendants' positions, or the computed values
 * image-sources.ts reads (background-image, content, border-image-source).
 */

/** The neutral fill: 4.5:1 against both black and white text. */
const FILL = '#767676';

/** Draws none of an element's own pictures: background layers at size 0, border image at width 0, content image outside the box. */
const NO_PICTURES = `
  background-size: 0 0 !important;
  border-image-width: 0 !important;
  object-position: 1000000px 1000000px !important;`;

/** What a covered picture element (and a holder's ::before/::after) gets in each style. */
const PICTURE_COVER: Record<CoverStyle, string> = {
  blur: `
  filter: ${BLUR} !important;
  clip-path: inset(0) !important;`,
  // The picture is not drawn at all; its box is filled, by an inset shadow too (painted over whatever
  // background is left: Chromium painted no background colour on a covered CSS background in the e2e test).
  tile: `${NO_PICTURES}
  background-color: ${FILL} !important;
  box-shadow: inset 0 0 0 100vmax ${FILL} !important;
  clip-path: inset(0) !important;`,
  hide: `
  opacity: 0 !important;`,
};

/**
 * The cover stylesheet in `style`. Whatever the style, an element that holds content keeps it: its
 * own pictures are not drawn (a neutral fill in their place, none when hiding) and its ::before/::after
 * are covered like pictures.
 */
export function coverCss(style: CoverStyle): string {
  // A tile has no filter or opacity that would take a picture element's ::before/::after with it, and
  // an SVG <image> (no box to fill), an <object>/<embed> showing a document (painted over the fill) and
  // a <canvas> have nothing that moves their picture away: they are not drawn.
  const tileExtras =
    style === 'tile'
      ? `\n:is(${picture}):is(image, object, embed, canvas), :is(${picture})::before, :is(${picture})::after { opacity: 0 !important; }`
      : '';
  return `
${picture} {${PICTURE_COVER[style]}
  transition: none !important;
}${tileExtras}
${holder} {${NO_PICTURES}
  background-color: ${style === 'hide' ? 'transparent' : FILL} !important;
  transition: none !important;
}
:is(${holder})::before, :is(${holder})::after {${PICTURE_COVER[style]}
  background-size: 0 0 !important;
  border-image-width: 0 !important;
  transition: none !important;
}
`;
}

/** The cover every document starts with (before the settings are read): the blur. */
export const COVER_CSS = coverCss('blur');

/** The installed cover: its style can change (the user's choice, once the settings are read). */
export interface InstalledCover {
  setCss(css: string): void;
  remove(): void;
}

/**
 * Installs the cover as an author <style> at once (the first paint is covered), and puts it back
 * whenever the page removes, edits or re-attributes it. Page CSS can still beat it; the user-origin
 * copy the background inserts soon after (user-cover.ts) cannot be beaten.
 */
export function installCoverStyle(doc: Document, initialCss = COVER_CSS): InstalledCover {
  const style = doc.createElement('style');
  style.setAttribute(STYLE_ATTR, '');
  let css = initialCss;
  const put = () => {
    if (style.textContent !== css) style.textContent = css;
    for (const { name } of [...style.attributes]) if (name !== STYLE_ATTR) style.removeAttribute(name);
    // document.open() leaves a document without an element for a moment; the next mutation puts it back.
    const parent = doc.head ?? doc.documentElement;
    if (!style.isConnected && parent) parent.append(style);
  };
  put();
  const observer = new MutationObserver(put);
  observer.observe(doc, { childList: true, subtree: true });
  observer.observe(style, { attributes: true, characterData: true, childList: true, subtree: true });
  return {
    setCss(next) {
      css = next;
      put();
    },
    remove() {
      observer.disconnect();
      style.remove();
    },
  };
}

/** Takes every mark Megane put on the page's elements back off. */
export function clearStates(doc: Document): void {
  for (const el of doc.querySelectorAll(`[${STATE_ATTR}]`)) {
    el.removeAttribute(STATE_ATTR);
    syncMarkerCover(el, false);
  }
}
