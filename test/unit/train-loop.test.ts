import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Label, TrainingExample } from '../../scripts/train/dataset';
import { hardNegativeMiningLoss } from '../../src/train/loss';
import { buildModel3, pixelsToInput } from '../../scripts/train/model3';
import {
  evaluate,
  fileModelLoader,
  fileModelSaver,
  labelArrays,
  loadCheckpoint,
  miningWeights,
  readCheckpointState,
  recalibrateBatchNorm,
  runTraining,
  saveCheckpoint,
  trainStep,
  type PixelSource,
  type TrainSettings,
} from '../../scripts/train/train-loop';
import { registerWasmConvGradients } from '../../scripts/train/wasm-conv-grads';

let dir: string;
beforeAll(async () => {
  registerWasmConvGradients();
  await tf.setBackend('wasm');
  await tf.ready();
  dir = await mkdtemp(join(tmpdir(), 'megane-train-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A tiny stable pseudo-random sequence. */
function numbers(count: number, seed: number, scale = 1): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return ((x >>> 8) / 2 ** 24 - 0.5) * 2 * scale;
  });
}

/** Pixels that depend only on the example's key, so every run sees the same images. */
const keyedPixels: PixelSource = async (examples, size) => {
  const out = new Uint8Array(examples.length * size * size * 3);
  examples.forEach((e, i) => {
    const seed = [...e.key].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
    numbers(size * size * 3, seed).forEach((v, j) => {
      out[i * size * size * 3 + j] = Math.floor((v + 1) * 127.5);
    });
  });
  return out;
};

describe('miningWeights', () => {
  it.each([
    { n: 8, k: 3, ratio: 2, unknown: 0 },
    { n: 6, k: 2, ratio: 0.5, unknown: 0 },
    { n: 10, k: 4, ratio: 3, unknown: 0.3 },
    { n: 5, k: 1, ratio: 10, unknown: 0.2 }, // N clamps to the batch, more than the negatives there are
  ])('give the hardNegativeMiningLoss of loss.ts (n $n, k $k, ratio $ratio, unknown $unknown)', async ({ n, k, ratio, unknown }) => {
    const logits = Float32Array.from(numbers(n * k, 11 + n, 3));
    const labels: Label[][] = Array.from({ length: n }, (_, i) =>
      Array.from({ length: k }, (_, j) => {
        const u = (numbers(1, 100 + i * k + j)[0] as number) / 2 + 0.5;
        return u < unknown ? null : (i + j) % 3 === 0 ? 1 : 0;
      }),
    );
    const { z, mask } = labelArrays(labels, k);
    const w = miningWeights(logits, z, mask, n, k, ratio);
    const ours = tf.tidy(() => {
      const x = tf.tensor2d(logits, [n, k]);
      const losses = tf.sub(tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x))))), tf.mul(x, tf.tensor2d(z, [n, k])));
      return tf.div(tf.sum(tf.mul(losses, tf.tensor2d(w, [n, k]))), k);
    });
    const reference = tf.tidy(() => {
      const m = tf.tensor2d(mask, [n, k]);
      const masked = tf.where(tf.cast(m, 'bool'), tf.tensor2d(logits, [n, k]), tf.fill([n, k], -1e4));
      return hardNegativeMiningLoss(masked, tf.tensor2d(z, [n, k]), ratio);
    });
    expect((await ours.data())[0]).toBeCloseTo((await reference.data())[0] as number, 5);
    tf.dispose([ours, reference]);
  });
});

