import { describe, expect, it } from 'vitest';
import type { ModelStatus } from '../../src/messaging/background-offscreen';
import { backendText, modelName, modelStateText, pageKind, thresholdText, toThreshold } from '../../src/ui/status-text';
import { percent } from '../../src/util/percent';

const status = (over: Partial<ModelStatus>): ModelStatus => ({
  detectors: { faces: { state: 'idle' }, objects: { state: 'idle' } },
  model: 'mobilenet_v2_mid',
  state: 'ready',
  backend: 'webgl',
  reason: 'GPU found',
  ...over,
});

describe('thresholdText', () => {
  it.each([
    [0.7, 'Cover when NSFW score ≥ 70%'],
    [0, 'Cover when NSFW score ≥ 0%'],
    [1, 'Cover when NSFW score ≥ 100%'],
    [0.555, 'Cover when NSFW score ≥ 56%'],
    [0.07, 'Cover when NSFW score ≥ 7%'],
  ])('%s -> %s', (value, text) => {
    expect(thresholdText(value)).toBe(text);
  });

  it('percent rounds', () => {
    expect(percent(0.289999)).toBe('29%');
  });
});

describe('toThreshold', () => {
  it.each<[string | number, number | null]>([
    ['0.7', 0.7],
    ['0.70000000001', 0.7],
    [0.1 + 0.2, 0.3],
    ['0', 0],
    ['1', 1],
    ['1.5', 1],
    ['-0.2', 0],
    ['', null],
    ['abc', null],
    [Number.NaN, null],
  ])('%j -> %j', (raw, expected) => {
    expect(toThreshold(raw)).toBe(expected);
  });
});

describe('model status', () => {
  it.each<[Partial<ModelStatus>, string]>([
    [{ state: 'ready' }, 'ready'],
    [{ state: 'loading' }, 'loading…'],
    [{ state: 'idle' }, 'idle (loads with the first image)'],
    [{ state: 'failed', error: 'WebGL context lost' }, 'failed: WebGL context lost'],
    [{ state: 'failed' }, 'failed'],
  ])('%j -> %s', (over, text) => {
    expect(modelStateText(status(over))).toBe(text);
  });

  it.each<[Partial<ModelStatus>, string]>([
    [{}, 'webgl (GPU found)'],
    [{ reason: '' }, 'webgl'],
    [{ backend: null, reason: 'probing' }, 'probing'],
    [{ backend: null, reason: '' }, 'not chosen yet'],
    [{ backend: 'wasm', reason: 'no GPU', workers: 3 }, 'wasm on 3 cores (no GPU)'],
    [{ batch: { size: 16, curve: [] } }, 'webgl, batches of 16 (GPU found)'],
    [{ batch: { size: 1, curve: [] } }, 'webgl, batches of 1 (GPU found)'],
    [
      { recovery: 'the WebGL context was lost; reloaded on webgl (21:03)' },
      'webgl (GPU found). Recovered: the WebGL context was lost; reloaded on webgl (21:03)',
    ],
  ])('backend %j -> %s', (over, text) => {
    expect(backendText(status(over))).toBe(text);
  });

  it('names the model by its catalog label', () => {
    expect(modelName(status({ model: 'inception_v3' }))).toBe('Inception v3 (largest, 21 MB)');
  });
});

describe('pageKind', () => {
  it.each([
    ['https://example.com/', 'web'],
    ['http://localhost:8080/', 'web'],
    ['file:///tmp/a.html', 'file'],
    ['FILE:///tmp/a.html', 'file'],
    ['chrome://extensions', 'other'],
    ['chrome-extension://abc/popup.html', 'other'],
    ['about:blank', 'other'],
    ['', 'other'],
  ])('%s -> %s', (url, kind) => {
    expect(pageKind(url)).toBe(kind);
  });
});
