// Training model3 in Node: epochs of Adam steps over seeded, augmented batches, the validation loss and
// per-tag metrics after every epoch, and a checkpoint after every epoch that --resume continues from.
//
// Loss (src/train/loss.ts): sigmoid cross-entropy averaged over the known labels of the batch, or with
// --mining-ratio, hard negative mining per tag. A label the marks say nothing about (dataset.ts) is left
// out: its loss is 0 and it is neither a positive nor a negative.
//
// Batches larger than memory allows. tfjs keeps every intermediate tensor of a step until its gradients
// are done; at 256x256 that is about 0.8 GB per image, and the WASM heap stops at 4 GB. So a batch of
// `batchSize` images is run as passes of `microBatch` images whose gradients are summed before one Adam
// step: the same gradient as one pass over the batch, except that batch norm sees the statistics of each
// pass (and updates its running averages once per pass). With mining and several passes, which negatives
// are the hardest is decided first on the whole batch's logits (one pass without gradients, inference
// mode), then every pass weighs its losses by that choice: the loss is the same as hardNegativeMiningLoss
// on the batch (tested), at the cost of one extra forward pass.
//
// Batch norm at inference uses running averages of the batch statistics, which trail far behind on a
// short run: they start at mean 0 / variance 1 and the activations keep changing as the weights move
// (measured on the gallery run: a running variance of 0.95 against a true 0.07 after one epoch, and
// validation predictions worse than chance because of it). So after every epoch they are recomputed on
// up to `batchNormImages` training images with the current weights ("precise BN": one forward pass in
// training mode on the images as inference sees them, not augmented; per-channel mean and variance over
// all pixels of all those images), and validation and the saved model use those.
//
// Checkpoints (DIR/checkpoint/): model.json + weights.bin (the layers model), optimizer.bin (Adam's
// moments) and state.json (epochs done, settings, history). Written to checkpoint.tmp/ and swapped in,
// so a crash while saving leaves the previous checkpoint.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { batchPixels, epochOrder, type Label, type TrainingExample } from './dataset';
import type { MeganeTagMetrics } from '../../src/train/megane-model';
import { hardNegativeMiningLoss, sigmoidCrossEntropy } from '../../src/train/loss';
import { tagMetrics } from './metrics';
import { buildModel3, pixelsToInput } from './model3';
import { errorText } from '../../src/util/checks';

export interface TrainSettings {
  inputSize: number;
  /** Epochs to reach in total (a resumed run continues to this number). */
  epochs: number;
  /** Images per Adam step. */
  batchSize: number;
  /** Images per forward/backward pass (<= batchSize); see the header. */
  microBatch: number;
  learningRate: number;
  /** null: plain sigmoid cross-entropy; a number: hard negative mining with this ratio. */
  miningRatio: number | null;
  /** Shuffling and augmentation (and, through the caller, the split and initial weights). */
  seed: string;
  /** Training images the batch-norm statistics are recomputed on after each epoch; 0 = keep the running averages. Default 128. */
  batchNormImages?: number;
}

export const DEFAULT_BATCH_NORM_IMAGES = 128;

export interface EpochReport {
  /** 1-based. */
  epoch: number;
  /** Mean training loss of the epoch's steps (the loss that was minimised). */
  trainLoss: number;
  /** Mean sigmoid cross-entropy over the known validation labels; null without validation images. */
  validationLoss: number | null;
  metrics: Record<string, MeganeTagMetrics>;
  seconds: number;
  /** Training images per second (the validation pass not counted). */
  imagesPerSecond: number;
}

export interface Progress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  /** Training images done in this epoch, of `imagesTotal`. */
  images: number;
  imagesTotal: number;
  /** Mean loss of this epoch's steps so far. */
  loss: number;
  elapsedSeconds: number;
  /** Seconds left in this epoch at the speed so far (training only). */
  etaSeconds: number;
}

export interface TrainData {
  tags: readonly string[];
  train: readonly TrainingExample[];
  validation: readonly TrainingExample[];
}

/** Pixels for a batch; the default decodes with sharp (dataset.ts). Tests and the bench pass their own. */
export type PixelSource = (
  examples: readonly TrainingExample[],
  size: number,
  augment?: { seed: string; epoch: number },
) => Promise<Uint8Array>;

