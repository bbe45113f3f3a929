// Turns decoded images into the model's input batch, exactly as nsfwjs's NSFWJS.infer does, so our
// scores match the published models: float -> /255 -> bilinear resize (alignCorners) only when the
// image is not already size x size -> batch. Same ops in the same order keep even the float rounding
// identical, so tests can compare with nsfwjs at tight tolerances.
import * as tf from '@tensorflow/tfjs';

/** What predict accepts: one image, a list of images of any sizes, or an already stacked batch. */
export type ImageBatch = tf.Tensor3D | readonly tf.Tensor3D[] | tf.Tensor4D;

/** Number of images in a batch without touching tensor data. */
export function batchLength(images: ImageBatch): number {
  if (Array.isArray(images)) return images.length;
  const t = images as tf.Tensor3D | tf.Tensor4D;
  return t.rank === 4 ? (t.shape[0] ?? 0) : 1;
}

/** Throws a clear error for anything that is not [h, w, 3] (or [n, h, w, 3]) with a positive size. */
export function assertImageShape(shape: readonly number[], batched: boolean): void {
  const rank = batched ? 4 : 3;
  const what = batched ? '[n, h, w, 3]' : '[h, w, 3]';
  if (shape.length !== rank || shape[rank - 1] !== 3 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new Error(`expected an RGB image tensor of shape ${what}, got [${shape.join(', ')}]`);
  }
}

/**
 * One image [h, w, 3] with 0..255 values (int or float) -> [size, size, 3] float in 0..1.
 * Call inside tf.tidy (intermediates are not disposed here).
 */
export function normalizeImage(image: tf.Tensor3D, size: number): tf.Tensor3D {
  assertImageShape(image.shape, false);
  const scaled = tf.div(tf.cast(image, 'float32'), 255) as tf.Tensor3D;
  if (image.shape[0] === size && image.shape[1] === size) return scaled;
  return tf.image.resizeBilinear(scaled, [size, size], true);
}

/**
 * Images -> the model's input batch [n, size, size, 3] float in 0..1. Each image is resized on its own
 * (they may differ in size), a pre-stacked batch is resized in one op. Call inside tf.tidy.
 */
export function toModelInput(images: ImageBatch, size: number): tf.Tensor4D {
  if (!Number.isInteger(size) || size <= 0) throw new Error(`bad model input size ${size}`);
  if (Array.isArray(images)) {
    if (images.length === 0) throw new Error('empty image batch');
    return tf.stack(images.map((img) => normalizeImage(img, size))) as tf.Tensor4D;
  }
  const t = images as tf.Tensor3D | tf.Tensor4D;
  if (t.rank === 3) return tf.expandDims(normalizeImage(t as tf.Tensor3D, size), 0) as tf.Tensor4D;
  const batch = t as tf.Tensor4D;
  assertImageShape(batch.shape, true);
  const scaled = tf.div(tf.cast(batch, 'float32'), 255) as tf.Tensor4D;
  if (batch.shape[1] === size && batch.shape[2] === size) return scaled;
  return tf.image.resizeBilinear(scaled, [size, size], true);
}
