import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../messaging/background-offscreen';
import { createModelHost, type ModelHostDeps } from './model-host';

// Pixels here are just the URL: the host's scheduling is under test, the real model is tested in
// test/unit/nsfw-model.test.ts.
function deps(overrides: Partial<ModelHostDeps<string>> = {}) {
  const batches: string[][] = [];
  const released: string[] = [];
  let loads = 0;
  const d: ModelHostDeps<string> = {
    setupBackend: async () => ({ backend: 'wasm', reason: 'no GPU' }),
    loadModel: async () => {
      loads++;
      return {
        predict: async (batch) => (batches.push(batch), batch.map((url) => ({ classes: [0, 0, 1, 0, url.length / 100], embedding: [1, 2] }))),
        dispose: () => {},
      };
    },
    loadPixels: async (url) => {
      if (url.includes('never')) return new Promise<string>(() => {});
      if (url.includes('garbage')) throw new Error('decode failed: not an image');
      return url;
    },
    release: (p) => void released.push(p),
    ...overrides,
  };
  return { d, batches, released, loads: () => loads };
}
const config: ModelConfig = { model: 'mobilenet_v2', backend: 'auto' };
const options = { imageTimeoutMs: 200, maxBatch: 8, maxConcurrentLoads: 4 };

describe('model host', () => {
  it('scores images that arrive together in one batch and reports the backend', async () => {
    const { d, batches } = deps();
    const host = createModelHost(d, options);
    const results = await Promise.all(['a', 'bb', 'ccc'].map((url) => host.classify(config, { url })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(batches).toEqual([['a', 'bb', 'ccc']]);
    expect(host.status()).toMatchObject({ state: 'ready', backend: 'wasm', reason: 'no GPU', model: 'mobilenet_v2' });
  });

  it('fails a broken or hanging image on its own without holding back the others', async () => {
    const { d } = deps();
    const host = createModelHost(d, options);
    const started = Date.now();
    const [garbage, never, fine] = await Promise.all(
      ['garbage', 'never', 'fine'].map((url) => host.classify(config, { url })),
    );
    expect(garbage).toEqual({ ok: false, error: 'decode failed: not an image' });
    expect(never).toEqual({ ok: false, error: 'timed out after 0 s' });
    expect(fine?.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports a model that fails to load, and tries again on the next image', async () => {
    let attempt = 0;
    const { d } = deps();
    const load = d.loadModel;
    d.loadModel = async (spec) => {
      if (attempt++ === 0) throw new Error('weights missing');
      return load(spec);
    };
    const host = createModelHost(d, options);
    const first = await host.classify(config, { url: 'a' });
    expect(first).toEqual({ ok: false, error: 'model failed: weights missing' });
    expect(host.status()).toMatchObject({ state: 'failed', error: 'weights missing' });
    expect((await host.classify(config, { url: 'a' })).ok).toBe(true);
  });

  it('loads the model once per configuration and reloads when it changes', async () => {
    const { d, loads } = deps();
    const host = createModelHost(d, options);
    await host.classify(config, { url: 'a' });
    await host.classify(config, { url: 'b' });
    expect(loads()).toBe(1);
    await host.classify({ ...config, model: 'mobilenet_v2_mid' }, { url: 'c' });
    expect(loads()).toBe(2);
    expect(host.status().model).toBe('mobilenet_v2_mid');
  });

  it('never decodes more images at once than allowed', async () => {
    let active = 0;
    let peak = 0;
    const { d } = deps({
      loadPixels: async (url) => {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return url;
      },
    });
    const host = createModelHost(d, { ...options, maxConcurrentLoads: 2 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => host.classify(config, { url: `u${i}` })));
    expect(peak).toBe(2);
  });
});
