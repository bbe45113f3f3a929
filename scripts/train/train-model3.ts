// `npm run train`: trains the original model ("model3", scripts/train/model3.ts) on a dataset ZIP exported
// from the options page, in Node, and writes a model folder the extension can import:
//
//   DIR/model.json, DIR/weights.bin   the tfjs layers model (outputs logits, one per tag)
//   DIR/megane-model.json             what the model expects and means (src/train/megane-model.ts):
//       {"format": "megane-model", "version": 2, "name", "architecture": "model3", "modelFile": "model.json",
//        "inputSize": 256, "preprocessing": {"resize": "stretch", "scale": "1/255", "channels": "RGB"},
//        "tags": [tag ids in output order], "customTags": [{"id": "user:…", "label"}],
//        "output": "logits", "trainedAt": ms since the epoch,
//        "dataset": {"images", "train", "validation"},
//        "metrics": {tag: {"precision", "recall", "averagePrecision", "positives", "negatives"}},
//        "training": {"epochs", "batchSize", "learningRate", "miningRatio", "seed", "validationFraction",
//                     "validationLoss", "backend"}}
//   DIR/checkpoint/                   the last finished epoch, for --resume (scripts/train/train-loop.ts)
//
// Runs on TensorFlow.js's WASM backend, whose missing convolution gradients are supplied by
// scripts/train/wasm-conv-grads.ts; if one training step still fails there, it says why and uses the CPU
// backend (about 100x slower). Progress goes to stderr, results to stdout.
//
// TensorFlow.js is imported only once the arguments and the dataset have been checked: through vite-node
// it takes some 10 s to load, and a typo should not wait for that.
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { checkTagNames, DatasetError, readTrainingData, type TrainingData } from './dataset';
import { hash32 } from '../../src/util/hash32';
import { MEGANE_MODEL_FILE, parseMeganeModel, type MeganeModelDescriptor, type MeganeTagMetrics } from '../../src/train/megane-model';
import type { EpochReport, Progress, TrainSettings, TrainState } from './train-loop';
import { errorText } from '../../src/util/checks';

/** The modules that need TensorFlow.js, loaded on first use. */
async function heavy() {
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  const [loop, model3, wasm] = await Promise.all([import('./train-loop'), import('./model3'), import('./wasm-conv-grads')]);
  return { tf, ...loop, ...model3, ...wasm };
}
type Heavy = Awaited<ReturnType<typeof heavy>>;

/** model3's default input side (scripts/train/model3.ts MODEL3_INPUT_SIZE; checked against it once loaded). */
const DEFAULT_INPUT_SIZE = 256;

const USAGE = `Usage: npm run train -- --data export.zip --out DIR [options]

Trains the original model ("model3") on a dataset exported from Megane's options page
(Your data > Export dataset) and writes DIR/model.json, DIR/weights.bin and DIR/megane-model.json.

Required:
  --data FILE          the dataset ZIP
  --out DIR            the model folder; DIR/checkpoint/ keeps the last finished epoch for --resume

Options:
  --tags a,b,...       tags to learn, in output order (default: every tag that has positive and
                       negative examples). Tags: the 20 of the vocabulary, e.g. nsfw,like,dislike,photo,
                       and your own from the export as user:<name>, e.g. user:spiders
  --epochs N           epochs in total, also when resuming (default 10)
  --batch B            images per optimizer step (default 16)
  --micro-batch M      images per forward/backward pass, 1..B (default: what fits in WASM memory,
                       2 at 256 px); gradients are summed over the passes of a batch
  --learning-rate LR   Adam's learning rate (default 0.0001)
  --mining-ratio R     hard negative mining: per tag, keep the R x positives hardest negatives
                       (default: off, plain sigmoid cross-entropy)
  --val-fraction F     share of images held out for validation, 0 <= F < 1 (default 0.2)
  --bn-images N        training images batch norm's statistics are recomputed on after each
                       epoch, 0 to keep its running averages (default 128)
  --seed S             seeds the split, shuffling, augmentation and initial weights (default megane)
  --input-size N       input side in pixels (default 256, the model as designed; smaller is faster)
  --name NAME          the model's name in megane-model.json (default model3)
  --backend wasm|cpu   TensorFlow.js backend (default wasm)
  --resume             continue from DIR/checkpoint with the same data, tags, seed, val fraction
                       and input size
  --help               show this text

Exit codes: 0 done, 1 the dataset cannot be trained on or training failed, 2 bad arguments.
Stop with Ctrl-C at any time; --resume continues from the last finished epoch.`;

