// The original model ("model3", docs/origin.md) as a tfjs layers model.
//
//   input  S x S x 3, RGB scaled to 0..1 (MODEL3_PREPROCESSING; S = 256)
//   conv1_1 3x3x64 SAME, conv1_2 3x3x64 VALID, bn1, pool1 2x2/2
//   conv2_1 3x3x128 VALID, conv2_2 3x3x128 VALID, bn2, pool2 2x2/2
//   conv3_1 3x3x256 VALID, conv3_2 3x3x256 VALID, bn3, pool3 2x2/2
//   conv4 1x1x64 with bias
//   flatten, fc1 dense 768, dropout, logits dense NUM_CLASSES
// ReLU after every conv and after fc1; no conv bias except conv4's (the 3x3 convs feed batch norm, or a
// conv that does, so a bias would be redundant). Spatial sizes for S = 256: 256 -> 256 -> 254 -> 127 ->
// 125 -> 123 -> 61 -> 59 -> 57 -> 28, so flatten has 28 * 28 * 64 = 50176 features.
// The model outputs logits; apply a sigmoid per tag at inference (the descriptor says output: 'logits').
//
// Where it departs from the talk, and why:
// - Dropout RATE is 0.2. The talk's code passed keep_prob=0.8 as dropout's rate, which drops 80% of the
//   units; the intent (keep 80%) is a rate of 0.2.
// - Weight initialisation is not in the talk: He-normal for the ReLU layers (seeded when `seed` is
//   given), zeros for the logits, so training starts from 0.5 for every tag (loss ln 2). With Glorot
//   logits a 256 px model started from confident answers, a training loss near 3 in its first epoch.
// - Batch-norm momentum defaults to 0.9 (Keras: 0.99). A personal dataset is a few hundred images, so an
//   epoch is a few dozen steps; at 0.99 the running statistics used at inference would still be mostly
//   their initial values after a short training run.
import * as tf from '@tensorflow/tfjs';
import type { MeganePreprocessing } from '../../src/train/megane-model';

export const MODEL3_INPUT_SIZE = 256;
export const MODEL3_DROP_RATE = 0.2;
export const MODEL3_BN_MOMENTUM = 0.9;
/** The smallest input whose last pooling still leaves a 1x1 map. */
export const MODEL3_MIN_INPUT_SIZE = 34;

/**
 * What the model expects: the image stretched (aspect ratio not kept) to inputSize x inputSize, RGB,
 * each 0..255 channel value divided by 255. This is what the extension does at inference
 * (createImageBitmap to 256x256, tf.browser.fromPixels, / 255), and what scripts/train/dataset.ts does in Node.
 */
export const MODEL3_PREPROCESSING: MeganePreprocessing = { resize: 'stretch', scale: '1/255', channels: 'RGB' };

export interface Model3Options {
  /** 1 for the plain NSFW detector, 20 for the tag classifier; any count of tags in between. */
  numClasses: number;
  /** Side of the square input. Default 256; smaller only to make tests and experiments fast. */
  inputSize?: number;
  /** Dropout rate before the logits. Default 0.2 (see the header). */
  dropRate?: number;
  /** Batch-norm momentum. Default 0.9 (see the header). */
  batchNormMomentum?: number;
  /** Seeds the weight initialisers (layer i uses seed + i). Unseeded when absent. */
  seed?: number;
}

