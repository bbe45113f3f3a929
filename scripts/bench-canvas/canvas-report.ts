// What `npm run bench`'s canvas part measured (written to docs/bench/canvas.json) and its markdown table.
// Pure: bench-canvas.ts prints what this returns, scripts/docs-tables.ts renders it into docs/.
import { machineLine, type MachineFacts } from '../bench-machine';

export interface CanvasBench extends MachineFacts {
  chromium: string;
  /** How often a canvas on screen is read for a redraw (canvas-fingerprint.ts). */
  visibleSampleMs: number;
  /** How often one on screen is read for a moment after the user's input. */
  inputSampleMs: number;
  hiddenSampleMs: number;
  sizes: { width: number; height: number; sampleMs: number; rasteriseMs: number }[];
}

const ms = (n: number) => (n < 1 ? n.toFixed(2) : n.toFixed(1));

export function formatCanvasReport(bench: CanvasBench): string {
  const perSecond = 1000 / bench.visibleSampleMs;
  const hiddenPerSecond = 1000 / bench.hiddenSampleMs;
  const inputPerSecond = 1000 / bench.inputSampleMs;
  return [
    `## Canvases: cost of watching for redraws (headless Chromium ${bench.chromium}, no GPU)`,
    '',
    machineLine(bench),
    '',
    `With "Check drawings on canvas" on, each canvas on screen is read ${perSecond} times a second (${inputPerSecond} times for a moment after the user's click, key, wheel or touch; off screen ${hiddenPerSecond} times); each read draws it down to 32 x 32 and hashes that. A redraw adds one rasterisation at model size in the page, then the model run in the offscreen document (see the tag costs above).`,
    '',
    '| canvas (px) | ms per read | main thread per canvas on screen (ms/s) | just after input (ms/s) | off screen (ms/s) | per redraw: rasterise + PNG (ms) |',
    '|---|---|---|---|---|---|',
    ...bench.sizes.map(
      (s) =>
        `| ${s.width} x ${s.height} | ${ms(s.sampleMs)} | ${ms(s.sampleMs * perSecond)} | ${ms(s.sampleMs * inputPerSecond)} | ${ms(s.sampleMs * hiddenPerSecond)} | ${ms(s.rasteriseMs)} |`,
    ),
  ].join('\n');
}
