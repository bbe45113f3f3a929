// The cover of a frame's document and of every shadow root in it, switched on and off together and
// drawn in the same style. A frame a script fills with document.open() and document.write() keeps its
// Document, but document.open() empties it, Megane's cover style with it: installCoverStyle puts the
// style back before the next paint whenever it leaves the document, so every image written afterwards,
// and those already hidden, stay covered.
import type { CoverStyle } from '../settings/schema';
import { COVER_CSS, coverCss, installCoverStyle } from './cover-style';
import { setShadowCover } from './shadow-roots';

export interface KeptCover {
  /** Draws covered pictures in `style` from now on, in the document and its shadow roots. */
  setStyle(style: CoverStyle): void;
  remove(): void;
}

/** Installs the cover in `doc` and its shadow roots (blurred until told the user's style). */
export function installCoverStyleKept(doc: Document): KeptCover {
  const installed = installCoverStyle(doc);
  setShadowCover(doc, COVER_CSS);
  return {
    setStyle(style) {
      const css = coverCss(style);
      installed.setCss(css);
      setShadowCover(doc, css);
    },
    remove() {
      installed.remove();
      setShadowCover(doc, '');
    },
  };
}