describe('trainStep', () => {
  /** A model without batch norm or dropout, so passes of any size give the same gradient. */
  const linear = (size: number, k: number) => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [size, size, 3] }),
        tf.layers.dense({ units: k, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
      ],
    });
    return model;
  };
  const size = 4;
  const k = 3;
  const n = 6;
  const labels: Label[][] = [
    [1, 0, null],
    [0, 1, null],
    [1, null, null],
    [0, 0, null],
    [0, 1, null],
    [1, 0, null],
  ];
  const examples = labels.map((_, i) => ({ key: `k${i}`, file: '', bytes: new Uint8Array(0), labels: labels[i] as Label[] }));

  it.each([{ miningRatio: null }, { miningRatio: 1 }])(
    'sums passes into the gradient of the whole batch (mining $miningRatio)',
    async ({ miningRatio }) => {
      const pixels = await keyedPixels(examples, size);
      const weightsAfter = async (microBatch: number) => {
        const model = linear(size, k);
        const optimizer = tf.train.sgd(0.5);
        const loss = await trainStep(model, optimizer, pixels, labels, { inputSize: size, microBatch, miningRatio }, k);
        const weights = await Promise.all(model.getWeights().map((w) => w.data()));
        model.dispose();
        optimizer.dispose();
        return { loss, weights: weights.map((w) => Array.from(w)) };
      };
      const whole = await weightsAfter(n);
      for (const micro of [1, 2, 4]) {
        const parts = await weightsAfter(micro);
        expect(parts.loss).toBeCloseTo(whole.loss, 5);
        parts.weights.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(whole.weights[i]?.[j] as number, 5)));
      }
    },
  );

  it('leaves a tag alone where every label is unknown, and leaks nothing', async () => {
    const model = linear(size, k);
    const optimizer = tf.train.sgd(0.5);
    const before = await (model.layers[1] as tf.layers.Layer).getWeights()[1]?.data();
    const pixels = await keyedPixels(examples, size);
    await trainStep(model, optimizer, pixels, labels, { inputSize: size, microBatch: 2, miningRatio: null }, k); // first step makes the optimizer's tensors
    const tensors = tf.memory().numTensors;
    await trainStep(model, optimizer, pixels, labels, { inputSize: size, microBatch: 2, miningRatio: 2 }, k);
    expect(tf.memory().numTensors).toBe(tensors);
    const after = await (model.layers[1] as tf.layers.Layer).getWeights()[1]?.data();
    expect(after?.[2]).toBe(before?.[2]); // bias of the third tag: no gradient ever
    expect(after?.[0]).not.toBe(before?.[0]);
    model.dispose();
    optimizer.dispose();
  });
});

describe('evaluate', () => {
  it('averages the loss over known labels and scores each tag', async () => {
    // All-zero weights: every logit is 0, so every known label costs ln 2 and every probability is 0.5.
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [4, 4, 3] }), tf.layers.dense({ units: 2, kernelInitializer: 'zeros' })],
    });
    const validation: TrainingExample[] = [
      { key: 'a', file: '', bytes: new Uint8Array(0), labels: [1, null] },
      { key: 'b', file: '', bytes: new Uint8Array(0), labels: [0, 1] },
      { key: 'c', file: '', bytes: new Uint8Array(0), labels: [1, 0] },
    ];
    const result = await evaluate(model, { tags: ['cat', 'dog'], train: [], validation }, 4, { batchSize: 2, pixels: keyedPixels });
    expect(result.loss).toBeCloseTo(Math.LN2, 6);
    expect(result.metrics.cat).toEqual({ precision: 2 / 3, recall: 1, averagePrecision: 2 / 3, positives: 2, negatives: 1 });
    expect(result.metrics.dog?.positives).toBe(1);
    model.dispose();
  });
});

describe('recalibrateBatchNorm', () => {
  it('sets the running statistics to those of the images, so inference normalises like training', async () => {
    const model = buildModel3({ numClasses: 2, inputSize: 36, seed: 2 });
    const examples: TrainingExample[] = Array.from({ length: 4 }, (_, i) => ({
      key: `k${i}`,
      file: '',
      bytes: new Uint8Array(0),
      labels: [1, 0],
    }));
    const x = pixelsToInput(await keyedPixels(examples, 36), 4, 36);
    const bn1 = tf.model({ inputs: model.inputs, outputs: model.getLayer('bn1').output as tf.SymbolicTensor });
    const gap = async () => {
      const d = tf.tidy(() =>
        tf.max(tf.abs(tf.sub(bn1.apply(x, { training: false }) as tf.Tensor, bn1.apply(x, { training: true }) as tf.Tensor))),
      );
      const v = (await d.data())[0] as number;
      d.dispose();
      return v;
    };
    expect(await gap()).toBeGreaterThan(0.1); // fresh running statistics: mean 0, variance 1
    const tensors = tf.memory().numTensors;
    await recalibrateBatchNorm(model, examples, 36, { batchSize: 2, pixels: keyedPixels });
    expect(tf.memory().numTensors).toBe(tensors);
    // Two passes of 2 images pooled: the statistics of all 4, as one training batch of 4 normalises them.
    expect(await gap()).toBeLessThan(1e-3);
    x.dispose();
    model.dispose();
  });
});