export function buildModel3(options: Model3Options): tf.Sequential {
  const { numClasses, inputSize, dropRate, batchNormMomentum, seed } = checkOptions(options);
  let layerIndex = 0;
  const init = () => tf.initializers.heNormal({ seed: seed === undefined ? undefined : seed + layerIndex++ });
  const conv = (name: string, filters: number, kernelSize: number, padding: 'same' | 'valid', useBias: boolean, inputShape?: number[]) =>
    tf.layers.conv2d({
      name,
      filters,
      kernelSize,
      strides: 1,
      padding,
      useBias,
      activation: 'relu',
      kernelInitializer: init(),
      ...(inputShape ? { inputShape } : {}),
    });
  const bn = (name: string) => tf.layers.batchNormalization({ name, momentum: batchNormMomentum, epsilon: 1e-3 });
  const pool = (name: string) => tf.layers.maxPooling2d({ name, poolSize: 2, strides: 2, padding: 'valid' });

  const model = tf.sequential({ name: 'model3' });
  model.add(conv('conv1_1', 64, 3, 'same', false, [inputSize, inputSize, 3]));
  model.add(conv('conv1_2', 64, 3, 'valid', false));
  model.add(bn('bn1'));
  model.add(pool('pool1'));
  model.add(conv('conv2_1', 128, 3, 'valid', false));
  model.add(conv('conv2_2', 128, 3, 'valid', false));
  model.add(bn('bn2'));
  model.add(pool('pool2'));
  model.add(conv('conv3_1', 256, 3, 'valid', false));
  model.add(conv('conv3_2', 256, 3, 'valid', false));
  model.add(bn('bn3'));
  model.add(pool('pool3'));
  model.add(conv('conv4', 64, 1, 'valid', true));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dense({ name: 'fc1', units: 768, activation: 'relu', kernelInitializer: init() }));
  // No seed here on purpose: tfjs re-seeds dropout with the same seed on every call, which would drop the
  // same units at every step.
  model.add(tf.layers.dropout({ name: 'dropout', rate: dropRate }));
  model.add(tf.layers.dense({ name: 'logits', units: numClasses, kernelInitializer: 'zeros' }));
  return model;
}

/**
 * The parameter count of buildModel3, by hand (weights, biases, and batch norm's gamma, beta, moving mean
 * and moving variance: everything model.countParams() counts).
 */
export function model3ParamCount(numClasses: number, inputSize = MODEL3_INPUT_SIZE): number {
  checkOptions({ numClasses, inputSize });
  const conv = (k: number, cin: number, cout: number, bias: boolean) => k * k * cin * cout + (bias ? cout : 0);
  const bn = (channels: number) => 4 * channels;
  const dense = (inputs: number, units: number) => inputs * units + units;
  const side = model3FinalSide(inputSize);
  return (
    conv(3, 3, 64, false) +
    conv(3, 64, 64, false) +
    bn(64) +
    conv(3, 64, 128, false) +
    conv(3, 128, 128, false) +
    bn(128) +
    conv(3, 128, 256, false) +
    conv(3, 256, 256, false) +
    bn(256) +
    conv(1, 256, 64, true) +
    dense(side * side * 64, 768) +
    dense(768, numClasses)
  );
}

/** Side of the last feature map (pool3) for an input side: 256 -> 28. */
export function model3FinalSide(inputSize: number): number {
  const pool = (n: number) => Math.floor(n / 2);
  const valid = (n: number) => n - 2;
  let s = inputSize; // conv1_1 SAME keeps it
  s = pool(valid(s));
  s = pool(valid(valid(s)));
  s = pool(valid(valid(s)));
  return s;
}

/**
 * A batch of decoded images as model input: `pixels` holds `count` images of size x size x 3 RGB bytes,
 * back to back; the result is [count, size, size, 3] float32 in 0..1 (MODEL3_PREPROCESSING).
 */
export function pixelsToInput(pixels: Uint8Array, count: number, size: number): tf.Tensor4D {
  if (pixels.length !== count * size * size * 3) {
    throw new Error(`pixelsToInput: ${pixels.length} bytes is not ${count} images of ${size}x${size}x3`);
  }
  return tf.tidy(() => tf.div(tf.tensor4d(pixels, [count, size, size, 3], 'int32'), 255));
}

function checkOptions(options: Model3Options): Required<Omit<Model3Options, 'seed'>> & { seed?: number } {
  const { numClasses, inputSize = MODEL3_INPUT_SIZE, dropRate = MODEL3_DROP_RATE, batchNormMomentum = MODEL3_BN_MOMENTUM, seed } = options;
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`model3: numClasses must be a positive integer, got ${numClasses}`);
  if (!Number.isInteger(inputSize) || inputSize < MODEL3_MIN_INPUT_SIZE) {
    throw new Error(`model3: inputSize must be an integer >= ${MODEL3_MIN_INPUT_SIZE}, got ${inputSize}`);
  }
  if (!(dropRate >= 0 && dropRate < 1)) throw new Error(`model3: dropRate must be in [0, 1), got ${dropRate}`);
  if (!(batchNormMomentum >= 0 && batchNormMomentum < 1))
    throw new Error(`model3: batchNormMomentum must be in [0, 1), got ${batchNormMomentum}`);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`model3: seed must be an integer, got ${seed}`);
  return { numClasses, inputSize, dropRate, batchNormMomentum, seed };
}
