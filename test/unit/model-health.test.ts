// Model health on the real model files, on TensorFlow.js's WASM backend in Node: an NSFW model whose
// answer is poisoned (NaN, as a broken backend gives) makes the image "couldn't check" and resets the
// backend, and the next image is scored right by a fresh load. The host's scheduling around it is
// tested with fakes in src/offscreen/model-host.test.ts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sayStatus } from '../../src/background/say';
import type { ModelConfig } from '../../src/messaging/background-offscreen';
import { resetBackend } from '../../src/model/backend-health';
import { MODELS } from '../../src/model/catalog';
import { loadNsfwModel, type NsfwModel } from '../../src/model/nsfw-model';
import { referenceImageRgb } from '../../src/model/reference-image';
import { nsfwScore } from '../../src/model/scores';
import { setupBackend } from '../../src/model/setup-backend';
import { createModelHost, type HostedModel } from '../../src/offscreen/model-host';
import { fileIOHandler } from '../helpers/file-io-handler';
import { decodeRgb, galleryFiles, type RgbImage } from '../helpers/gallery';

const spec = MODELS.mobilenet_v2;
const MODEL_JSON = resolve(import.meta.dirname, '..', '..', 'public', 'models', spec.id, 'model.json');
const WASM_DIR = `${resolve(import.meta.dirname, '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')}/`;
const config: ModelConfig = { model: spec.id, backend: 'wasm', detectors: [], personal: null, trained: null, workers: 0 };

let image: RgbImage;
/** Pixels travel as names until the model runs: tensors made earlier would be on no backend yet. */
function toTensor(name: string): tf.Tensor3D {
  const size = spec.inputSize;
  if (name === 'reference') return tf.tensor3d(referenceImageRgb(size), [size, size, 3], 'int32');
  return tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
}
beforeAll(async () => {
  const [file] = galleryFiles();
  if (file === undefined) throw new Error('test/fixtures/gallery/ has no images');
  image = await decodeRgb(file);
});

describe.skipIf(!existsSync(MODEL_JSON))('model health on the real model (WASM)', () => {
  const resets: string[] = [];
  const loaded: NsfwModel[] = [];
  /** What the next predict call does to the model's real answer. */
  let poison: ((classes: number[]) => number[]) | null = null;

  const host = createModelHost<string, string>(
    {
      setupBackend: (choice, avoid) =>
        setupBackend(choice, { avoid, wasmPath: WASM_DIR, probe: async () => ({ webgpu: null, webgl: null, wasm: true, wasmSimd: true }) }),
      resetBackend: (backend) => {
        resets.push(backend);
        resetBackend(backend);
      },
      loadModel: async (): Promise<HostedModel<string>> => {
        const model = await loadNsfwModel({ spec, modelUrl: fileIOHandler(MODEL_JSON) });
        loaded.push(model);
        return {
          async predict(names) {
            const batch = names.map(toTensor);
            try {
              const predictions = await model.predict(batch);
              return predictions.map(({ classes, embedding }) => {
                const answer = poison ? poison(classes) : classes;
                return { classes: answer, embedding, tags: { nsfw: nsfwScore(answer) } };
              });
            } finally {
              tf.dispose(batch);
            }
          },
          dispose: () => model.dispose(),
        };
      },
      referencePixels: async () => 'reference',
      loadDetector: () => Promise.reject(new Error('no detectors here')),
      loadSource: async (url) => url,
      toPixels: async (source) => source,
      release: () => {},
      loadPersonal: async () => null,
      loadTrained: () => Promise.reject(new Error('no trained model here')),
    },
    {
      decodeTimeoutMs: 60_000,
      fetchTimeoutMs: 60_000,
      maxBatch: () => 1,
      maxConcurrentFetches: 2,
      maxFetchesPerHost: 2,
      maxConcurrentDecodes: 2,
      maxDecodedImages: 4,
    },
  );
  afterAll(() => loaded.forEach((m) => m.dispose()));

  let truth: number[] = [];

  it('scores a gallery image on WASM', async () => {
    const result = await host.classify(config, { url: 'photo' });
    if (!result.ok) throw new Error(result.error);
    expect(tf.getBackend()).toBe('wasm');
    truth = result.classes;
    expect(truth.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
  });

  it.each([
    ['the model returns NaN', () => [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN]],
    ['the model returns zeros', () => [0, 0, 0, 0, 0]],
  ] as const)("%s: the image is couldn't check, the backend is reset, the next image is right", async (_label, poisoned) => {
    const before = resets.length;
    const loads = loaded.length;
    poison = poisoned;
    const result = await host.classify(config, { url: 'photo' });
    poison = null;
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^model gave unusable scores: (Drawing is NaN|the NSFW classes sum to 0)/),
    });
    const next = await host.classify(config, { url: 'photo' });
    if (!next.ok) throw new Error(next.error);
    expect(resets.slice(before)).toEqual(['wasm']);
    expect(loaded.length).toBe(loads + 1);
    expect(tf.getBackend()).toBe('wasm');
    // A fresh WASM backend and model give the same answer as before.
    next.classes.forEach((c, i) => expect(c).toBeCloseTo(truth[i] as number, 5));
    expect(sayStatus(host.status())).toMatchObject({
      state: 'ready',
      backend: 'wasm',
      recovery: expect.stringMatching(/unusable scores.*reloaded on wasm/),
    });
  });
});