describe('model files and checkpoints', () => {
  const size = 36;
  const tags = ['cat', 'dog'];
  const train: TrainingExample[] = Array.from({ length: 6 }, (_, i) => ({
    key: `https://x/${i}`,
    file: '',
    bytes: new Uint8Array(0),
    labels: [i % 2 === 0 ? 1 : 0, i % 3 === 0 ? 1 : null],
  }));
  const validation = train.slice(0, 2);
  const settings: TrainSettings = {
    inputSize: size,
    epochs: 2,
    batchSize: 4,
    microBatch: 2,
    learningRate: 1e-3,
    miningRatio: null,
    seed: 's',
  };
  // Dropout 0 makes training deterministic, so a resumed run can be compared with an uninterrupted one.
  const fresh = () => buildModel3({ numClasses: 2, inputSize: size, dropRate: 0, seed: 9 });
  const weightsOf = async (m: tf.LayersModel) => (await Promise.all(m.getWeights().map((w) => w.data()))).map((w) => Array.from(w));

  it('saves a model as model.json + weights.bin and loads it back', async () => {
    const model = fresh();
    await model.save(fileModelSaver(join(dir, 'plain')));
    const loaded = await tf.loadLayersModel(fileModelLoader(join(dir, 'plain')));
    expect(await weightsOf(loaded)).toEqual(await weightsOf(model));
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    model.dispose();
    loaded.dispose();
  });

  it('resumes from a checkpoint to the same weights as an uninterrupted run', async () => {
    const straight = fresh();
    const straightAdam = tf.train.adam(settings.learningRate);
    const tensorsPerEpoch: number[] = [];
    await runTraining({
      model: straight,
      optimizer: straightAdam,
      data: { tags, train, validation },
      settings,
      pixels: keyedPixels,
      onEpoch: () => void tensorsPerEpoch.push(tf.memory().numTensors),
    });
    expect(tensorsPerEpoch[1]).toBe(tensorsPerEpoch[0]); // nothing leaks from epoch to epoch

    const first = fresh();
    const firstAdam = tf.train.adam(settings.learningRate);
    const out = join(dir, 'run');
    const [report] = await runTraining({
      model: first,
      optimizer: firstAdam,
      data: { tags, train, validation },
      settings: { ...settings, epochs: 1 },
      pixels: keyedPixels,
    });
    await saveCheckpoint(out, first, firstAdam, {
      epochsDone: 1,
      tags,
      settings: { ...settings, validationFraction: 0.3 },
      dataset: { source: 'x.zip', images: 6, train: 6, validation: 2 },
      initialValidationLoss: 0.7,
      history: report ? [report] : [],
    });
    const state = await readCheckpointState(out);
    expect(state?.epochsDone).toBe(1);
    expect(state?.history[0]?.epoch).toBe(1);
    const resumed = await loadCheckpoint(out, state as NonNullable<typeof state>);
    expect(resumed.optimizer.iterations).toBe(firstAdam.iterations);
    await runTraining({ ...resumed, data: { tags, train, validation }, settings, startEpoch: 1, pixels: keyedPixels });

    // Without Adam's moments the second epoch goes elsewhere: the comparison can tell.
    const forgetful = await loadCheckpoint(out, state as NonNullable<typeof state>);
    const plainAdam = tf.train.adam(settings.learningRate);
    await runTraining({
      model: forgetful.model,
      optimizer: plainAdam,
      data: { tags, train, validation },
      settings,
      startEpoch: 1,
      pixels: keyedPixels,
    });

    const a = await weightsOf(straight);
    const meanDiff = async (m: tf.LayersModel) => {
      const b = await weightsOf(m);
      let sum = 0;
      let count = 0;
      a.forEach((w, i) =>
        w.forEach((v, j) => {
          sum += Math.abs(v - (b[i]?.[j] as number));
          count++;
        }),
      );
      return sum / count;
    };
    // Not bit-identical: Adam's restored beta powers are recomputed as pow(beta, t + 1) in float32, and
    // the 1e-7 difference grows a little through ReLU and batch norm. Losing the moments costs far more.
    const resumedDiff = await meanDiff(resumed.model);
    const forgetfulDiff = await meanDiff(forgetful.model);
    expect(resumedDiff).toBeLessThan(1e-6);
    expect(forgetfulDiff).toBeGreaterThan(100 * resumedDiff);
    [straight, first, resumed.model, forgetful.model].forEach((m) => m.dispose());
    [straightAdam, firstAdam, resumed.optimizer, forgetful.optimizer, plainAdam].forEach((o) => o.dispose());
  });

  it('says there is no checkpoint, and refuses a state file that is not one', async () => {
    expect(await readCheckpointState(join(dir, 'nothing'))).toBeNull();
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(join(dir, 'bad', 'checkpoint'), { recursive: true });
    await writeFile(join(dir, 'bad', 'checkpoint', 'state.json'), '{"format": "other"}');
    await expect(readCheckpointState(join(dir, 'bad'))).rejects.toThrow(/state.json: not a Megane training state/);
  });
});
