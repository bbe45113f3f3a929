// Personal tags: one logistic head per tag the user has marked images with (like / dislike / "tag as X"),
// trained on the stored NSFW-model embeddings of those images. Runs in the offscreen document on whatever
// tfjs backend is active; the result is plain JS, the same Head shape as the shipped embedding heads
// (src/model/embedding-heads.ts), so scoring an image is one dot product per tag and needs no tfjs.
//
// Per tag: the examples labelled for it (a missing label means "unknown", not "no"), features standardised
// with the training examples' mean and spread, full-batch Adam on sigmoid cross-entropy with hard negative
// mining (src/train/loss.ts) plus L2, weights initialised at 0 (no randomness: the same examples give the
// same head). The standardisation is then folded into the weights. Accuracy is estimated by training on
// the examples whose key is not held out and scoring the held-out ones; the head that ships is trained
// again on all of the tag's examples.
import * as tf from '@tensorflow/tfjs';
import { headScore, type Head } from '../model/embedding-heads';
import { isFiniteNumber, isRecord } from '../util/checks';
import type { PersonalModel, PersonalTagStats } from './personal-model';

export { applyPersonalModel, parsePersonalModel, type PersonalModel, type PersonalTagStats } from './personal-model';
import { hardNegativeMiningLoss } from '../train/loss';
import { isHeldOut } from '../util/hash32';

export interface PersonalExample {
  /** Identifies the source image (its URL). Copies of one image (e.g. augmented) share a key, and so a side of the split. */
  key: string;
  /** The NSFW model's pooled features for the image. */
  embedding: readonly number[];
  /** Per tag: 1 = the image has it, 0 = it does not. A tag not listed is unknown for this image and not used for it. */
  labels: Readonly<Record<string, 0 | 1>>;
}

export interface PersonalTrainOptions {
  /** Full-batch Adam steps (every step sees every example of the tag). Default 200. */
  epochs?: number;
  /** Adam learning rate. Default 0.01. */
  learningRate?: number;
  /** Hard negative mining: keep the round(positives * ratio) hardest negatives. Default 3. */
  miningRatio?: number;
  /**
   * L2 penalty l2/2 * |w|^2 on the standardised weights (not the bias). Default 0.03, the best of 0.01..1
   * on the fixture splits of test/unit/personal-classifier.test.ts over ten seeds.
   */
  l2?: number;
  /** Share of keys held out to estimate accuracy, in [0, 1). Default 0.2. */
  holdOutFraction?: number;
  /** A tag needs at least this many positive and this many negative examples to get a head. Default 5. */
  minPerClass?: number;
  /** Changes which keys are held out. Default ''. */
  seed?: string;
}

export const PERSONAL_DEFAULTS: Readonly<Required<PersonalTrainOptions>> = {
  epochs: 200,
  learningRate: 0.01,
  miningRatio: 3,
  l2: 0.03,
  holdOutFraction: 0.2,
  minPerClass: 5,
  seed: '',
};

/**
 * When a trained head counts as trusted: its accuracy was measured on at least `minHeldOut` held-out
 * examples with both classes among them, is at least `minAccuracy`, and beats always answering the
 * held-out set's majority class (9 of 10 right on a set of 9 negatives proves nothing). An untrusted head
 * is still trained and returned; the caller decides whether to use it.
 */
export const TRUST_RULES = { minHeldOut: 4, minAccuracy: 0.75 } as const;

/** Check the loss every this many steps (a readback, and a chance for the page to answer messages). */
const CHECK_EVERY = 25;

// ---- split

export { isHeldOut };

// ---- checks

function checkExamples(examples: readonly PersonalExample[]): number {
  if (!Array.isArray(examples) || examples.length === 0) throw new Error('train personal model: no examples to train on');
  let size = -1;
  examples.forEach((example: unknown, i) => {
    if (!isRecord(example)) throw new Error(`train personal model: examples[${i}] must be an object`);
    const { key, embedding, labels } = example;
    if (typeof key !== 'string' || key === '') throw new Error(`train personal model: examples[${i}].key must be a non-empty string`);
    const where = `examples[${i}] (${key})`;
    if (!Array.isArray(embedding) || embedding.length === 0) throw new Error(`train personal model: ${where} has no embedding`);
    if (size < 0) size = embedding.length;
    if (embedding.length !== size) {
      throw new Error(`train personal model: ${where} has an embedding of ${embedding.length} values, examples[0] has ${size}`);
    }
    const bad = embedding.findIndex((v) => !isFiniteNumber(v));
    if (bad >= 0) throw new Error(`train personal model: ${where} embedding[${bad}] is not a finite number`);
    if (!isRecord(labels)) throw new Error(`train personal model: ${where}.labels must be an object`);
    for (const [tag, label] of Object.entries(labels)) {
      if (tag === '') throw new Error(`train personal model: ${where} has a label with an empty tag name`);
      if (label !== 0 && label !== 1) {
        throw new Error(`train personal model: ${where} label for "${tag}" must be 0 or 1, got ${JSON.stringify(label)}`);
      }
    }
  });
  return size;
}