export interface RunOptions {
  model: tf.LayersModel;
  optimizer: tf.AdamOptimizer;
  data: TrainData;
  settings: TrainSettings;
  /** Epochs already done (0 for a fresh run); training runs epochs startEpoch + 1 .. settings.epochs. */
  startEpoch?: number;
  pixels?: PixelSource;
  onProgress?: (progress: Progress) => void;
  /** Called after each epoch, before the next starts (write the checkpoint here). */
  onEpoch?: (report: EpochReport) => Promise<void> | void;
  signal?: AbortSignal;
}

/** Images per pass, by input side: about 1.6 GB of activations (0.8 GB per 256x256 image, measured on WASM). */
export function defaultMicroBatch(inputSize: number, batchSize: number): number {
  const perImage = 0.8e9 * (inputSize / 256) ** 2;
  return Math.max(1, Math.min(batchSize, Math.floor(1.6e9 / perImage)));
}

/** Runs the epochs; returns their reports. */
export async function runTraining(options: RunOptions): Promise<EpochReport[]> {
  const { model, optimizer, data, settings, onProgress, onEpoch, signal } = options;
  const pixels = options.pixels ?? batchPixels;
  checkSettings(settings);
  const reports: EpochReport[] = [];
  const k = data.tags.length;
  for (let epoch = (options.startEpoch ?? 0) + 1; epoch <= settings.epochs; epoch++) {
    const started = performance.now();
    const order = epochOrder(data.train, settings.seed, epoch);
    const steps = Math.ceil(order.length / settings.batchSize);
    let lossSum = 0;
    let done = 0;
    // Decode the next batch while this one trains (sharp works on its own threads). A decoding error is
    // thrown where the batch is awaited; the no-op catch only keeps Node from calling it unhandled before.
    const prefetch = (from: number) => {
      const promise = pixels(order.slice(from, from + settings.batchSize), settings.inputSize, { seed: settings.seed, epoch });
      promise.catch(() => undefined);
      return promise;
    };
    let next = prefetch(0);
    for (let step = 0; step < steps; step++) {
      if (signal?.aborted) throw new Error('training stopped');
      const batch = order.slice(step * settings.batchSize, (step + 1) * settings.batchSize);
      const batchPixelsNow = await next;
      if (step + 1 < steps) next = prefetch((step + 1) * settings.batchSize);
      const loss = await trainStep(
        model,
        optimizer,
        batchPixelsNow,
        batch.map((e) => e.labels),
        settings,
        k,
      );
      lossSum += loss;
      done += batch.length;
      const elapsed = (performance.now() - started) / 1000;
      onProgress?.({
        epoch,
        epochs: settings.epochs,
        step: step + 1,
        steps,
        images: done,
        imagesTotal: order.length,
        loss: lossSum / (step + 1),
        elapsedSeconds: elapsed,
        etaSeconds: (elapsed / done) * (order.length - done),
      });
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const calibration = order.slice(0, settings.batchNormImages ?? DEFAULT_BATCH_NORM_IMAGES);
    await recalibrateBatchNorm(model, calibration, settings.inputSize, { batchSize: settings.microBatch, pixels });
    const evaluation = await evaluate(model, data, settings.inputSize, { batchSize: settings.microBatch, pixels });
    const report: EpochReport = {
      epoch,
      trainLoss: lossSum / steps,
      validationLoss: evaluation.loss,
      metrics: evaluation.metrics,
      seconds: (performance.now() - started) / 1000,
      imagesPerSecond: order.length / trainSeconds,
    };
    reports.push(report);
    await onEpoch?.(report);
  }
  return reports;
}

/**
 * One Adam step on a batch: `pixels` holds labels.length images (inputSize^2 * 3 RGB bytes each). Returns
 * the batch's loss (before the step).
 */
export async function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  pixels: Uint8Array,
  labels: ReadonlyArray<readonly Label[]>,
  settings: Pick<TrainSettings, 'inputSize' | 'microBatch' | 'miningRatio'>,
  numTags: number,
): Promise<number> {
  const n = labels.length;
  const size = settings.inputSize;
  const { z, mask } = labelArrays(labels, numTags);
  const known = mask.reduce((a, b) => a + b, 0);
  if (known === 0) return 0; // nothing in this batch says anything about the chosen tags
  const passes = Math.ceil(n / settings.microBatch);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const imageBytes = size * size * 3;
  const slice = (i: number) => {
    const from = i * settings.microBatch;
    const to = Math.min(n, from + settings.microBatch);
    return { from, to, x: pixelsToInput(pixels.subarray(from * imageBytes, to * imageBytes), to - from, size) };
  };

  // Mining over several passes: choose the hardest negatives on the whole batch first.
  let weights: Float32Array | null = null;
  if (settings.miningRatio !== null && passes > 1) {
    const logits = new Float32Array(n * numTags);
    for (let i = 0; i < passes; i++) {
      const { from, x } = slice(i);
      const out = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
      logits.set(await out.data(), from * numTags);
      tf.dispose([x, out]);
    }
    weights = miningWeights(logits, z, mask, n, numTags, settings.miningRatio);
  }

  let sum: tf.NamedTensorMap | null = null;
  let lossTotal = 0;
  for (let i = 0; i < passes; i++) {
    const { from, to, x } = slice(i);
    const zPart = tf.tensor2d(z.subarray(from * numTags, to * numTags), [to - from, numTags]);
    const maskPart = tf.tensor2d(mask.subarray(from * numTags, to * numTags), [to - from, numTags]);
    const weightPart = weights ? tf.tensor2d(weights.subarray(from * numTags, to * numTags), [to - from, numTags]) : null;
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.apply(x, { training: true }) as tf.Tensor2D;
      if (settings.miningRatio !== null && weightPart === null) {
        // One pass over the whole batch: the loss of src/train/loss.ts as it is. Unknown labels get a
        // logit of -1e4 against label 0: exactly 0 loss and no gradient, and never a real negative.
        return hardNegativeMiningLoss(maskedLogits(logits, maskPart), zPart, settings.miningRatio);
      }
      const losses = sigmoidCrossEntropy(logits, zPart);
      if (weightPart) return tf.div(tf.sum(tf.mul(losses, weightPart)), numTags) as tf.Scalar;
      return tf.div(tf.sum(tf.mul(losses, maskPart)), known) as tf.Scalar;
    }, vars);
    lossTotal += (await value.data())[0] as number;
    if (sum === null) {
      sum = grads;
    } else {
      const previous: tf.NamedTensorMap = sum;
      sum = tf.tidy(() => Object.fromEntries(Object.entries(previous).map(([name, g]) => [name, tf.add(g, grads[name] as tf.Tensor)])));
      tf.dispose([...Object.values(previous), ...Object.values(grads)]);
    }
    tf.dispose([x, zPart, maskPart, value, ...(weightPart ? [weightPart] : [])]);
  }
  // Same order every step: Adam keeps its moments by position.
  const total = sum as tf.NamedTensorMap;
  optimizer.applyGradients(vars.map((v) => ({ name: v.name, tensor: total[v.name] as tf.Tensor })));
  tf.dispose(Object.values(total));
  return lossTotal;
}

