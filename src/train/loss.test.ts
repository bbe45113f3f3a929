// The training losses against numbers worked out by hand (CPU backend).
//
// Per-element cross-entropy CE(x, z) = max(x, 0) - x z + ln(1 + e^-|x|) for the logits used below:
//   CE( 2, 1) = ln(1 + e^-2)         = 0.126928
//   CE(-1, 0) = ln(1 + e^-1)         = 0.313262
//   CE(0.5,0) = 0.5 + ln(1 + e^-0.5) = 0.974077
//   CE(-3, 0) = ln(1 + e^-3)         = 0.048587
//   CE( 2, 0) = 2 + ln(1 + e^-2)     = 2.126928
//   CE(-1, 1) = 1 + ln(1 + e^-1)     = 1.313262
//   CE(0.5,1) = ln(1 + e^-0.5)       = 0.474077
//   CE( 0, z) = ln 2                 = 0.693147
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { hardNegativeMiningLoss, meanSigmoidCrossEntropy, sigmoidCrossEntropy } from './loss';

const LOGITS = [2, -1, 0.5, -3];
const ONE_POSITIVE = [1, 0, 0, 0];

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** Runs f on fresh tensors inside tidy and returns the scalar, checking nothing is left behind. */
function scalarOf(f: () => tf.Tensor): number {
  const before = tf.memory().numTensors;
  const value = tf.tidy(() => f().dataSync()[0] ?? Number.NaN);
  expect(tf.memory().numTensors).toBe(before);
  return value;
}

function mining(logits: number[] | number[][], labels: number[] | number[][], ratio: number): number {
  return scalarOf(() => hardNegativeMiningLoss(tf.tensor(logits), tf.tensor(labels), ratio));
}

describe('sigmoidCrossEntropy', () => {
  it('matches the hand-computed values elementwise', () => {
    const logits = [2, -1, 0.5, -3, 2, -1, 0.5, 0];
    const labels = [1, 0, 0, 0, 0, 1, 1, 1];
    const ce = tf.tidy(() => Array.from(sigmoidCrossEntropy(tf.tensor1d(logits), tf.tensor1d(labels)).dataSync()));
    const expected = [0.126928, 0.313262, 0.974077, 0.048587, 2.126928, 1.313262, 0.474077, Math.LN2];
    ce.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? Number.NaN, 5));
  });

  it('stays finite for large logits (no exp overflow)', () => {
    const ce = tf.tidy(() => Array.from(sigmoidCrossEntropy(tf.tensor1d([100, -100, 100, -100]), tf.tensor1d([0, 0, 1, 1])).dataSync()));
    expect(ce[0]).toBeCloseTo(100, 4);
    expect(ce[1]).toBeCloseTo(0, 6);
    expect(ce[2]).toBeCloseTo(0, 6);
    expect(ce[3]).toBeCloseTo(100, 4);
  });

  it('rejects logits and labels of different shapes', () => {
    expect(() => tf.tidy(() => sigmoidCrossEntropy(tf.zeros([3]), tf.zeros([4])))).toThrow(/differ in shape/);
  });
});

describe('meanSigmoidCrossEntropy', () => {
  it('averages over every element', () => {
    // (0.126928 + 0.313262 + 0.974077 + 0.048587) / 4
    expect(scalarOf(() => meanSigmoidCrossEntropy(tf.tensor1d(LOGITS), tf.tensor1d(ONE_POSITIVE)))).toBeCloseTo(0.365714, 5);
  });

  it('has gradient (sigmoid(x) - z) / n, also at x = 0', () => {
    const grad = tf.tidy(() => {
      const z = tf.tensor1d([1, 0, 1, 0]);
      return Array.from(
        tf
          .grad((x: tf.Tensor) => meanSigmoidCrossEntropy(x, z))(tf.tensor1d([0, 0, 2, -1]))
          .dataSync(),
      );
    });
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const expected = [(0.5 - 1) / 4, 0.5 / 4, (sigmoid(2) - 1) / 4, sigmoid(-1) / 4];
    grad.forEach((g, i) => expect(g).toBeCloseTo(expected[i] ?? Number.NaN, 6));
  });
});