// ---- arguments

interface Args {
  data: string;
  out: string;
  tags?: string[];
  epochs: number;
  batch: number;
  microBatch?: number;
  learningRate: number;
  miningRatio: number | null;
  valFraction: number;
  /** Unset: train-loop's DEFAULT_BATCH_NORM_IMAGES. */
  bnImages?: number;
  seed: string;
  /** Checked against model3's minimum once TensorFlow.js is loaded. */
  inputSize: number;
  name: string;
  backend: 'wasm' | 'cpu';
  resume: boolean;
  /** Flags given on the command line (to tell a default from a choice when resuming). */
  given: Set<string>;
}

class UsageError extends Error {}

const FLAGS_WITH_VALUES = new Set([
  '--data',
  '--out',
  '--tags',
  '--epochs',
  '--batch',
  '--micro-batch',
  '--learning-rate',
  '--mining-ratio',
  '--val-fraction',
  '--seed',
  '--input-size',
  '--name',
  '--backend',
  '--bn-images',
]);

function parseArgs(argv: readonly string[]): Args | 'help' {
  const values = new Map<string, string>();
  const given = new Set<string>();
  let resume = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--resume') {
      resume = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!FLAGS_WITH_VALUES.has(flag)) throw new UsageError(`unknown argument "${arg}"`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
    if (given.has(flag)) throw new UsageError(`${flag} is given twice`);
    given.add(flag);
    values.set(flag, value);
  }
  const need = (flag: string): string => {
    const v = values.get(flag);
    if (v === undefined || v === '') throw new UsageError(`${flag} is required`);
    return v;
  };
  const int = (flag: string, fallback: number, min: number): number => {
    const raw = values.get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number >= ${min}, got "${raw}"`);
    return n;
  };
  const num = (flag: string, fallback: number, ok: (n: number) => boolean, what: string): number => {
    const raw = values.get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`${flag} must be ${what}, got "${raw}"`);
    return n;
  };

  const backend = values.get('--backend') ?? 'wasm';
  if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got "${backend}"`);
  const tagsRaw = values.get('--tags');
  let tags: string[] | undefined;
  if (tagsRaw !== undefined) {
    try {
      tags = checkTagNames(
        tagsRaw
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
      );
    } catch (error) {
      throw new UsageError(errorText(error));
    }
  }
  const batch = int('--batch', 16, 1);
  const microBatch = values.has('--micro-batch') ? int('--micro-batch', 1, 1) : undefined;
  if (microBatch !== undefined && microBatch > batch) throw new UsageError(`--micro-batch ${microBatch} is more than --batch ${batch}`);
  const miningRaw = values.get('--mining-ratio');
  const args: Args = {
    data: need('--data'),
    out: need('--out'),
    epochs: int('--epochs', 10, 1),
    batch,
    learningRate: num('--learning-rate', 1e-4, (n) => n > 0 && n < 1, 'a number between 0 and 1'),
    miningRatio: miningRaw === undefined ? null : num('--mining-ratio', 0, (n) => n > 0, 'a number > 0'),
    valFraction: num('--val-fraction', 0.2, (n) => n >= 0 && n < 1, 'a number with 0 <= F < 1'),
    seed: values.get('--seed') ?? 'megane',
    inputSize: int('--input-size', DEFAULT_INPUT_SIZE, 1),
    name: values.get('--name') ?? 'model3',
    backend,
    resume,
    given,
  };
  if (tags) args.tags = tags;
  if (microBatch !== undefined) args.microBatch = microBatch;
  if (values.has('--bn-images')) args.bnImages = int('--bn-images', 0, 0);
  if (args.name.trim() === '') throw new UsageError('--name must not be empty');
  return args;
}