/** Logits where the label is known, -1e4 elsewhere (loss exactly 0, no gradient). */
function maskedLogits(logits: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  return tf.where(tf.cast(mask, 'bool'), logits, tf.fill(logits.shape, -1e4));
}

/** Labels as 0/1 floats and a mask of the known ones, both [n * k] row-major. */
export function labelArrays(labels: ReadonlyArray<readonly Label[]>, numTags: number): { z: Float32Array; mask: Float32Array } {
  const z = new Float32Array(labels.length * numTags);
  const mask = new Float32Array(labels.length * numTags);
  labels.forEach((row, i) => {
    if (row.length !== numTags) throw new Error(`labels row ${i} has ${row.length} labels, expected ${numTags}`);
    row.forEach((label, j) => {
      if (label !== null) {
        mask[i * numTags + j] = 1;
        z[i * numTags + j] = label;
      }
    });
  });
  return { z, mask };
}

/**
 * Per-element weights W such that sum(W * losses) / k is hardNegativeMiningLoss of the batch (loss.ts):
 * per tag, 1/P on the positives, 1/N on the N known negatives with the largest loss (ties: lower index
 * first), N = clamp(round(P * ratio), 1, n), P = max(positives, 1). Unknown labels weigh 0.
 */
export function miningWeights(
  logits: Float32Array,
  z: Float32Array,
  mask: Float32Array,
  n: number,
  k: number,
  ratio: number,
): Float32Array {
  const w = new Float32Array(n * k);
  for (let j = 0; j < k; j++) {
    let positives = 0;
    const negatives: Array<{ i: number; loss: number }> = [];
    for (let i = 0; i < n; i++) {
      const at = i * k + j;
      if (mask[at] === 0) continue;
      if (z[at] === 1) positives++;
      else {
        const x = logits[at] as number;
        negatives.push({ i, loss: Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) });
      }
    }
    const p = Math.max(positives, 1);
    const count = Math.min(n, Math.max(1, Math.floor(p * ratio + 0.5)));
    for (let i = 0; i < n; i++) if (mask[i * k + j] === 1 && z[i * k + j] === 1) w[i * k + j] = 1 / p;
    negatives.sort((a, b) => b.loss - a.loss || a.i - b.i);
    for (const { i } of negatives.slice(0, count)) w[i * k + j] = 1 / count;
  }
  return w;
}

