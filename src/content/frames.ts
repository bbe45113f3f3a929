// The cover of a frame's document and of every shadow root in it, switched on and off together. A
// frame a script fills with document.open() and document.write() keeps its Document, but
// document.open() empties it, Megane's cover style with it: installCoverStyle puts the style back
// before the next paint whenever it leaves the document, so every image written afterwards, and those
// already hidden, stay covered.
import { installCoverStyle } from './cover-style';
import { setShadowCover } from './shadow-roots';

/** Installs the cover in `doc` and its shadow roots; returns the remover. */
export function installCoverStyleKept(doc: Document): () => void {
  const remove = installCoverStyle(doc);
  setShadowCover(doc, true);
  return () => {
    remove();
    setShadowCover(doc, false);
  };
}