// ---- output

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line on stderr, rewritten in place on a terminal; a line per tenth of the epoch otherwise. */
class ProgressBar {
  private lastTenth = -1;
  private readonly tty = process.stderr.isTTY === true;

  update(p: Progress): void {
    const width = 24;
    const filled = Math.round((p.images / p.imagesTotal) * width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
    const rate = p.images / Math.max(p.elapsedSeconds, 1e-9);
    const line =
      `epoch ${p.epoch}/${p.epochs} [${bar}] ${p.images}/${p.imagesTotal} images  loss ${p.loss.toFixed(4)}  ` +
      `${rate.toFixed(2)} img/s  ETA ${duration(p.etaSeconds)}`;
    if (this.tty) {
      process.stderr.write(`\r${line}\u001b[K`);
      return;
    }
    const tenth = Math.floor((p.images / p.imagesTotal) * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      process.stderr.write(`${line}\n`);
    }
  }

  end(): void {
    if (this.tty) process.stderr.write('\r\u001b[K');
    this.lastTenth = -1;
  }
}

const fmt = (v: number | null) => (v === null ? '   -  ' : v.toFixed(3).padStart(6));

function metricsTable(metrics: Record<string, MeganeTagMetrics>, tags: readonly string[]): string {
  const width = Math.max(4, ...tags.map((t) => t.length));
  const lines = [`  ${'tag'.padEnd(width)}  precision  recall     AP    pos   neg`];
  for (const tag of tags) {
    const m = metrics[tag];
    if (!m) continue;
    lines.push(
      `  ${tag.padEnd(width)}     ${fmt(m.precision)}  ${fmt(m.recall)}  ${fmt(m.averagePrecision)}  ${String(m.positives).padStart(5)} ${String(m.negatives).padStart(5)}`,
    );
  }
  return lines.join('\n');
}

function epochSummary(r: EpochReport, tags: readonly string[]): string {
  const val = r.validationLoss === null ? 'no validation images' : `validation loss ${r.validationLoss.toFixed(4)}`;
  return `epoch ${r.epoch}: train loss ${r.trainLoss.toFixed(4)}, ${val}, ${duration(r.seconds)} (${r.imagesPerSecond.toFixed(2)} img/s)\n${metricsTable(r.metrics, tags)}`;
}

function dataSummary(data: TrainingData): string {
  const width = Math.max(4, ...data.tags.map((t) => t.length));
  const lines = [
    `${data.source}: ${data.images} images, ${data.train.length} for training, ${data.validation.length} for validation`,
    `  ${'tag'.padEnd(width)}  train +/-/?     validation +/-/?`,
  ];
  for (const tag of data.tags) {
    const c = data.counts[tag];
    if (!c) continue;
    const three = (x: { positives: number; negatives: number; unknown: number }) => `${x.positives}/${x.negatives}/${x.unknown}`.padEnd(15);
    lines.push(`  ${tag.padEnd(width)}  ${three(c.train)}  ${three(c.validation)}`);
  }
  return lines.join('\n');
}

// ---- backend

async function startBackend(h: Heavy, wanted: 'wasm' | 'cpu'): Promise<string> {
  const { tf, registerWasmConvGradients, trainingProbe } = h;
  if (wanted === 'wasm') {
    registerWasmConvGradients();
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      const problem = await trainingProbe();
      if (problem === null) return 'wasm';
      console.error(`training does not run on the WASM backend (${problem}); using the CPU backend, which is much slower`);
    } else {
      console.error('the WASM backend did not start; using the CPU backend, which is much slower');
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  const problem = await trainingProbe();
  if (problem !== null) throw new Error(`training does not run on the CPU backend either: ${problem}`);
  return 'cpu';
}

// ---- main

async function main(argv: readonly string[]): Promise<number> {
  let parsed: Args | 'help';
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`train: ${error.message}\nRun with --help for usage.`);
      return 2;
    }
    throw error;
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  const args = parsed;
  const usage = (message: string): number => {
    console.error(`train: ${message}\nRun with --help for usage.`);
    return 2;
  };

