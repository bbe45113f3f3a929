// Training losses (docs/origin.md, "Training"): sigmoid cross-entropy on logits, averaged, and the same loss
// with hard negative mining for tags whose positives are rare. Tensor functions, differentiable, meant to
// be called inside tf.variableGrads / optimizer.minimize; nothing is read back to JS.
import * as tf from '@tensorflow/tfjs';

/**
 * Elementwise sigmoid cross-entropy of logits x against 0/1 labels z, in the overflow-free form
 * max(x, 0) - x * z + log(1 + exp(-|x|)). Same shape as the inputs. relu (not maximum(x, 0)) so the
 * gradient at x = 0 is exactly sigmoid(0) - z.
 */
export function sigmoidCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  checkSameShape(logits, labels, 'sigmoidCrossEntropy');
  return tf.tidy(() => {
    const x = logits.toFloat();
    const z = labels.toFloat();
    return tf.add(tf.sub(tf.relu(x), tf.mul(x, z)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
  });
}

/** Mean of sigmoidCrossEntropy over every element: a scalar. */
export function meanSigmoidCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(sigmoidCrossEntropy(logits, labels)));
}

/**
 * Sigmoid cross-entropy with hard negative mining, for logits/labels of shape [n] or [n, k] (k tags).
 * Each tag (column) is mined on its own:
 *   P = max(number of positives, 1)
 *   N = clamp(round(P * ratio), 1, n)            (round half up)
 *   loss = sum(positive losses) / P + sum(the N largest negative losses) / N
 * and a [n, k] input gives the mean of the k column losses. The batch is n, so when a column has fewer
 * than N negatives the missing ones count as 0 loss and the sum is still divided by N (the positives'
 * losses are zeroed in the negative vector before ranking, so they fill the gap with zeros): a batch that
 * is mostly positives then weighs its few negatives less, as in the original design.
 *
 * Gradients flow through the selected losses only; which negatives are selected is treated as a
 * constant (the ranking itself has no gradient). Labels must be 0 or 1 (not checked: no readback).
 */
export function hardNegativeMiningLoss(logits: tf.Tensor, labels: tf.Tensor, ratio: number): tf.Scalar {
  checkSameShape(logits, labels, 'hardNegativeMiningLoss');
  if (logits.rank !== 1 && logits.rank !== 2) {
    throw new Error(`hardNegativeMiningLoss: logits must be [n] or [n, k], got [${logits.shape.join(', ')}]`);
  }
  if (Number.isNaN(ratio) || ratio < 0) throw new Error(`hardNegativeMiningLoss: ratio must be >= 0, got ${ratio}`);
  const n = logits.shape[0] ?? 0;
  const k = logits.rank === 2 ? (logits.shape[1] ?? 0) : 1;
  if (n === 0 || k === 0) throw new Error(`hardNegativeMiningLoss: empty batch [${logits.shape.join(', ')}]`);

  return tf.tidy(() => {
    // One row per tag: [k, n].
    const z = tf.transpose(tf.reshape(labels.toFloat(), [n, k]));
    const losses = tf.transpose(tf.reshape(sigmoidCrossEntropy(logits, labels), [n, k]));
    const positives = tf.sum(tf.mul(losses, z), 1); // [k]
    const negatives = tf.mul(losses, tf.sub(1, z)); // [k, n], positives' losses set to 0
    const p = tf.maximum(tf.sum(z, 1), 1); // [k]
    const count = tf.clipByValue(tf.floor(tf.add(tf.mul(p, ratio), 0.5)), 1, n); // [k]
    const keep = topNMask(negatives, count); // [k, n] of 0/1, constant for the gradient
    const hardest = tf.sum(tf.mul(negatives, keep), 1); // [k]
    return tf.mean(tf.add(tf.div(positives, p), tf.div(hardest, count)));
  });
}

function checkSameShape(logits: tf.Tensor, labels: tf.Tensor, where: string): void {
  if (!tf.util.arraysEqual(logits.shape, labels.shape)) {
    throw new Error(`${where}: logits [${logits.shape.join(', ')}] and labels [${labels.shape.join(', ')}] differ in shape`);
  }
}

/**
 * For each row of values [k, n], a 0/1 mask marking its count[row] largest entries (exactly that many,
 * ties broken by tf.topk). Wrapped in customGrad with a zero gradient: ops run inside customGrad's forward
 * pass are not recorded on the gradient tape, so the ranking (TopK has no gradient in tfjs) stays out of
 * backprop and the mask acts as a constant.
 */
const topNMask = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [values, count] = inputs;
  if (!(values instanceof tf.Tensor) || !(count instanceof tf.Tensor)) throw new Error('topNMask(values, count) takes two tensors');
  const [rows, n] = values.shape as [number, number];
  const mask = tf.tidy(() => {
    // order[r, j] = index of the j-th largest value; rank[r, i] = position of value i in that order
    // (the inverse permutation, by sorting the indices ascending).
    const order = tf.topk(values, n).indices.toFloat();
    const rank = tf.topk(tf.neg(order), n).indices;
    return tf.less(rank, tf.reshape(count, [rows, 1])).toFloat();
  });
  return { value: mask, gradFunc: () => [tf.zerosLike(values), tf.zerosLike(count)] };
});
