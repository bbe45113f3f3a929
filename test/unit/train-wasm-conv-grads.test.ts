import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainingProbe } from '../../scripts/train/train-loop';
import { registerWasmConvGradients } from '../../scripts/train/wasm-conv-grads';

beforeAll(async () => {
  registerWasmConvGradients();
  await tf.setBackend('wasm');
  await tf.ready();
});

/** Gradients of sum(conv2d(x, w)^2) for x and w on one backend. */
async function convGrads(backend: string, shape: { batch: number; k: number; pad: 'same' | 'valid' | number; stride: number }) {
  await tf.setBackend(backend);
  const x = tf.tensor4d(
    Array.from({ length: shape.batch * 9 * 8 * 3 }, (_, i) => Math.sin(i * 0.7)),
    [shape.batch, 9, 8, 3],
  );
  const w = tf.tensor4d(
    Array.from({ length: shape.k * shape.k * 3 * 5 }, (_, i) => Math.cos(i * 0.3)),
    [shape.k, shape.k, 3, 5],
  );
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, shape.stride, shape.pad))),
  );
  const [dx, dw] = grads([x, w]);
  const out = { dx: Array.from(await (dx as tf.Tensor).data()), dw: Array.from(await (dw as tf.Tensor).data()) };
  tf.dispose([x, w, dx, dw]);
  return out;
}

const close = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  const worst = Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number)) / (1 + Math.abs(v))));
  expect(worst).toBeLessThan(1e-5);
};

describe('convolution gradients on WASM', () => {
  it.each([
    { batch: 2, k: 3, pad: 'same' as const, stride: 1 },
    { batch: 1, k: 3, pad: 'valid' as const, stride: 1 },
    { batch: 2, k: 1, pad: 'valid' as const, stride: 1 },
    { batch: 1, k: 1, pad: 'same' as const, stride: 1 },
    { batch: 2, k: 3, pad: 1, stride: 1 },
  ])('match the CPU backend for %o', async (shape) => {
    const cpu = await convGrads('cpu', shape);
    const wasm = await convGrads('wasm', shape);
    close(wasm.dx, cpu.dx);
    close(wasm.dw, cpu.dw);
  });

  it('keep the native input gradient for stride 2, and say why the filter gradient cannot run', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([1, 8, 8, 2]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 2, 2]) as tf.Tensor4D;
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, w, 2, 'same')))(x);
    expect(dx.shape).toEqual([1, 8, 8, 2]);
    expect(() => tf.grad((b: tf.Tensor) => tf.sum(tf.conv2d(x, b as tf.Tensor4D, 2, 'same')))(w)).toThrow(
      /supports stride 1 only, got 2x2; train on the CPU backend/,
    );
    tf.dispose([x, w, dx]);
  });

  it('let a model3 training step run on WASM without leaking tensors', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    expect(await trainingProbe()).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });
});
