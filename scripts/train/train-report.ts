// What `npm run bench`'s training part measured (written to docs/bench/train.json) and its markdown
// table. Pure: bench-train.ts prints what this returns, scripts/docs-tables.ts renders it into docs/.
import { machineLine, type MachineFacts } from '../bench-machine';

export interface TrainRow {
  backend: string;
  batch: number;
  /** Images per forward/backward pass (gradients are summed over the batch's passes). */
  microBatch: number;
  /** Seconds for one epoch, training steps only. */
  seconds: number;
  imagesPerSecond: number;
}

export interface TrainBench extends MachineFacts {
  tfjs: string;
  images: number;
  inputSize: number;
  rows: TrainRow[];
}

export function formatTrainReport(bench: TrainBench): string {
  return [
    `## Training model3: one epoch of ${bench.images} synthetic ${bench.inputSize}x${bench.inputSize} images (tfjs ${bench.tfjs})`,
    '',
    machineLine(bench),
    '',
    '| backend | batch | images per pass | s/epoch | images/s | s/image |',
    '|---|---|---|---|---|---|',
    ...bench.rows.map(
      (r) =>
        `| ${r.backend.toUpperCase()} | ${r.batch} | ${r.microBatch} | ${r.seconds.toFixed(1)} | ${r.imagesPerSecond.toFixed(3)} | ${(1 / r.imagesPerSecond).toFixed(2)} |`,
    ),
  ].join('\n');
}
