// Training speed of model3 (scripts/train/model3.ts): images per second for one epoch of synthetic 256x256
// images at batch 16 and 32, as `npm run train` runs it (Adam, gradients summed over passes of
// defaultMicroBatch images). Prints a markdown table and writes the raw numbers to docs/bench/train.json
// (`npm run docs` renders them into docs/). Decoding is not timed: the pixels are made up.
//
//   npx vite-node scripts/train/bench-train.ts
//   npx vite-node scripts/train/bench-train.ts -- --images 64 --batches 16,32 --backends wasm,cpu --input-size 256
//
// Each row first runs one unmeasured pass (the WASM heap grows and XNNPACK sets up its operators there).
// CPU is about 100x slower than WASM here; ask for it with --backends wasm,cpu and few --images.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { TrainingExample } from './dataset';
import { buildModel3, MODEL3_INPUT_SIZE } from './model3';
import { defaultMicroBatch, runTraining, type PixelSource } from './train-loop';
import { registerWasmConvGradients } from './wasm-conv-grads';
import { TAG_IDS } from '../../src/tags/vocabulary';
import { errorText } from '../../src/util/checks';
import { machineFacts } from '../bench-machine';
import { formatTrainReport, type TrainBench, type TrainRow } from './train-report';

const JSON_OUT = resolve(import.meta.dirname, '..', '..', 'docs', 'bench', 'train.json');

interface Args {
  images: number;
  batches: number[];
  backends: string[];
  inputSize: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { images: 32, batches: [16, 32], backends: ['wasm'], inputSize: MODEL3_INPUT_SIZE };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    const ints = (v: string | undefined) => (v ?? '').split(',').map(Number);
    if (flag === '--images') args.images = Number(value);
    else if (flag === '--batches') args.batches = ints(value);
    else if (flag === '--backends') args.backends = (value ?? '').split(',');
    else if (flag === '--input-size') args.inputSize = Number(value);
    else
      throw new Error(
        `unknown argument ${argv[i - (inline === undefined ? 1 : 0)]} (use --images N --batches 16,32 --backends wasm,cpu --input-size 256)`,
      );
  }
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  if (!positive(args.images) || !args.batches.every(positive) || !positive(args.inputSize))
    throw new Error('numbers must be positive integers');
  for (const b of args.backends) if (b !== 'wasm' && b !== 'cpu') throw new Error(`unknown backend ${b} (wasm or cpu)`);
  return args;
}

/** Deterministic noise, so every run trains on the same pixels. */
const syntheticPixels: PixelSource = async (examples, size) => {
  const out = new Uint8Array(examples.length * size * size * 3);
  let x = 12345;
  for (let i = 0; i < out.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
};

async function measure(backend: string, batch: number, args: Args): Promise<TrainRow> {
  await tf.setBackend(backend);
  await tf.ready();
  const tags = [...TAG_IDS];
  const examples: TrainingExample[] = Array.from({ length: args.images }, (_, i) => ({
    key: `synthetic-${i}`,
    file: `synthetic-${i}`,
    bytes: new Uint8Array(0),
    labels: tags.map((_, j) => ((i + j) % 3 === 0 ? 1 : 0)),
  }));
  const microBatch = defaultMicroBatch(args.inputSize, batch);
  const model = buildModel3({ numClasses: tags.length, inputSize: args.inputSize, seed: 1 });
  const optimizer = tf.train.adam(1e-4);
  // No batch-norm recalibration and no validation: the training steps alone.
  const settings = {
    inputSize: args.inputSize,
    batchSize: batch,
    microBatch,
    learningRate: 1e-4,
    miningRatio: null,
    seed: 'bench',
    batchNormImages: 0,
  };
  // Warm-up: one pass, not timed.
  await runTraining({
    model,
    optimizer,
    data: { tags, train: examples.slice(0, microBatch), validation: [] },
    settings: { ...settings, epochs: 1, batchSize: microBatch },
    pixels: syntheticPixels,
  });
  const started = performance.now();
  await runTraining({
    model,
    optimizer,
    data: { tags, train: examples, validation: [] },
    settings: { ...settings, epochs: 1 },
    pixels: syntheticPixels,
    onProgress: (p) => process.stderr.write(`\r${backend} batch ${batch}: ${p.images}/${p.imagesTotal} images`),
  });
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write('\n');
  model.dispose();
  optimizer.dispose();
  return { backend, batch, microBatch, seconds, imagesPerSecond: args.images / seconds };
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`bench-train: ${errorText(error)}`);
    process.exit(2);
  }
  // Before our own work adds to it: how busy the machine already was.
  const machine = machineFacts();
  registerWasmConvGradients();
  const rows: TrainRow[] = [];
  for (const backend of args.backends) for (const batch of args.batches) rows.push(await measure(backend, batch, args));
  const bench: TrainBench = { ...machine, tfjs: tf.version_core, images: args.images, inputSize: args.inputSize, rows };
  mkdirSync(dirname(JSON_OUT), { recursive: true });
  writeFileSync(JSON_OUT, `${JSON.stringify(bench, null, 2)}\n`);
  process.stderr.write(`results written to ${JSON_OUT}\n`);
  console.log(`\n${formatTrainReport(bench)}`);
}

await main();
