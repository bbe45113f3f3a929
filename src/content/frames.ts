// What a frame's document needs beyond the cover style installed once. A frame a script fills with
// document.open() and document.write() keeps its Document (and Megane's observers on it, and the
// content script that already ran), but document.open() empties it, Megane's cover style with it:
// every image written afterwards, and those already hidden, would paint uncovered. The style goes
// back before the next paint whenever the document element is replaced. The cover of the document's
// shadow roots (shadow-roots.ts) is switched on and off with the document's.
import { installCoverStyle } from './cover-style';
import { setShadowCover } from './shadow-roots';

/** Installs the cover style in `doc` and keeps it there across document.open(); returns the remover. */
export function installCoverStyleKept(doc: Document): () => void {
  let remove = installCoverStyle(doc);
  setShadowCover(doc, true);
  const observer = new MutationObserver(() => {
    if (doc.documentElement && !doc.querySelector('style[data-megane-style]')) {
      remove();
      remove = installCoverStyle(doc);
    }
  });
  // The document's own children only: document.open() replaces the document element.
  observer.observe(doc, { childList: true });
  return () => {
    observer.disconnect();
    remove();
    setShadowCover(doc, false);
  };
}