/**
 * Sets every batch-norm layer's running mean and variance to the statistics of its input over `examples`
 * (decoded without augmentation, as at inference), computed in one forward pass in training mode: the
 * layers before normalise with batch statistics, as in training. Does nothing without batch-norm layers
 * or examples.
 */
export async function recalibrateBatchNorm(
  model: tf.LayersModel,
  examples: readonly TrainingExample[],
  inputSize: number,
  options: { batchSize?: number; pixels?: PixelSource } = {},
): Promise<void> {
  const layers = model.layers.filter((layer) => layer.getClassName() === 'BatchNormalization');
  if (layers.length === 0 || examples.length === 0) return;
  const batchSize = options.batchSize ?? 8;
  const pixels = options.pixels ?? batchPixels;
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map((layer) => layer.input as tf.SymbolicTensor) });
  const sums = layers.map(() => ({ sum: [] as number[], squares: [] as number[], count: 0 }));
  for (let from = 0; from < examples.length; from += batchSize) {
    const batch = examples.slice(from, from + batchSize);
    const x = pixelsToInput(await pixels(batch, inputSize), batch.length, inputSize);
    const moments = tf.tidy(() => {
      const outs = probe.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(outs) ? outs : [outs]).flatMap((out) => {
        const axes = out.shape.slice(0, -1).map((_, i) => i);
        return [tf.sum(out, axes), tf.sum(tf.square(out), axes), tf.scalar(out.size / (out.shape.at(-1) as number))];
      });
    });
    const values = await Promise.all(moments.map((m) => m.data()));
    layers.forEach((_, i) => {
      const acc = sums[i] as (typeof sums)[number];
      const [sum, squares, count] = [values[3 * i], values[3 * i + 1], values[3 * i + 2]] as [Float32Array, Float32Array, Float32Array];
      sum.forEach((v, c) => {
        acc.sum[c] = (acc.sum[c] ?? 0) + v;
        acc.squares[c] = (acc.squares[c] ?? 0) + (squares[c] as number);
      });
      acc.count += count[0] as number;
    });
    tf.dispose([x, ...moments]);
  }
  layers.forEach((layer, i) => {
    const acc = sums[i] as (typeof sums)[number];
    const mean = acc.sum.map((v) => v / acc.count);
    const variance = acc.squares.map((v, c) => Math.max(0, v / acc.count - (mean[c] as number) ** 2));
    // Weights of a Keras batch-norm layer: gamma, beta, moving mean, moving variance.
    const [gamma, beta] = layer.getWeights();
    const fresh = [tf.tensor1d(mean), tf.tensor1d(variance)];
    layer.setWeights([gamma as tf.Tensor, beta as tf.Tensor, ...fresh]);
    tf.dispose(fresh);
  });
}

export interface Evaluation {
  /** Mean sigmoid cross-entropy over the known labels; null when there are none. */
  loss: number | null;
  metrics: Record<string, MeganeTagMetrics>;
}