  let zip: Uint8Array;
  try {
    zip = new Uint8Array(await readFile(args.data));
  } catch (error) {
    return usage(`--data ${args.data}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  const out = resolve(args.out);

  // Resume, or refuse to overwrite an earlier run's checkpoint.
  let h: Heavy | null = null;
  let state: TrainState | null = null;
  const hasCheckpoint = existsSync(join(out, 'checkpoint')) || existsSync(join(out, 'checkpoint.old'));
  if (hasCheckpoint && !args.resume)
    return usage(`${args.out} already has a checkpoint of an earlier run; pass --resume to continue it, or choose another --out`);
  if (args.resume) {
    h = await heavy();
    try {
      state = await h.readCheckpointState(out);
    } catch (error) {
      console.error(`train: ${errorText(error)}`);
      return 1;
    }
    if (!state) return usage(`--resume: ${args.out} has no checkpoint to continue`);
  }
  if (state) {
    const same: Array<[string, unknown, unknown]> = [
      ['--tags', args.tags?.join(','), state.tags.join(',')],
      ['--seed', args.seed, state.settings.seed],
      ['--val-fraction', args.valFraction, state.settings.validationFraction],
      ['--input-size', args.inputSize, state.settings.inputSize],
    ];
    for (const [flag, mine, theirs] of same) {
      if (args.given.has(flag) && mine !== theirs)
        return usage(`--resume: the checkpoint was trained with ${flag} ${String(theirs)}, not ${String(mine)}`);
    }
    args.tags = state.tags;
    args.seed = state.settings.seed;
    args.valFraction = state.settings.validationFraction;
    args.inputSize = state.settings.inputSize;
    // Settings that may change on resume keep the checkpoint's value unless given again.
    if (!args.given.has('--batch')) args.batch = state.settings.batchSize;
    if (!args.given.has('--micro-batch') && state.settings.microBatch <= args.batch) args.microBatch = state.settings.microBatch;
    if (!args.given.has('--learning-rate')) args.learningRate = state.settings.learningRate;
    if (!args.given.has('--mining-ratio')) args.miningRatio = state.settings.miningRatio;
    if (!args.given.has('--bn-images') && state.settings.batchNormImages !== undefined) args.bnImages = state.settings.batchNormImages;
  }

  let data: TrainingData;
  try {
    data = await readTrainingData(zip, { source: args.data, tags: args.tags, validationFraction: args.valFraction, seed: args.seed });
  } catch (error) {
    if (error instanceof DatasetError) {
      console.error(`train: ${error.message}`);
      return error.kind === 'usage' ? 2 : 1;
    }
    throw error;
  }
  for (const warning of data.warnings) console.error(`warning: ${warning}`);
  if (state && state.dataset.images !== data.images) {
    console.error(`warning: the checkpoint was trained on ${state.dataset.images} images, ${args.data} has ${data.images}`);
  }

  h ??= await heavy();
  const { tf } = h;
  if (args.inputSize < h.MODEL3_MIN_INPUT_SIZE)
    return usage(`--input-size must be at least ${h.MODEL3_MIN_INPUT_SIZE} (model3's last pooling needs it), got ${args.inputSize}`);
  if (DEFAULT_INPUT_SIZE !== h.MODEL3_INPUT_SIZE) throw new Error('DEFAULT_INPUT_SIZE is out of step with MODEL3_INPUT_SIZE');
  console.log(dataSummary(data));

  const backend = await startBackend(h, args.backend);
  const settings: TrainSettings = {
    inputSize: args.inputSize,
    epochs: args.epochs,
    batchSize: args.batch,
    microBatch: args.microBatch ?? h.defaultMicroBatch(args.inputSize, args.batch),
    learningRate: args.learningRate,
    miningRatio: args.miningRatio,
    seed: args.seed,
  };
  if (args.bnImages !== undefined) settings.batchNormImages = args.bnImages;
  console.log(
    `backend ${backend}; input ${settings.inputSize}x${settings.inputSize}, batch ${settings.batchSize} in passes of ${settings.microBatch}, ` +
      `Adam ${settings.learningRate}, ${settings.miningRatio === null ? 'sigmoid cross-entropy' : `hard negative mining x${settings.miningRatio}`}`,
  );

  let model: Tf.LayersModel;
  let optimizer: Tf.AdamOptimizer;
  let history: EpochReport[];
  let initialValidationLoss: number | null;
  const startEpoch = state?.epochsDone ?? 0;
  if (state) {
    ({ model, optimizer } = await h.loadCheckpoint(out, state, settings.learningRate));
    history = state.history;
    initialValidationLoss = state.initialValidationLoss;
    console.log(`resuming after epoch ${startEpoch} of ${args.out}`);
  } else {
    model = h.buildModel3({ numClasses: data.tags.length, inputSize: settings.inputSize, seed: hash32(`${settings.seed}\u0000init`) });
    optimizer = tf.train.adam(settings.learningRate);
    history = [];
    initialValidationLoss = (await h.evaluate(model, data, settings.inputSize, { batchSize: settings.microBatch })).loss;
    console.log(`epoch 0 (untrained): validation loss ${initialValidationLoss === null ? '-' : initialValidationLoss.toFixed(4)}`);
  }

  const bar = new ProgressBar();
  const datasetInfo = { source: args.data, images: data.images, train: data.train.length, validation: data.validation.length };
  if (startEpoch >= settings.epochs)
    console.log(`the checkpoint already has ${startEpoch} epochs (--epochs ${settings.epochs}); writing the model`);
  await h.runTraining({
    model,
    optimizer,
    data,
    settings,
    startEpoch,
    onProgress: (p) => bar.update(p),
    onEpoch: async (report) => {
      bar.end();
      history.push(report);
      console.log(epochSummary(report, data.tags));
      await h.saveCheckpoint(out, model, optimizer, {
        epochsDone: report.epoch,
        tags: [...data.tags],
        settings: { ...settings, validationFraction: args.valFraction },
        dataset: datasetInfo,
        initialValidationLoss,
        history,
      });
    },
  });

  const last = history.at(-1);
  const descriptor: MeganeModelDescriptor = {
    format: 'megane-model',
    version: 2,
    name: args.name.trim(),
    architecture: 'model3',
    modelFile: 'model.json',
    inputSize: settings.inputSize,
    preprocessing: h.MODEL3_PREPROCESSING,
    tags: [...data.tags],
    customTags: data.customTags,
    output: 'logits',
    trainedAt: Date.now(),
    dataset: { images: data.images, train: data.train.length, validation: data.validation.length },
    metrics: last?.metrics ?? {},
    training: {
      epochs: last?.epoch ?? 0,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      miningRatio: settings.miningRatio,
      seed: settings.seed,
      validationFraction: args.valFraction,
      validationLoss: last?.validationLoss ?? initialValidationLoss,
      backend,
    },
  };
  parseMeganeModel(JSON.parse(JSON.stringify(descriptor))); // what the extension will check
  await writeModelFolder(h, out, model, descriptor);
  console.log(`wrote ${join(args.out, 'model.json')}, weights.bin and ${MEGANE_MODEL_FILE}`);
  return 0;
}

/** model.json + weights.bin + megane-model.json in DIR, each written beside and renamed into place. */
async function writeModelFolder(h: Heavy, out: string, model: Tf.LayersModel, descriptor: MeganeModelDescriptor): Promise<void> {
  const tmp = join(out, '.model.tmp');
  await rm(tmp, { recursive: true, force: true });
  await model.save(h.fileModelSaver(tmp));
  await writeFile(join(tmp, MEGANE_MODEL_FILE), `${JSON.stringify(descriptor, null, 2)}\n`);
  for (const file of ['weights.bin', 'model.json', MEGANE_MODEL_FILE]) await rename(join(tmp, file), join(out, file));
  await rm(tmp, { recursive: true, force: true });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`train: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
