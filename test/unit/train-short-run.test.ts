// A short real training run: photos vs drawings from the test gallery, exported as the options page would
// export them, read back by the trainer and trained for a few epochs.
//
// The input is 64x64, not model3's 256x256: on this project's 2-core test machine one 256x256 image costs
// about 6 s per training step on WASM (scripts/train/bench-train.ts), so three epochs of 50 images would
// take some 15 minutes. 64x64 runs every layer and the same code (decoding, augmentation, passes, Adam, batch-norm
// recalibration, validation) at about 1/16 of the cost.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readTrainingData, type TrainingData } from '../../scripts/train/dataset';
import { buildModel3 } from '../../scripts/train/model3';
import { defaultMicroBatch, evaluate, runTraining, type TrainSettings } from '../../scripts/train/train-loop';
import { registerWasmConvGradients } from '../../scripts/train/wasm-conv-grads';
import { exportZip, galleryByKind, galleryThumbnail, markRecord } from './train-fixtures';

const INPUT = 64;

let data: TrainingData;

beforeAll(async () => {
  registerWasmConvGradients();
  await tf.setBackend('wasm');
  await tf.ready();
  // Every gallery image: 33 photos and 30 drawings (fewer leave too few to learn from and to judge by).
  const { photos, drawings } = galleryByKind();
  const records = await Promise.all([
    ...photos.map(async (file) => markRecord(`https://gallery.test/${file}`, { tags: ['photo'] }, await galleryThumbnail(file))),
    ...drawings.map(async (file) => markRecord(`https://gallery.test/${file}`, { tags: ['illust'] }, await galleryThumbnail(file))),
  ]);
  data = await readTrainingData(exportZip(records), {
    source: 'gallery.zip',
    tags: ['photo', 'illust'],
    validationFraction: 0.3,
    seed: 'short-run',
  });
  // Dropout draws its masks from Math.random: seeded here so the run is the same every time. With seeds
  // 1, 2 and 3 the validation loss fell every epoch, from ln 2 (the logits start at zero) to 0.62-0.63.
  // A validation fraction of 0.3 gives 13 images; with fewer, one unlucky image decides.
  let state = 1;
  vi.spyOn(Math, 'random').mockImplementation(() => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  });
});

afterAll(() => {
  vi.restoreAllMocks();
});

describe('a short training run on gallery photos vs drawings', () => {
  it('lowers the validation loss', async () => {
    expect(data.images).toBe(63);
    expect(data.validation.length).toBeGreaterThanOrEqual(12);
    expect(data.counts.photo?.validation.positives).toBeGreaterThan(0);
    expect(data.counts.illust?.validation.positives).toBeGreaterThan(0);

    const settings: TrainSettings = {
      inputSize: INPUT,
      epochs: 3,
      batchSize: 8,
      microBatch: defaultMicroBatch(INPUT, 8),
      learningRate: 1e-4, // the CLI's default
      miningRatio: null,
      seed: 'short-run',
    };
    const model = buildModel3({ numClasses: 2, inputSize: INPUT, seed: 1 });
    const optimizer = tf.train.adam(settings.learningRate);
    const started = performance.now();
    const before = await evaluate(model, data, INPUT);
    const reports = await runTraining({ model, optimizer, data, settings });
    const after = await evaluate(model, data, INPUT);
    const seconds = (performance.now() - started) / 1000;

    console.log(
      `short run: ${data.train.length} train / ${data.validation.length} validation images at ${INPUT}px, ${seconds.toFixed(1)} s; ` +
        `validation loss ${before.loss?.toFixed(4)} -> ${reports.map((r) => r.validationLoss?.toFixed(4)).join(' -> ')}; ` +
        `train loss ${reports.map((r) => r.trainLoss.toFixed(4)).join(' -> ')}; ${reports.map((r) => r.imagesPerSecond.toFixed(2)).join(', ')} img/s; ` +
        `AP photo ${after.metrics.photo?.averagePrecision?.toFixed(3)}, illust ${after.metrics.illust?.averagePrecision?.toFixed(3)}`,
    );
    expect(reports.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(after.loss).toBe(reports[2]?.validationLoss);
    expect(before.loss as number).toBeCloseTo(Math.LN2, 6); // zero logits: 0.5 for everything
    expect(after.loss as number).toBeLessThan(before.loss as number);
    model.dispose();
    optimizer.dispose();
  });
});