/** Validation loss and per-tag metrics (inference mode: batch-norm running statistics, no dropout). */
export async function evaluate(
  model: tf.LayersModel,
  data: TrainData,
  inputSize: number,
  options: { batchSize?: number; pixels?: PixelSource } = {},
): Promise<Evaluation> {
  const batchSize = options.batchSize ?? 8;
  const pixels = options.pixels ?? batchPixels;
  const k = data.tags.length;
  const probabilities: Float32Array[] = [];
  let lossSum = 0;
  let known = 0;
  for (let from = 0; from < data.validation.length; from += batchSize) {
    const batch = data.validation.slice(from, from + batchSize);
    const { z, mask } = labelArrays(
      batch.map((e) => e.labels),
      k,
    );
    const x = pixelsToInput(await pixels(batch, inputSize), batch.length, inputSize);
    const [loss, probs] = tf.tidy(() => {
      const logits = model.predict(x) as tf.Tensor2D;
      const maskT = tf.tensor2d(mask, [batch.length, k]);
      return [tf.sum(tf.mul(sigmoidCrossEntropy(logits, tf.tensor2d(z, [batch.length, k])), maskT)), tf.sigmoid(logits)];
    });
    lossSum += (await loss.data())[0] as number;
    const p = (await probs.data()) as Float32Array;
    for (let i = 0; i < batch.length; i++) probabilities.push(p.slice(i * k, (i + 1) * k));
    known += mask.reduce((a, b) => a + b, 0);
    tf.dispose([x, loss, probs]);
  }
  return {
    loss: known === 0 ? null : lossSum / known,
    metrics: tagMetrics(
      data.tags,
      probabilities,
      data.validation.map((e) => e.labels),
    ),
  };
}

// ---- backend check

/**
 * Runs one training step of a tiny model3 on the active backend; null when it works, else why not (e.g.
 * a gradient kernel the backend lacks).
 */
export async function trainingProbe(): Promise<string | null> {
  const model = buildModel3({ numClasses: 2, inputSize: 36, seed: 1 });
  const optimizer = tf.train.adam(1e-3);
  try {
    const pixels = new Uint8Array(2 * 36 * 36 * 3).map((_, i) => (i * 37) % 256);
    const loss = await trainStep(
      model,
      optimizer,
      pixels,
      [
        [1, 0],
        [0, null],
      ],
      { inputSize: 36, microBatch: 2, miningRatio: null },
      2,
    );
    return Number.isFinite(loss) ? null : `the loss came out ${loss}`;
  } catch (error) {
    return errorText(error);
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

// ---- model files

/** Saves a tfjs model as DIR/model.json + DIR/weights.bin (one shard) with node:fs. */
export function fileModelSaver(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('fileModelSaver: binary topologies are not supported');
      const weights = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(weights));
      await writeFile(join(dir, 'model.json'), `${JSON.stringify(json)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON({ ...artifacts, weightData: weights }) };
    },
  };
}

/** Loads DIR/model.json and the weight files it lists (file names in DIR only). */
export function fileModelLoader(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const path = join(dir, 'model.json');
      const json = JSON.parse(await readFile(path, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const names = manifest.flatMap((group) => group.paths);
        for (const name of names) {
          if (basename(name) !== name) throw new Error(`${path}: weight file "${name}" is not a file name in the same folder`);
        }
        const shards = await Promise.all(names.map((name) => readFile(join(dir, name))));
        const data = new Uint8Array(shards.reduce((sum, s) => sum + s.length, 0));
        let offset = 0;
        for (const shard of shards) {
          data.set(shard, offset);
          offset += shard.length;
        }
        return [manifest.flatMap((group) => group.weights), data.buffer];
      });
    },
  };
}

// ---- checkpoints

export const TRAIN_STATE_FORMAT = 'megane-train-state';

export interface TrainState {
  format: typeof TRAIN_STATE_FORMAT;
  version: 1;
  /** Epochs completed; the weights are those after this epoch. */
  epochsDone: number;
  tags: string[];
  settings: TrainSettings & { validationFraction: number };
  dataset: { source: string; images: number; train: number; validation: number };
  /** Validation loss of the untrained model; null without validation images. */
  initialValidationLoss: number | null;
  history: EpochReport[];
  /** Adam's iteration count and moments in optimizer.bin, as tfjs weight specs. */
  optimizer: { learningRate: number; weights: tf.io.WeightsManifestEntry[] };
}

export function checkpointDir(out: string): string {
  return join(out, 'checkpoint');
}

export async function saveCheckpoint(
  out: string,
  model: tf.LayersModel,
  optimizer: tf.AdamOptimizer,
  state: Omit<TrainState, 'format' | 'version' | 'optimizer'>,
): Promise<void> {
  const dir = checkpointDir(out);
  const tmp = `${dir}.tmp`;
  const old = `${dir}.old`;
  await rm(tmp, { recursive: true, force: true });
  await model.save(fileModelSaver(tmp));
  const { data, specs } = await tf.io.encodeWeights(await optimizer.getWeights());
  await writeFile(join(tmp, 'optimizer.bin'), new Uint8Array(tf.io.CompositeArrayBuffer.join(data)));
  const full: TrainState = {
    format: TRAIN_STATE_FORMAT,
    version: 1,
    ...state,
    optimizer: { learningRate: optimizer.getConfig().learningRate as number, weights: specs },
  };
  await writeFile(join(tmp, 'state.json'), `${JSON.stringify(full, null, 2)}\n`);
  await rm(old, { recursive: true, force: true });
  if (await exists(dir)) await rename(dir, old);
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
}

/** The checkpoint's state, or null when DIR has none. Throws when one exists but cannot be read. */
export async function readCheckpointState(out: string): Promise<TrainState | null> {
  const dir = await liveCheckpoint(out);
  if (!dir) return null;
  const path = join(dir, 'state.json');
  let state: unknown;
  try {
    state = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${errorText(error)}`);
  }
  const s = state as Partial<TrainState> | null;
  if (
    !s ||
    s.format !== TRAIN_STATE_FORMAT ||
    s.version !== 1 ||
    !Number.isInteger(s.epochsDone) ||
    !Array.isArray(s.tags) ||
    !s.settings ||
    !s.optimizer
  ) {
    throw new Error(`${path}: not a Megane training state (format "${TRAIN_STATE_FORMAT}", version 1)`);
  }
  return s as TrainState;
}

