import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel3, model3FinalSide, model3ParamCount, pixelsToInput } from '../../scripts/train/model3';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Output shapes for a 256x256 input, worked out by hand from docs/origin.md (VALID 3x3 takes 2, pooling halves, rounding down). */
const SHAPES_256: Array<[string, Array<number | null>]> = [
  ['conv1_1', [null, 256, 256, 64]], // SAME
  ['conv1_2', [null, 254, 254, 64]],
  ['bn1', [null, 254, 254, 64]],
  ['pool1', [null, 127, 127, 64]],
  ['conv2_1', [null, 125, 125, 128]],
  ['conv2_2', [null, 123, 123, 128]],
  ['bn2', [null, 123, 123, 128]],
  ['pool2', [null, 61, 61, 128]],
  ['conv3_1', [null, 59, 59, 256]],
  ['conv3_2', [null, 57, 57, 256]],
  ['bn3', [null, 57, 57, 256]],
  ['pool3', [null, 28, 28, 256]],
  ['conv4', [null, 28, 28, 64]],
  ['flatten', [null, 50176]], // 28 * 28 * 64
  ['fc1', [null, 768]],
  ['dropout', [null, 768]],
];

// By hand: conv k*k*in*out (+out with bias), batch norm 4 per channel, dense in*out+out.
//   conv1_1 3*3*3*64 = 1728        conv1_2 3*3*64*64 = 36864      bn1 256
//   conv2_1 3*3*64*128 = 73728     conv2_2 3*3*128*128 = 147456   bn2 512
//   conv3_1 3*3*128*256 = 294912   conv3_2 3*3*256*256 = 589824   bn3 1024
//   conv4 256*64+64 = 16448        fc1 50176*768+768 = 38535936
//   sum = 39698688, plus logits 768*N+N
const PARAMS_256: Record<number, number> = { 1: 39698688 + 769, 20: 39698688 + 15380 };

describe('buildModel3 at 256x256', () => {
  it.each([1, 20])('has the layer shapes and parameter count worked out by hand (%i classes)', (numClasses) => {
    const before = tf.memory().numTensors;
    const model = buildModel3({ numClasses, seed: 7 });
    try {
      expect(model.inputs[0]?.shape).toEqual([null, 256, 256, 3]);
      const shapes = model.layers.map((layer) => [layer.name, layer.outputShape]);
      expect(shapes).toEqual([...SHAPES_256, ['logits', [null, numClasses]]]);
      expect(model.countParams()).toBe(PARAMS_256[numClasses]);
      expect(model3ParamCount(numClasses)).toBe(PARAMS_256[numClasses]);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('uses ReLU after every conv and fc1, a conv bias only on the 1x1, and drops 20%', () => {
    const model = buildModel3({ numClasses: 3, inputSize: 40 });
    try {
      const config = (name: string) => model.getLayer(name).getConfig();
      for (const name of ['conv1_1', 'conv1_2', 'conv2_1', 'conv2_2', 'conv3_1', 'conv3_2', 'conv4']) {
        expect(config(name).activation, name).toBe('relu');
        expect(config(name).strides, name).toEqual([1, 1]);
        expect(config(name).useBias, name).toBe(name === 'conv4');
      }
      expect(config('conv1_1').padding).toBe('same');
      expect(config('conv1_2').padding).toBe('valid');
      expect(config('conv4').kernelSize).toEqual([1, 1]);
      expect(config('pool1').poolSize).toEqual([2, 2]);
      expect(config('pool1').strides).toEqual([2, 2]);
      expect(config('fc1').activation).toBe('relu');
      expect(config('logits').activation).toBe('linear');
      expect(config('logits').kernelInitializer).toMatchObject({ className: 'Zeros' });
      expect(config('dropout').rate).toBe(0.2);
    } finally {
      model.dispose();
    }
  });
});

describe('buildModel3 at other sizes', () => {
  it.each([
    // side: 64 -> 62 -> 31 -> 29 -> 27 -> 13 -> 11 -> 9 -> 4
    { inputSize: 64, side: 4 },
    // 34 -> 32 -> 16 -> 14 -> 12 -> 6 -> 4 -> 2 -> 1: the smallest input
    { inputSize: 34, side: 1 },
    { inputSize: 128, side: 12 },
  ])('$inputSize px ends in a $side x $side map and counts its parameters right', ({ inputSize, side }) => {
    expect(model3FinalSide(inputSize)).toBe(side);
    const model = buildModel3({ numClasses: 2, inputSize });
    try {
      expect(model.getLayer('flatten').outputShape).toEqual([null, side * side * 64]);
      expect(model.countParams()).toBe(model3ParamCount(2, inputSize));
    } finally {
      model.dispose();
    }
  });

  it('gives the same weights for the same seed', async () => {
    const a = buildModel3({ numClasses: 2, inputSize: 36, seed: 3 });
    const b = buildModel3({ numClasses: 2, inputSize: 36, seed: 3 });
    const c = buildModel3({ numClasses: 2, inputSize: 36, seed: 4 });
    try {
      const values = (m: tf.LayersModel) => Promise.all(m.getWeights().map((w) => w.data()));
      const [wa, wb, wc] = await Promise.all([values(a), values(b), values(c)]);
      expect(wb).toEqual(wa);
      expect(wc[0]).not.toEqual(wa[0]);
    } finally {
      [a, b, c].forEach((m) => m.dispose());
    }
  });

  it.each([
    { options: { numClasses: 0 }, message: /numClasses must be a positive integer/ },
    { options: { numClasses: 2, inputSize: 33 }, message: /inputSize must be an integer >= 34/ },
    { options: { numClasses: 2, dropRate: 1 }, message: /dropRate must be in \[0, 1\)/ },
    { options: { numClasses: 2, seed: 1.5 }, message: /seed must be an integer/ },
  ])('refuses $options', ({ options, message }) => {
    expect(() => buildModel3(options)).toThrow(message);
  });
});

describe('pixelsToInput', () => {
  it('scales RGB bytes to 0..1 in [n, size, size, 3]', async () => {
    const pixels = new Uint8Array(2 * 2 * 2 * 3).map((_, i) => (i === 0 ? 255 : i === 1 ? 51 : 0));
    const x = pixelsToInput(pixels, 2, 2);
    expect(x.shape).toEqual([2, 2, 2, 3]);
    const values = await x.data();
    expect(values[0]).toBeCloseTo(1, 6);
    expect(values[1]).toBeCloseTo(0.2, 6);
    x.dispose();
  });

  it('refuses a byte count that does not match', () => {
    expect(() => pixelsToInput(new Uint8Array(10), 1, 2)).toThrow(/10 bytes is not 1 images of 2x2x3/);
  });
});