function resolveOptions(options: PersonalTrainOptions): Required<PersonalTrainOptions> {
  const o = { ...PERSONAL_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  const fail = (what: string, value: unknown) => {
    throw new Error(`train personal model: ${what}, got ${JSON.stringify(value)}`);
  };
  if (!Number.isInteger(o.epochs) || o.epochs < 1) fail('epochs must be a positive integer', o.epochs);
  if (!isFiniteNumber(o.learningRate) || o.learningRate <= 0) fail('learningRate must be a positive number', o.learningRate);
  if (!isFiniteNumber(o.miningRatio) || o.miningRatio < 0) fail('miningRatio must be a number >= 0', o.miningRatio);
  if (!isFiniteNumber(o.l2) || o.l2 < 0) fail('l2 must be a number >= 0', o.l2);
  if (!isFiniteNumber(o.holdOutFraction) || o.holdOutFraction < 0 || o.holdOutFraction >= 1) {
    fail('holdOutFraction must be in [0, 1)', o.holdOutFraction);
  }
  if (!Number.isInteger(o.minPerClass) || o.minPerClass < 1) fail('minPerClass must be a positive integer', o.minPerClass);
  if (typeof o.seed !== 'string') fail('seed must be a string', o.seed);
  return o;
}

// ---- one head

interface Standardiser {
  mean: Float64Array;
  /** Never 0: sqrt(spread^2 + floor^2), see fitStandardiser. */
  scale: Float64Array;
}

/**
 * Mean and scale per feature. Pooled ReLU features are often almost always 0; dividing by their tiny
 * spread would blow up the folded weights, so the scale is floored at a tenth of the median spread.
 */
function fitStandardiser(rows: readonly (readonly number[])[], size: number): Standardiser {
  const mean = new Float64Array(size);
  const variance = new Float64Array(size);
  for (const row of rows) for (let j = 0; j < size; j++) mean[j] = (mean[j] ?? 0) + (row[j] ?? 0) / rows.length;
  for (const row of rows) {
    for (let j = 0; j < size; j++) {
      const diff = (row[j] ?? 0) - (mean[j] ?? 0);
      variance[j] = (variance[j] ?? 0) + (diff * diff) / rows.length;
    }
  }
  const sorted = Array.from(variance).sort((a, b) => a - b);
  const floor = Math.max(0.1 * Math.sqrt(sorted[Math.floor(sorted.length / 2)] ?? 0), 1e-6);
  return { mean, scale: variance.map((v) => Math.sqrt(v + floor * floor)) };
}

/** Lets the document handle other messages between training steps (Chrome's scheduler.yield where there is one). */
function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Trains one head on rows (each `size` long) and 0/1 labels; the returned head takes raw embeddings. */
async function fitHead(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  size: number,
  o: Required<PersonalTrainOptions>,
): Promise<Head> {
  const n = rows.length;
  const s = fitStandardiser(rows, size);
  const flat = new Float32Array(n * size);
  rows.forEach((row, i) => {
    for (let j = 0; j < size; j++) flat[i * size + j] = ((row[j] ?? 0) - (s.mean[j] ?? 0)) / (s.scale[j] ?? 1);
  });
  const x = tf.tensor2d(flat, [n, size]);
  const y = tf.tensor1d(Float32Array.from(labels));
  const w = tf.tidy(() => tf.variable(tf.zeros([size, 1])));
  const b = tf.tidy(() => tf.variable(tf.scalar(0)));
  const optimizer = tf.train.adam(o.learningRate);
  const loss = (): tf.Scalar =>
    tf.tidy(() => {
      const logits = tf.add(tf.reshape(tf.matMul(x, w), [n]), b);
      const data = hardNegativeMiningLoss(logits, y, o.miningRatio);
      return o.l2 > 0 ? tf.add(data, tf.mul(o.l2 / 2, tf.sum(tf.square(w)))) : data;
    });
  try {
    for (let step = 1; step <= o.epochs; step++) {
      const check = step % CHECK_EVERY === 0 || step === o.epochs;
      const cost = optimizer.minimize(loss, check, [w, b]);
      if (cost) {
        const value = (await cost.data())[0];
        cost.dispose();
        if (value === undefined || !Number.isFinite(value))
          throw new Error(`train personal model: the loss became ${value} at step ${step}`);
        if (step < o.epochs) await yieldToEventLoop();
      }
    }
    const [weights, bias] = await Promise.all([w.data(), b.data()]);
    // The same model on raw features: w'_j = w_j / scale_j, b' = b - sum_j w'_j mean_j.
    const folded = Array.from(weights, (v, j) => v / (s.scale[j] ?? 1));
    let foldedBias = bias[0] ?? 0;
    for (let j = 0; j < size; j++) foldedBias -= (folded[j] ?? 0) * (s.mean[j] ?? 0);
    return { weights: folded, bias: foldedBias };
  } finally {
    tf.dispose([x, y, w, b]);
    optimizer.dispose();
  }
}

// ---- scoring

interface TagExample {
  key: string;
  embedding: readonly number[];
  label: 0 | 1;
}

/** 0.745 -> "74.5%", 0.75 -> "75%" (never rounds an accuracy up to the bar it missed). */
function percent(x: number): string {
  return `${Number((100 * x).toFixed(1))}%`;
}

/** Why a measured head is not trusted, or undefined if it is (TRUST_RULES). */
function distrust(heldOut: readonly TagExample[], accuracy: number | null): string | undefined {
  const held = (label: 0 | 1) => heldOut.filter((e) => e.label === label).length;
  if (heldOut.length < TRUST_RULES.minHeldOut) {
    return `only ${heldOut.length} held-out example${heldOut.length === 1 ? '' : 's'}; needs at least ${TRUST_RULES.minHeldOut} to estimate accuracy`;
  }
  if (held(1) === 0 || held(0) === 0) return `the held-out examples are all ${held(1) === 0 ? 'negative' : 'positive'}`;
  // With held-out examples, no accuracy means the training side lacked a class.
  if (accuracy === null) return 'every example of one class is held out, so accuracy could not be measured';
  if (accuracy < TRUST_RULES.minAccuracy) return `held-out accuracy ${percent(accuracy)} is below ${percent(TRUST_RULES.minAccuracy)}`;
  const baseline = Math.max(held(1), held(0)) / heldOut.length;
  if (accuracy <= baseline) {
    return `held-out accuracy ${percent(accuracy)} is no better than always answering ${held(1) > held(0) ? 'yes' : 'no'} (${percent(baseline)})`;
  }
  return undefined;
}

async function trainTag(
  examples: readonly TagExample[],
  size: number,
  o: Required<PersonalTrainOptions>,
): Promise<{ head?: Head; stats: PersonalTagStats }> {
  const positives = examples.filter((e) => e.label === 1).length;
  const negatives = examples.length - positives;
  if (positives < o.minPerClass || negatives < o.minPerClass) {
    return {
      stats: {
        positives,
        negatives,
        heldOutAccuracy: null,
        heldOutCount: 0,
        trusted: false,
        reason: `needs at least ${o.minPerClass} positive and ${o.minPerClass} negative examples (has ${positives} / ${negatives})`,
      },
    };
  }
  const heldOut = examples.filter((e) => isHeldOut(e.key, o.holdOutFraction, o.seed));
  const trainSide = examples.filter((e) => !isHeldOut(e.key, o.holdOutFraction, o.seed));
  let heldOutAccuracy: number | null = null;
  if (heldOut.length > 0 && trainSide.some((e) => e.label === 1) && trainSide.some((e) => e.label === 0)) {
    const probe = await fitHead(
      trainSide.map((e) => e.embedding),
      trainSide.map((e) => e.label),
      size,
      o,
    );
    const right = heldOut.filter((e) => (headScore(probe, e.embedding) >= 0.5 ? 1 : 0) === e.label).length;
    heldOutAccuracy = right / heldOut.length;
  }
  const head = await fitHead(
    examples.map((e) => e.embedding),
    examples.map((e) => e.label),
    size,
    o,
  );
  const reason = distrust(heldOut, heldOutAccuracy);
  const stats: PersonalTagStats = { positives, negatives, heldOutAccuracy, heldOutCount: heldOut.length, trusted: reason === undefined };
  if (reason !== undefined) stats.reason = reason;
  return { head, stats };
}

/**
 * Trains a head for every tag that appears in the examples' labels (tags in name order). Throws on no
 * examples, embeddings of different lengths or with non-finite values, labels other than 0/1, or bad
 * options. Releases every tensor it makes, also when it throws.
 */
export async function trainPersonalModel(examples: readonly PersonalExample[], options: PersonalTrainOptions = {}): Promise<PersonalModel> {
  const size = checkExamples(examples);
  const o = resolveOptions(options);
  const tagNames = [...new Set(examples.flatMap((e) => Object.keys(e.labels)))].sort();
  const heads: Array<[string, Head]> = [];
  const stats: Array<[string, PersonalTagStats]> = [];
  for (const tag of tagNames) {
    const tagExamples = examples.flatMap((e): TagExample[] => {
      const label = Object.hasOwn(e.labels, tag) ? e.labels[tag] : undefined;
      return label === undefined ? [] : [{ key: e.key, embedding: e.embedding, label }];
    });
    const result = await trainTag(tagExamples, size, o);
    if (result.head) heads.push([tag, result.head]);
    stats.push([tag, result.stats]);
  }
  return { embeddingSize: size, trainedAt: Date.now(), tags: Object.fromEntries(heads), stats: Object.fromEntries(stats) };
}

// ---- stored models