/**
 * Loads the model and Adam (with its moments) from the checkpoint in DIR. Adam runs at `learningRate`
 * (default: the checkpoint's), so a resumed run may change it.
 */
export async function loadCheckpoint(
  out: string,
  state: TrainState,
  learningRate = state.settings.learningRate,
): Promise<{ model: tf.LayersModel; optimizer: tf.AdamOptimizer }> {
  const dir = await liveCheckpoint(out);
  if (!dir) throw new Error(`${checkpointDir(out)}: no checkpoint`);
  const model = await tf.loadLayersModel(fileModelLoader(dir));
  const optimizer = tf.train.adam(learningRate);
  const bytes = await readFile(join(dir, 'optimizer.bin'));
  const named = tf.io.decodeWeights(new Uint8Array(bytes).buffer, state.optimizer.weights);
  await optimizer.setWeights(state.optimizer.weights.map((spec) => ({ name: spec.name, tensor: named[spec.name] as tf.Tensor })));
  return { model, optimizer };
}

/** checkpoint/, or checkpoint.old/ when a swap was interrupted. */
async function liveCheckpoint(out: string): Promise<string | null> {
  const dir = checkpointDir(out);
  if (await exists(join(dir, 'state.json'))) return dir;
  if (await exists(join(`${dir}.old`, 'state.json'))) return `${dir}.old`;
  return null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function checkSettings(s: TrainSettings): void {
  const fail = (what: string) => {
    throw new Error(`train: ${what}`);
  };
  if (!Number.isInteger(s.epochs) || s.epochs < 1) fail(`epochs must be a positive integer, got ${s.epochs}`);
  if (!Number.isInteger(s.batchSize) || s.batchSize < 1) fail(`batchSize must be a positive integer, got ${s.batchSize}`);
  if (!Number.isInteger(s.microBatch) || s.microBatch < 1 || s.microBatch > s.batchSize)
    fail(`microBatch must be 1..batchSize, got ${s.microBatch}`);
  if (!(s.learningRate > 0)) fail(`learningRate must be > 0, got ${s.learningRate}`);
  if (s.miningRatio !== null && !(s.miningRatio > 0)) fail(`miningRatio must be > 0 or null, got ${s.miningRatio}`);
}
