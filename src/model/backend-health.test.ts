import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { say } from '../background/say';
import { drift, referenceImage, referenceImageRgb } from './reference-image';
import { resetBackend, watchDevice } from './backend-health';

describe('watchDevice', () => {
  it('reports a lost WebGL context once, from the event on its canvas', () => {
    const canvas = new EventTarget();
    const lost: string[] = [];
    watchDevice('webgl', { gpgpu: { gl: { canvas } } }, (why) => lost.push(say(why)));
    canvas.dispatchEvent(new Event('webglcontextlost'));
    canvas.dispatchEvent(new Event('webglcontextlost'));
    expect(lost).toEqual(['the WebGL context was lost']);
  });

  it('reports a WebGL context lost before the watch began at once, and once', () => {
    const canvas = new EventTarget();
    const lost: string[] = [];
    watchDevice('webgl', { gpgpu: { gl: { canvas, isContextLost: () => true } } }, (why) => lost.push(say(why)));
    canvas.dispatchEvent(new Event('webglcontextlost'));
    expect(lost).toEqual(['the WebGL context was lost']);
  });

  it('reports a lost WebGPU device with its reason', async () => {
    let lose: (info: { reason: string; message: string }) => void = () => {};
    const device = { lost: new Promise<{ reason: string; message: string }>((resolve) => (lose = resolve)) };
    const lost: string[] = [];
    watchDevice('webgpu', { device }, (why) => lost.push(say(why)));
    lose({ reason: 'unknown', message: 'GPU process crashed' });
    await device.lost;
    await Promise.resolve();
    expect(lost).toEqual(['the WebGPU device was lost (unknown: GPU process crashed)']);
  });

  it('says nothing once unwatched: a reset destroys the device on purpose', async () => {
    const canvas = new EventTarget();
    let lose: (info: { reason: string }) => void = () => {};
    const device = { lost: new Promise<{ reason: string }>((resolve) => (lose = resolve)) };
    const lost: string[] = [];
    watchDevice('webgl', { gpgpu: { gl: { canvas } } }, (why) => lost.push(say(why)))();
    watchDevice('webgpu', { device }, (why) => lost.push(say(why)))();
    canvas.dispatchEvent(new Event('webglcontextlost'));
    lose({ reason: 'destroyed' });
    await device.lost;
    await Promise.resolve();
    expect(lost).toEqual([]);
  });
});

describe('resetBackend', () => {
  it("drops tfjs's instance and keeps the backend startable", async () => {
    await tf.setBackend('cpu');
    const before = tf.backend();
    resetBackend('cpu');
    expect(await tf.setBackend('cpu')).toBe(true);
    expect(tf.backend()).not.toBe(before);
    expect(tf.tensor1d([1, 2]).sum().arraySync()).toBe(3);
  });
});

describe('reference image', () => {
  it('is the same every time and not flat', () => {
    expect(referenceImage(16)).toEqual(referenceImage(16));
    const rgb = referenceImageRgb(32);
    expect(rgb.length).toBe(32 * 32 * 3);
    expect(new Set(rgb).size).toBeGreaterThan(20);
  });

  it.each([
    [[0.1, 0.9], [0.1, 0.9], 0],
    [[0.1, 0.9], [0.15, 0.85], 0.05],
    [[Number.NaN, 1], [0, 1], Number.POSITIVE_INFINITY],
    [[1], [0.5, 0.5], Number.POSITIVE_INFINITY],
  ])('drift(%j, %j) = %s', (reading, reference, expected) => {
    expect(drift(reading, reference)).toBeCloseTo(expected, 10);
  });
});
