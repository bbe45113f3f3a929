// Bundled by bench-canvas.ts into the bench page: times canvas-watch.ts's own code in Chromium, on a
// page canvas of each size that is redrawn before every read (so nothing is cached).
import { drawingKey } from '../../src/content/canvas-fingerprint';
import { createFingerprintReader } from '../../src/content/canvas-watch';
import { createClassifyClient } from '../../src/content/classify-client';

export interface SizeTiming {
  width: number;
  height: number;
  /** Mean ms of one look for a redraw: the 32 x 32 fingerprint read and its key. */
  sampleMs: number;
  /** Mean ms of what a redraw adds in the page: the drawing rasterised at model size as a PNG. */
  rasteriseMs: number;
}

// A mean, not a median: the page's clock ticks in steps of 0.1 ms, and a mean of many ticks averages them out.
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function paint(canvas: HTMLCanvasElement, seed: number): void {
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  for (let i = 0; i < 40; i++) {
    context.fillStyle = `hsl(${(seed * 37 + i * 53) % 360}, 60%, ${30 + (i % 5) * 10}%)`;
    context.fillRect(((seed + i) * 97) % canvas.width, ((seed + i) * 61) % canvas.height, canvas.width / 4, canvas.height / 6);
  }
  // Chromium records 2D drawing and runs it at the next read: run it now, so the page's own drawing
  // is not counted as Megane's read.
  context.getImageData(0, 0, 1, 1);
}

async function run(sizes: [number, number][], reps: number): Promise<SizeTiming[]> {
  const reader = createFingerprintReader();
  // Answers at once: only the page's own work (rasterise and PNG encode) is timed, not the model.
  const client = createClassifyClient(async () => ({ ok: false, error: 'bench' }) as never);
  const out: SizeTiming[] = [];
  for (const [width, height] of sizes) {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    document.body.append(canvas);
    const samples: number[] = [];
    const rasters: number[] = [];
    for (let i = 0; i < reps; i++) {
      paint(canvas, i);
      const start = performance.now();
      const print = reader.read(canvas);
      if (print !== 'unreadable') drawingKey(print);
      samples.push(performance.now() - start);
      const before = performance.now();
      void client.classifyElementPixels(`bench-${width}-${i}`, canvas, { model: 'mobilenet_v2_mid', trainedModel: null }, []);
      rasters.push(performance.now() - before);
    }
    canvas.remove();
    out.push({ width, height, sampleMs: mean(samples.slice(2)), rasteriseMs: mean(rasters.slice(2)) });
  }
  return out;
}

(window as unknown as { runCanvasBench: typeof run }).runCanvasBench = run;
