// Whether canvases are checked, known before the settings load. The content script reads its settings
// from storage, which answers after the page's first scripts may have drawn and painted a canvas. So
// while `checkCanvases` is on the background registers one more content script (entrypoints/
// canvas-flag.content.ts, src/background/canvas-script.ts) that runs at document_start in the same
// isolated world and raises this flag: precover.ts then covers each canvas it meets at once, until
// the scanner's canvas watch has read it. The page cannot see the flag (it lives in Megane's world).
const FLAG = Symbol.for('megane.checkCanvases');

type Flagged = typeof globalThis & { [FLAG]?: boolean };

export function raiseCanvasFlag(): void {
  (globalThis as Flagged)[FLAG] = true;
}

export function canvasFlagRaised(): boolean {
  return (globalThis as Flagged)[FLAG] === true;
}

/** The id and file of the registered content script that raises the flag. */
export const CANVAS_FLAG_SCRIPT = { id: 'megane-canvas-flag', file: 'content-scripts/canvas-flag.js' } as const;
