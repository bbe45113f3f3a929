// L2-regularised logistic regression on standardised features, trained by Nesterov-accelerated full-batch
// gradient descent for a fixed number of steps: no randomness and a fixed operation order, so the same
// data gives bit-identical weights on every run.
import { sigmoid } from '../../src/model/embedding-heads';

export interface Standardiser {
  mean: Float64Array;
  /** Per-feature scale used for dividing (never 0, see fitStandardiser). */
  scale: Float64Array;
}

export interface LinearModel {
  /** Weights on standardised features. */
  weights: Float64Array;
  bias: number;
}

export interface TrainOptions {
  /** L2 strength on the weights (the bias is not penalised); the loss is the weighted mean log-loss. */
  lambda: number;
  iterations: number;
}

/**
 * Mean and scale per feature. Pooled ReLU6 features are often almost always 0; dividing by their tiny
 * spread would blow up the folded weights, so the scale is floored at a tenth of the median spread.
 */
export function fitStandardiser(rows: readonly Float64Array[]): Standardiser {
  const first = rows[0];
  if (first === undefined) throw new Error('no rows to standardise');
  const d = first.length;
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] = (mean[j] ?? 0) + (row[j] ?? 0) / rows.length;
  for (const row of rows) {
    for (let j = 0; j < d; j++) {
      const diff = (row[j] ?? 0) - (mean[j] ?? 0);
      variance[j] = (variance[j] ?? 0) + (diff * diff) / rows.length;
    }
  }
  const spread = Array.from(variance, (v) => Math.sqrt(v));
  const sorted = [...spread].sort((a, b) => a - b);
  const floor = Math.max(0.1 * (sorted[Math.floor(sorted.length / 2)] ?? 0), 1e-6);
  return { mean, scale: Float64Array.from(spread, (s) => Math.sqrt(s * s + floor * floor)) };
}

export function standardise(rows: readonly Float64Array[], s: Standardiser): Float64Array[] {
  return rows.map((row) => Float64Array.from(row, (x, j) => (x - (s.mean[j] ?? 0)) / (s.scale[j] ?? 1)));
}

// The hot loops index typed arrays within their length: `as number` (no `?? 0`) keeps them fast.
/** w . x over x's length (w may be longer: the power iteration's vector carries the bias last). */
function dot(w: Float64Array, x: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < x.length; j++) sum += (w[j] as number) * (x[j] as number);
  return sum;
}

/** Sample weights that give both classes the same total weight (the sets are unbalanced). */
export function balancedWeights(labels: readonly number[]): number[] {
  const positives = labels.filter((y) => y === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) throw new Error('need examples of both classes');
  return labels.map((y) => (y === 1 ? labels.length / (2 * positives) : labels.length / (2 * negatives)));
}

/**
 * Top eigenvalue of (1/total) sum_i c_i [x_i 1][x_i 1]^T by power iteration from the all-ones vector
 * (deterministic), times 1.1 as a margin since power iteration approaches it from below.
 */
function largestEigenvalue(x: readonly Float64Array[], c: readonly number[], total: number): number {
  const d = (x[0]?.length ?? 0) + 1;
  let v = new Float64Array(d).fill(1 / Math.sqrt(d));
  let eigen = 1;
  for (let k = 0; k < 50; k++) {
    const next = new Float64Array(d);
    x.forEach((row, i) => {
      const projection = (dot(v, row) + (v[d - 1] ?? 0)) * ((c[i] ?? 0) / total);
      for (let j = 0; j < d - 1; j++) next[j] = (next[j] ?? 0) + projection * (row[j] ?? 0);
      next[d - 1] = (next[d - 1] ?? 0) + projection;
    });
    eigen = Math.sqrt(next.reduce((sum, value) => sum + value * value, 0));
    if (eigen === 0) return 1;
    v = next.map((value) => value / eigen);
  }
  return eigen * 1.1;
}

/**
 * Fits w, b minimising  sum_i c_i * logloss(y_i, w.x_i + b) / sum_i c_i  +  lambda/2 * |w|^2.
 * Step size 1/L, L = the gradient's Lipschitz constant (top eigenvalue of the weighted [x 1] covariance / 4
 * + lambda), estimated by power iteration.
 */
export function trainLogistic(
  x: readonly Float64Array[],
  y: readonly number[],
  sampleWeights: readonly number[],
  options: TrainOptions,
): LinearModel {
  const n = x.length;
  const first = x[0];
  if (first === undefined || n !== y.length || n !== sampleWeights.length)
    throw new Error('x, y and weights must be non-empty and aligned');
  const d = first.length;
  const total = sampleWeights.reduce((a, b) => a + b, 0);
  const step = 1 / (largestEigenvalue(x, sampleWeights, total) / 4 + options.lambda);

  let w = new Float64Array(d);
  let b = 0;
  let prevW = new Float64Array(d);
  let prevB = 0;
  const grad = new Float64Array(d);
  for (let t = 1; t <= options.iterations; t++) {
    // Nesterov look-ahead point v = w + (t-1)/(t+2) (w - w_prev)
    const momentum = (t - 1) / (t + 2);
    const v = new Float64Array(d);
    for (let j = 0; j < d; j++) v[j] = (w[j] as number) + momentum * ((w[j] as number) - (prevW[j] as number));
    const vb = b + momentum * (b - prevB);
    grad.fill(0);
    let gradB = 0;
    for (let i = 0; i < n; i++) {
      const row = x[i] as Float64Array;
      const residual = ((sampleWeights[i] as number) * (sigmoid(dot(v, row) + vb) - (y[i] as number))) / total;
      for (let j = 0; j < d; j++) grad[j] = (grad[j] as number) + residual * (row[j] as number);
      gradB += residual;
    }
    prevW = w;
    prevB = b;
    w = new Float64Array(d);
    for (let j = 0; j < d; j++) w[j] = (v[j] as number) - step * ((grad[j] as number) + options.lambda * (v[j] as number));
    b = vb - step * gradB;
  }
  return { weights: w, bias: b };
}

export function predictProbability(model: LinearModel, row: Float64Array): number {
  return sigmoid(dot(model.weights, row) + model.bias);
}

/**
 * The same model on raw (unstandardised) features: w'_j = w_j / scale_j, b' = b - sum_j w_j mean_j / scale_j,
 * so the extension only needs sigmoid(w'.x + b').
 */
export function foldStandardiser(model: LinearModel, s: Standardiser): { weights: number[]; bias: number } {
  const weights = Array.from(model.weights, (w, j) => w / (s.scale[j] ?? 1));
  let bias = model.bias;
  for (let j = 0; j < weights.length; j++) bias -= (weights[j] ?? 0) * (s.mean[j] ?? 0);
  return { weights, bias };
}

/** Rounds to `digits` significant digits (keeps the shipped JSON small). */
export function roundSignificant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/** Fraction of rows whose probability falls on the right side of 0.5. */
export function accuracy(probabilities: readonly number[], labels: readonly number[]): number {
  if (probabilities.length === 0) return Number.NaN;
  let right = 0;
  probabilities.forEach((p, i) => {
    if ((p >= 0.5 ? 1 : 0) === labels[i]) right++;
  });
  return right / probabilities.length;
}