describe('hardNegativeMiningLoss', () => {
  it('with every negative kept is the positive mean plus the negative mean', () => {
    // P = 1, ratio 3 -> N = 3 = all negatives: 0.126928 + (0.313262 + 0.974077 + 0.048587) / 3
    expect(mining(LOGITS, ONE_POSITIVE, 3)).toBeCloseTo(0.126928 + 1.335926 / 3, 5);
  });

  it('keeps only the N hardest negatives', () => {
    // P = 1, ratio 2 -> N = 2: the two largest negative losses are 0.974077 and 0.313262
    expect(mining(LOGITS, ONE_POSITIVE, 2)).toBeCloseTo(0.126928 + (0.974077 + 0.313262) / 2, 5);
  });

  it('rounds P * ratio half up', () => {
    // P = 1, ratio 2.5 -> N = 3 (banker's rounding would give 2)
    expect(mining(LOGITS, ONE_POSITIVE, 2.5)).toBeCloseTo(0.126928 + 1.335926 / 3, 5);
  });

  it('counts P as 1 when there are no positives', () => {
    // P = max(0, 1) = 1 -> N = 2; the negatives are CE(2,0), CE(-1,0), CE(0.5,0), CE(-3,0)
    expect(mining(LOGITS, [0, 0, 0, 0], 2)).toBeCloseTo((2.126928 + 0.974077) / 2, 5);
  });

  it('clamps N to at least 1 for a tiny ratio', () => {
    // P = 1, ratio 0.1 -> round(0.1) = 0 -> N = 1: only the hardest negative, 0.974077
    expect(mining(LOGITS, ONE_POSITIVE, 0.1)).toBeCloseTo(0.126928 + 0.974077, 5);
    expect(mining(LOGITS, ONE_POSITIVE, 0)).toBeCloseTo(0.126928 + 0.974077, 5);
  });

  it('clamps N to the batch size for a huge ratio, and missing negatives count as 0 loss', () => {
    // P = 1, ratio 100 -> N = clamp(100, 1, 4) = 4, but there are 3 negatives: (sum of 3) / 4
    expect(mining(LOGITS, ONE_POSITIVE, 100)).toBeCloseTo(0.126928 + 1.335926 / 4, 5);
  });

  it('divides by N even when fewer negatives exist', () => {
    // P = 3 -> N = 3, one negative: (0.126928 + 1.313262 + 0.474077) / 3 + 0.048587 / 3
    expect(mining(LOGITS, [1, 1, 1, 0], 1)).toBeCloseTo((0.126928 + 1.313262 + 0.474077) / 3 + 0.048587 / 3, 5);
  });

  it('mines each column of [n, k] on its own and averages the columns', () => {
    // column 0 is the ratio-2 case above (0.770598); column 1: all logits 0, one positive, N = 2:
    // ln2 + (ln2 + ln2) / 2 = 1.386294. Mean = 1.078446.
    const logits = LOGITS.map((x) => [x, 0]);
    const labels = ONE_POSITIVE.map((z, i) => [z, i === 1 ? 1 : 0]);
    expect(mining(logits, labels, 2)).toBeCloseTo((0.126928 + (0.974077 + 0.313262) / 2 + 2 * Math.LN2) / 2, 5);
    // one column as [n, 1] is the same as [n]
    expect(
      mining(
        LOGITS.map((x) => [x]),
        ONE_POSITIVE.map((z) => [z]),
        2,
      ),
    ).toBeCloseTo(mining(LOGITS, ONE_POSITIVE, 2), 6);
  });

  it('selects exactly N negatives when their losses tie', () => {
    // all logits 0: every loss is ln 2. P = 1, ratio 1 -> N = 1, though all 3 negatives tie.
    expect(mining([0, 0, 0, 0], ONE_POSITIVE, 1)).toBeCloseTo(2 * Math.LN2, 5);
  });

  it('has finite gradients: (sigmoid(x) - z) / P on positives, sigmoid(x) / N on kept negatives, 0 elsewhere', () => {
    const before = tf.memory().numTensors;
    const grad = tf.tidy(() => {
      const z = tf.tensor1d(ONE_POSITIVE);
      return Array.from(
        tf
          .grad((x: tf.Tensor) => hardNegativeMiningLoss(x, z, 2))(tf.tensor1d(LOGITS))
          .dataSync(),
      );
    });
    expect(tf.memory().numTensors).toBe(before);
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const expected = [sigmoid(2) - 1, sigmoid(-1) / 2, sigmoid(0.5) / 2, 0];
    grad.forEach((g, i) => {
      expect(Number.isFinite(g)).toBe(true);
      expect(g).toBeCloseTo(expected[i] ?? Number.NaN, 6);
    });
  });

  it('trains a variable with optimizer.minimize and releases everything', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.zeros([2, 1])));
    const optimizer = tf.train.adam(0.1);
    const x = tf.tensor2d([
      [1, 0],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    const y = tf.tensor1d([1, 0, 0, 0, 0]);
    const loss = () => hardNegativeMiningLoss(tf.reshape(tf.matMul(x, w), [5]), y, 3);
    const first = scalarOf(loss);
    for (let i = 0; i < 20; i++) optimizer.minimize(loss);
    const last = scalarOf(loss);
    expect(last).toBeLessThan(first / 2);
    tf.dispose([w, x, y]);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad shapes and ratios', () => {
    expect(() => tf.tidy(() => hardNegativeMiningLoss(tf.zeros([2, 2, 2]), tf.zeros([2, 2, 2]), 1))).toThrow(/\[n\] or \[n, k\]/);
    expect(() => tf.tidy(() => hardNegativeMiningLoss(tf.zeros([0]), tf.zeros([0]), 1))).toThrow(/empty/);
    expect(() => tf.tidy(() => hardNegativeMiningLoss(tf.zeros([3]), tf.zeros([3]), -1))).toThrow(/ratio/);
    expect(() => tf.tidy(() => hardNegativeMiningLoss(tf.zeros([3]), tf.zeros([3]), Number.NaN))).toThrow(/ratio/);
    expect(() => tf.tidy(() => hardNegativeMiningLoss(tf.zeros([3]), tf.zeros([4]), 1))).toThrow(/differ in shape/);
  });
});
