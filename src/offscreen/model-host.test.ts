import { describe, expect, it, vi } from 'vitest';
import { sayStatus } from '../background/say';
import type { ModelConfig } from '../messaging/background-offscreen';
import { onFusedScale } from '../tags/fuse-scores';
import { createModelHost, type HostedModel, type ModelHostDeps } from './model-host';

/** A fake detector's raw score as the host reports it: fused, on the scale where its threshold is 0.5. */
const face = (raw: number) => onFusedScale(raw, 0.7);
const cat = (raw: number) => onFusedScale(raw, 0.35);

// Sources and pixels here are strings ("url@size"): the host's scheduling is under test, the real
// models are tested in test/unit/*.test.ts.
function deps(overrides: Partial<ModelHostDeps<string, string>> = {}) {
  const batches: string[][] = [];
  const released: string[] = [];
  const detectorRuns: string[][] = [];
  const trainedRuns: string[][] = [];
  let loads = 0;
  const detectorLoads: string[] = [];
  const d: ModelHostDeps<string, string> = {
    setupBackend: async () => ({ backend: 'wasm', reason: 'no GPU' }),
    loadModel: async () => {
      loads++;
      return {
        predict: async (batch) => {
          batches.push(batch);
          return batch.map((p) => ({ classes: [0, 0, 1 - p.length / 100, 0, p.length / 100], embedding: [1, 2], tags: { photo: 0.9 } }));
        },
        dispose: () => {},
      };
    },
    loadDetector: async (kind) => {
      detectorLoads.push(kind);
      if (kind === 'faces') {
        return {
          decodeSize: 256,
          fit: 'contain',
          scoreBatch: async (b) => {
            detectorRuns.push(b);
            return b.map(() => ({ tags: { face: 0.8 }, faces: [] }));
          },
          dispose: () => {},
        };
      }
      return {
        decodeSize: 512,
        fit: 'contain',
        scoreBatch: async (b) => {
          detectorRuns.push(b);
          return b.map((p) => ({ tags: { cat: p.length / 10 } }));
        },
        dispose: () => {},
      };
    },
    loadSource: async (url) => {
      if (url.includes('never')) return new Promise<string>(() => {});
      if (url.includes('garbage')) throw new Error('fetch failed: HTTP 500');
      return url;
    },
    toPixels: async (source, size, fit) => {
      if (source.includes('undecodable')) throw new Error('decode failed: not an image');
      return fit === 'stretch' ? `${source}@${size}` : `${source}@${size}w`;
    },
    // "anim:<frames>" is an animation whose frames are named by the comma-separated list.
    eachFrame: async (source, _signal, decodeFrame) => {
      if (!source.startsWith('anim:')) return null;
      if (source.includes('nofame')) throw new Error('decode failed: no frame of the animation decodes');
      const out = [];
      for (const frame of source.slice('anim:'.length).split(',')) out.push(await decodeFrame(frame));
      return out;
    },
    release: (p) => void released.push(p),
    loadPersonal: async () => ({
      embeddingSize: 2,
      trainedAt: 5,
      tags: { comic: { weights: [1, 0], bias: -1 } },
      stats: { comic: { positives: 5, negatives: 5, heldOutAccuracy: 1, heldOutCount: 4, trusted: true } },
    }),
    loadTrained: async (id) => {
      if (id === 'broken') throw new Error('weights missing');
      return {
        inputSize: 64,
        tags: ['nsfw', 'megane'],
        predict: async (batch) => {
          trainedRuns.push(batch);
          return batch.map((p) => ({ nsfw: p.length / 100, megane: 0.5 }));
        },
        dispose: () => {},
      };
    },
    ...overrides,
  };
  return { d, batches, released, detectorRuns, trainedRuns, detectorLoads, loads: () => loads };
}
const config: ModelConfig = { model: 'mobilenet_v2', backend: 'auto', detectors: [], personal: null, trained: null, workers: 0 };
const options = {
  fetchTimeoutMs: 200,
  decodeTimeoutMs: 200,
  maxBatch: () => 8,
  maxConcurrentFetches: 4,
  maxFetchesPerHost: 4,
  maxConcurrentDecodes: 4,
  maxDecodedImages: 64,
};

describe('model host', () => {
  it("fetches an anonymous job's image without cookies, every other with", async () => {
    const asked: Array<[string, boolean]> = [];
    const { d } = deps({
      loadSource: async (url, _signal, anonymous) => {
        asked.push([url, anonymous]);
        return url;
      },
    });
    const host = createModelHost(d, options);
    await Promise.all([host.classify(config, { url: 'a', anonymous: true }), host.classify(config, { url: 'b' })]);
    expect(asked.sort()).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('scores images that arrive together in one batch and reports the backend', async () => {
    const { d, batches } = deps();
    const host = createModelHost(d, options);
    const results = await Promise.all(['a', 'bb', 'ccc'].map((url) => host.classify(config, { url })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(batches).toEqual([['a@224', 'bb@224', 'ccc@224']]);
    expect(host.status()).toMatchObject({ state: 'ready', backend: 'wasm', reason: 'no GPU', model: 'mobilenet_v2' });
  });

  it('gives a model with several workers that many batches at once, and asks for the configured workers', async () => {
    const running: string[][] = [];
    let most = 0;
    const asked: number[] = [];
    const { d } = deps({
      loadModel: async (_spec, _backend, workers) => {
        asked.push(workers);
        return {
          lanes: 2,
          predict: async (batch) => {
            running.push(batch);
            most = Math.max(most, running.length);
            await new Promise((r) => setTimeout(r, 20));
            running.splice(running.indexOf(batch), 1);
            return batch.map(() => ({ classes: [0, 0, 1, 0, 0], embedding: [1, 2], tags: {} }));
          },
          dispose: () => {},
        };
      },
    });
    const host = createModelHost(d, { ...options, maxBatch: () => 1 });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((url) => host.classify({ ...config, workers: 2 }, { url })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(most).toBe(2);
    expect(asked).toEqual([2]);
    expect(host.status()).toMatchObject({ state: 'ready', workers: 2 });
  });

  it('fails a broken or hanging image on its own without holding back the others', async () => {
    const { d } = deps();
    const host = createModelHost(d, options);
    const started = Date.now();
    const [garbage, never, fine, undecodable] = await Promise.all(
      ['garbage', 'never', 'fine', 'undecodable'].map((url) => host.classify(config, { url })),
    );
    expect(garbage).toEqual({ ok: false, error: 'fetch failed: HTTP 500' });
    expect(undecodable).toEqual({ ok: false, error: 'decode failed: not an image' });
    expect(never).toEqual({ ok: false, error: 'timed out after 0 s' });
    expect(fine?.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('keeps a host that never answers within its share of the slots, so another host is answered first', async () => {
    const { d } = deps({
      loadSource: async (url) => (url.includes('hung.test') ? new Promise<string>(() => {}) : url),
    });
    const host = createModelHost(d, { ...options, fetchTimeoutMs: 300, maxConcurrentFetches: 4, maxFetchesPerHost: 2 });
    const order: string[] = [];
    const urls = [...Array.from({ length: 6 }, (_, i) => `http://hung.test/${i}.jpg`), 'http://good.test/a.jpg', 'http://good.test/b.jpg'];
    const results = await Promise.all(
      urls.map((url) =>
        host.classify(config, { url }).then((r) => {
          order.push(url);
          return r;
        }),
      ),
    );
    // The good host's images were answered while the hung host's first two were still waiting for headers.
    expect(order.slice(0, 2).sort()).toEqual(['http://good.test/a.jpg', 'http://good.test/b.jpg']);
    expect(results.slice(6).every((r) => r.ok)).toBe(true);
    expect(results.slice(0, 6)).toEqual(Array(6).fill({ ok: false, error: 'timed out after 0 s' }));
  });

  it('stops a cancelled job wherever it is: waiting for a slot, downloading, or decoding', async () => {
    const aborted: string[] = [];
    const started: string[] = [];
    const { d } = deps({
      loadSource: async (url, signal) =>
        started.push(url) && url.includes('hung.test')
          ? new Promise<string>((_, reject) =>
              signal.addEventListener('abort', () => {
                aborted.push(url);
                reject(new Error('aborted'));
              }),
            )
          : url,
    });
    const host = createModelHost(d, { ...options, fetchTimeoutMs: 60_000, maxConcurrentFetches: 4, maxFetchesPerHost: 1 });
    const downloading = new AbortController();
    const waiting = new AbortController();
    const first = host.classify(config, { url: 'http://hung.test/1.jpg' }, downloading.signal);
    const second = host.classify(config, { url: 'http://hung.test/2.jpg' }, waiting.signal);
    await vi.waitFor(() => expect(started).toEqual(['http://hung.test/1.jpg']));
    // The second waits for the host's one slot; cancelled, it leaves the queue without ever fetching.
    waiting.abort();
    expect(await second).toEqual({ ok: false, error: 'cancelled' });
    // The first is downloading: cancelled, the download is aborted at once and its slot is free.
    downloading.abort();
    expect(await first).toEqual({ ok: false, error: 'cancelled' });
    expect(aborted).toEqual(['http://hung.test/1.jpg']);
    expect(started).toEqual(['http://hung.test/1.jpg']);
    // An already cancelled job does nothing; a job after it gets the slot and its answer.
    expect(await host.classify(config, { url: 'http://good.test/a.jpg' }, AbortSignal.abort())).toEqual({ ok: false, error: 'cancelled' });
    const third = new AbortController();
    const late = host.classify(config, { url: 'http://hung.test/3.jpg' }, third.signal);
    await vi.waitFor(() => expect(started).toEqual(['http://hung.test/1.jpg', 'http://hung.test/3.jpg']));
    third.abort();
    expect(await late).toEqual({ ok: false, error: 'cancelled' });
    expect(aborted).toEqual(['http://hung.test/1.jpg', 'http://hung.test/3.jpg']);
  });

  it('aborts a decode that runs past its limit', async () => {
    let aborted = false;
    const { d } = deps({
      toPixels: (_source, _size, _fit, _quality, signal) =>
        new Promise<string>((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('stopped'));
          }),
        ),
    });
    const host = createModelHost(d, { ...options, decodeTimeoutMs: 50 });
    expect(await host.classify(config, { url: 'slow-decode' })).toEqual({ ok: false, error: 'timed out after 0 s' });
    expect(aborted).toBe(true);
  });

  it('reports a model that fails to load, and tries again on the next image', async () => {
    let attempt = 0;
    const { d } = deps();
    const load = d.loadModel;
    d.loadModel = async (spec, backend) => {
      if (attempt++ === 0) throw new Error('weights missing');
      return load(spec, backend, 0);
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

  it('keeps at most maxDecodedImages decoded and unscored: behind a slow model the rest wait undecoded, in order', async () => {
    let decodedNotScored = 0;
    let most = 0;
    const order: string[] = [];
    const { d } = deps({
      toPixels: async (source, size) => {
        most = Math.max(most, ++decodedNotScored);
        return `${source}@${size}`;
      },
      loadModel: async () => ({
        predict: async (batch) => {
          await new Promise((r) => setTimeout(r, 5));
          decodedNotScored -= batch.length;
          order.push(...batch);
          return batch.map(() => ({ classes: [0, 0, 1, 0, 0], embedding: [1, 2], tags: {} }));
        },
        dispose: () => {},
      }),
    });
    const host = createModelHost(d, { ...options, maxBatch: () => 1, maxDecodedImages: 2 });
    const urls = Array.from({ length: 12 }, (_, i) => `img${i}`);
    const results = await Promise.all(urls.map((url) => host.classify(config, { url })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(most).toBe(2);
    expect(order).toEqual(urls.map((u) => `${u}@224`));
  });

  it('gives the place among the decoded back when an image fails to decode, and once it is scored', async () => {
    const { d } = deps();
    const host = createModelHost(d, { ...options, maxDecodedImages: 1 });
    // One place: an image that kept it would leave every later one waiting.
    expect(await host.classify(config, { url: 'undecodable' })).toMatchObject({ ok: false });
    expect(await host.classify({ ...config, detectors: ['faces'] }, { url: 'a' })).toMatchObject({ ok: true });
    expect(await host.classify(config, { url: 'a' })).toMatchObject({ ok: true });
    expect(await host.classify(config, { url: 'b' })).toMatchObject({ ok: true });
  });

  it.each([
    ['a GPU that gains up to 8', (n: number) => (n <= 8 ? 40 + 2 * n : 20 * n), 'webgl', 8],
    ['a device that gains nothing', (n: number) => 30 * n, 'webgl', 1],
  ] as const)('measures the batch size at load on %s, and batches by it', async (_label, cost, backend, size) => {
    let clock = 0;
    const batches: number[] = [];
    const { d } = deps({
      setupBackend: async () => ({ backend, reason: 'test' }),
      referencePixels: async (s) => `reference@${s}`,
      loadModel: async () => ({
        predict: async (batch) => {
          clock += cost(batch.length);
          if (!batch[0]?.startsWith('reference')) batches.push(batch.length);
          return batch.map(() => ({ classes: [0, 0, 1, 0, 0], embedding: [1, 2], tags: {} }));
        },
        dispose: () => {},
      }),
    });
    const host = createModelHost(d, { ...options, maxBatch: () => 16, tuneBatchOn: ['webgl', 'webgpu'], now: () => clock });
    const urls = Array.from({ length: 20 }, (_, i) => `img${i}`);
    const results = await Promise.all(urls.map((url) => host.classify(config, { url })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(host.status().batch?.size).toBe(size);
    expect(host.status().batch?.curve[0]).toEqual({ size: 1, msPerImage: cost(1) });
    expect(Math.max(...batches)).toBeLessThanOrEqual(size);
  });

  it('measures nothing on a backend not listed (WASM keeps its fixed size)', async () => {
    const { d } = deps({ referencePixels: async (s) => `reference@${s}` });
    const host = createModelHost(d, { ...options, tuneBatchOn: ['webgl', 'webgpu'] });
    expect(await host.classify(config, { url: 'a' })).toMatchObject({ ok: true });
    expect(host.status().batch).toBeUndefined();
  });

  it('takes waiting jobs by their priority as it is when a slot frees, not as it was when they came', async () => {
    let release: () => void = () => {};
    const order: string[] = [];
    const priority = new Map([
      ['first', 0],
      ['a', 5],
      ['b', 3],
    ]);
    const { d } = deps({
      loadSource: async (url) => {
        if (url === 'first') await new Promise<void>((r) => (release = r));
        order.push(url);
        return url;
      },
      priorityOf: (job) => priority.get(job.url) ?? 0,
    });
    const host = createModelHost(d, { ...options, maxConcurrentFetches: 1, maxFetchesPerHost: 1 });
    const all = ['first', 'a', 'b'].map((url) => host.classify(config, { url }));
    await new Promise((r) => setTimeout(r, 10));
    priority.set('a', 0); // the user switched to a's tab while it waited
    release();
    await Promise.all(all);
    expect(order).toEqual(['first', 'a', 'b']);
  });

  it('never fetches more images at once than allowed', async () => {
    let active = 0;
    let peak = 0;
    const { d } = deps({
      loadSource: async (url) => {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return url;
      },
    });
    const host = createModelHost(d, { ...options, maxConcurrentFetches: 2 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => host.classify(config, { url: `u${i}` })));
    expect(peak).toBe(2);
  });

  it('loads no detector while no job asks for one', async () => {
    const { d, detectorLoads } = deps();
    const host = createModelHost(d, options);
    await host.classify(config, { url: 'a' });
    expect(detectorLoads).toEqual([]);
    expect(host.status().detectors).toEqual({ faces: { state: 'idle' }, objects: { state: 'idle' } });
  });

  it('loads detectors and the trained model where a pooled model runs, with its lanes, not in the document', async () => {
    const inPool: string[] = [];
    const running = new Map<string, number>();
    const most = new Map<string, number>();
    const busy = async <T>(model: string, value: T): Promise<T> => {
      running.set(model, (running.get(model) ?? 0) + 1);
      most.set(model, Math.max(most.get(model) ?? 0, running.get(model) ?? 0));
      await new Promise((r) => setTimeout(r, 20));
      running.set(model, (running.get(model) ?? 0) - 1);
      return value;
    };
    const { d, detectorLoads } = deps({
      loadModel: async () => ({
        lanes: 2,
        predict: (batch) =>
          busy(
            'nsfw',
            batch.map(() => ({ classes: [0, 0, 1, 0, 0], embedding: [1, 2], tags: {} })),
          ),
        loadDetector: async (kind) => {
          inPool.push(kind);
          return {
            decodeSize: 300,
            fit: 'contain',
            scoreBatch: (b) =>
              busy(
                'faces',
                b.map(() => ({ tags: { face: 0.7 } })),
              ),
            dispose: () => {},
          };
        },
        loadTrained: async (id) => {
          inPool.push(id);
          return {
            inputSize: 96,
            tags: ['cat'],
            predict: (b) =>
              busy(
                'trained',
                b.map(() => ({ cat: 0.4 })),
              ),
            dispose: () => {},
          };
        },
        dispose: () => {},
      }),
      loadTrained: async () => {
        throw new Error('not in the document');
      },
    });
    const host = createModelHost(d, { ...options, maxBatch: () => 1 });
    const results = await Promise.all(
      ['a', 'b', 'c'].map((url) => host.classify({ ...config, detectors: ['faces'], trained: 't1' }, { url })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results[0]).toMatchObject({ tags: { face: face(0.7) }, trained: { tags: { cat: 0.4 } } });
    expect(inPool).toEqual(['faces', 't1']);
    expect(detectorLoads).toEqual([]);
    // Each model's queue keeps as many batches in flight as the pool has workers.
    expect(Object.fromEntries(most)).toEqual({ nsfw: 2, faces: 2, trained: 2 });
  });

  it('runs the requested detectors on the image decoded at their own size and merges their tags', async () => {
    const { d, detectorRuns } = deps();
    const host = createModelHost(d, options);
    const result = await host.classify({ ...config, detectors: ['faces', 'objects'] }, { url: 'a' });
    expect(result).toMatchObject({
      ok: true,
      tags: { photo: 0.9, face: face(0.8), cat: cat(0.6) },
      detectors: ['faces', 'objects'],
      faces: [],
    });
    expect(detectorRuns).toEqual([['a@256w'], ['a@512w']]);
    expect(host.status().detectors).toEqual({ faces: { state: 'ready' }, objects: { state: 'ready' } });
  });

  it("adds the personal model's tags when the config names a version, and none without one", async () => {
    const { d } = deps();
    const host = createModelHost(d, options);
    const without = await host.classify(config, { url: 'a' });
    expect(without.ok && without.tags.comic).toBeUndefined();
    const withPersonal = await host.classify({ ...config, personal: 5 }, { url: 'a' });
    // embedding [1, 2], head [1, 0] bias -1: sigmoid(0) = 0.5
    expect(withPersonal.ok && withPersonal.tags.comic).toBeCloseTo(0.5);
  });

  it('scores without personal tags when the personal model cannot be read', async () => {
    const { d } = deps({ loadPersonal: async () => Promise.reject(new Error('IndexedDB closed')) });
    const host = createModelHost(d, options);
    const result = await host.classify({ ...config, personal: 7 }, { url: 'a' });
    expect(result.ok).toBe(true);
    expect(result.ok && result.tags).toEqual({ photo: 0.9 });
  });

  it('runs the trained model on the image stretched to its size, batched, and reports its scores apart', async () => {
    const { d, trainedRuns } = deps();
    const host = createModelHost(d, options);
    const results = await Promise.all(['a', 'bb'].map((url) => host.classify({ ...config, trained: 'model3@1' }, { url })));
    expect(trainedRuns).toEqual([['a@64', 'bb@64']]);
    expect(results[0]).toMatchObject({ ok: true, tags: { photo: 0.9 }, trained: { id: 'model3@1', tags: { nsfw: 0.04, megane: 0.5 } } });
    expect(host.status().trained).toEqual({ id: 'model3@1', state: 'ready' });
  });

  it("treats an image as unchecked when the chosen trained model can't load, and says so", async () => {
    const { d } = deps();
    const host = createModelHost(d, options);
    expect(await host.classify({ ...config, trained: 'broken' }, { url: 'a' })).toEqual({
      ok: false,
      error: 'trained model failed to load: weights missing',
    });
    expect(host.status().trained).toEqual({ id: 'broken', state: 'failed', error: 'weights missing' });
  });

  it('batches detector runs of images that arrive together, and gives each image its own scores', async () => {
    const { d, detectorRuns } = deps();
    const host = createModelHost(d, options);
    const results = await Promise.all(['a', 'bb', 'ccc'].map((url) => host.classify({ ...config, detectors: ['objects'] }, { url })));
    expect(detectorRuns).toEqual([['a@512w', 'bb@512w', 'ccc@512w']]);
    expect(results.map((r) => (r.ok ? r.tags.cat : null))).toEqual([0.6, 0.7, 0.8].map(cat));
  });

  it("keeps detector batches within the backend's batch size", async () => {
    const { d, detectorRuns } = deps();
    const host = createModelHost(d, { ...options, maxBatch: () => 2 });
    await Promise.all(['a', 'b', 'c'].map((url) => host.classify({ ...config, detectors: ['faces'] }, { url })));
    expect(detectorRuns.map((b) => b.length)).toEqual([2, 1]);
  });

  it('scores the frames of an animation in one batch with other images, and the worst frame decides', async () => {
    const { d, batches, detectorRuns } = deps();
    const host = createModelHost(d, options);
    const [animated, still] = await Promise.all(
      ['anim:f1,f333,f22', 'b'].map((url) => host.classify({ ...config, detectors: ['objects'], personal: 5 }, { url })),
    );
    // One batch each (the still image, decoded sooner, comes first).
    expect(batches).toEqual([['b@224', 'f1@224', 'f333@224', 'f22@224']]);
    expect(detectorRuns).toEqual([['b@512w', 'f1@512w', 'f333@512w', 'f22@512w']]);
    // Sexy = length / 100: f333@224 is the worst frame; cat = length / 10 at 512: f333@512w again.
    expect(animated).toMatchObject({ ok: true, classes: [0, 0, 0.92, 0, 0.08], tags: { photo: 0.9, cat: cat(0.9), comic: 0.5 } });
    expect(still).toMatchObject({ ok: true, classes: [0, 0, 0.95, 0, 0.05], tags: { photo: 0.9, cat: cat(0.6) } });
  });

  it("treats an animation none of whose frames decodes as unchecked, and frees a timed-out animation's frames", async () => {
    const { d, released } = deps({
      eachFrame: async (source, _signal, decodeFrame) => {
        if (source.includes('nofame')) throw new Error('decode failed: no frame of the animation decodes');
        await decodeFrame('f1');
        return new Promise(() => {}); // the second frame never arrives
      },
    });
    const host = createModelHost(d, options);
    expect(await host.classify(config, { url: 'anim:nofame' })).toEqual({
      ok: false,
      error: 'decode failed: no frame of the animation decodes',
    });
    expect(await host.classify(config, { url: 'anim:slow' })).toEqual({ ok: false, error: 'timed out after 0 s' });
    expect(released).toEqual(['f1@224']);
  });

  it('lets a long clip that decodes steadily run past the time limit, which counts from the last frame', async () => {
    const { d } = deps({
      eachFrame: async (source, _signal, decodeFrame) => {
        if (!source.startsWith('anim:')) return null;
        const out = [];
        // Five frames 100 ms apart: 500 ms in all, each well within the 200 ms limit of the one before.
        for (const frame of ['a', 'bb', 'ccc', 'dd', 'e']) {
          await new Promise((r) => setTimeout(r, 100));
          out.push(await decodeFrame(frame));
        }
        return out;
      },
    });
    const host = createModelHost(d, options);
    expect(await host.classify(config, { url: 'anim:long' })).toMatchObject({ ok: true });
  });

  it('gives up a prediction that never ends: the models reload and the image is scored on them', async () => {
    let hang = true;
    let loads = 0;
    const { d } = deps({
      loadModel: async () => {
        loads++;
        return {
          // The first load's readback never returns (a hung GPU); the reloaded one answers.
          predict: async (batch) => {
            if (hang) {
              hang = false;
              return new Promise(() => {});
            }
            return batch.map(() => ({ classes: [0, 0, 1, 0, 0], embedding: [1, 2], tags: { photo: 0.9 } }));
          },
          dispose: () => {},
        };
      },
    });
    const host = createModelHost(d, { ...options, inferenceTimeoutMs: 100 });
    expect(await host.classify(config, { url: 'a' })).toMatchObject({ ok: true, classes: [0, 0, 1, 0, 0] });
    expect(loads).toBe(2);
    expect(sayStatus(host.status())).toMatchObject({ recovery: expect.stringContaining('a prediction took over 0 s') });
  });

  it("treats an image as unchecked when a needed detector can't load", async () => {
    const { d } = deps({
      loadDetector: async () => {
        throw new Error('centernet.bin missing');
      },
    });
    const host = createModelHost(d, options);
    expect(await host.classify({ ...config, detectors: ['objects'] }, { url: 'a' })).toEqual({
      ok: false,
      error: 'detector failed to load: centernet.bin missing',
    });
    expect(host.status().detectors.objects).toEqual({ state: 'failed', error: 'centernet.bin missing' });
    expect((await host.classify(config, { url: 'b' })).ok).toBe(true);
  });
});

describe('model health', () => {
  /** A host whose model answers `answer(pixels, load)` for each image; counts backend resets. */
  function healthHost(
    answer: (pixels: string, load: number) => number[] | Promise<number[]>,
    extra: Partial<ModelHostDeps<string, string>> = {},
    watchDevice?: HostedModel<string>['watchDevice'],
  ) {
    const resets: string[] = [];
    const setups: (readonly string[])[] = [];
    let loads = 0;
    const { d } = deps({
      setupBackend: async (_choice, avoid) => {
        setups.push(avoid);
        const backend = avoid.includes('webgl') ? 'wasm' : 'webgl';
        return { backend, reason: 'test' };
      },
      resetBackend: (backend) => void resets.push(backend),
      loadModel: async () => {
        const load = ++loads;
        return {
          predict: (batch) =>
            Promise.all(batch.map(async (p) => ({ classes: await answer(p, load), embedding: [1, 2], tags: { photo: 0.9 } }))),
          ...(watchDevice ? { watchDevice } : {}),
          dispose: () => {},
        };
      },
      ...extra,
    });
    return { d, resets, setups, loads: () => loads };
  }
  const neutral = [0, 0, 1, 0, 0];

  it.each([
    ['NaN', [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN]],
    ['all zeros', [0, 0, 0, 0, 0]],
    ['out of range', [0, 0, 1.4, 0, -0.4]],
    ['not normalised', [0, 0, 0.5, 0, 0]],
  ])('%s scores make the image unchecked, never safe, and reset the backend', async (_label, poisoned) => {
    const { d, resets, loads } = healthHost((p) => (p.startsWith('poison') ? poisoned : neutral));
    const host = createModelHost(d, options);
    expect(await host.classify(config, { url: 'fine' })).toMatchObject({ ok: true });
    const result = await host.classify(config, { url: 'poison' });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^model gave unusable scores/) });
    expect(sayStatus(host.status())).toMatchObject({ state: 'idle', recovery: expect.stringMatching(/unusable scores/) });
    // The next image waits for the reset and runs on freshly loaded models.
    expect(await host.classify(config, { url: 'fine again' })).toMatchObject({ ok: true, classes: neutral });
    expect(resets).toEqual(['webgl']);
    expect(loads()).toBe(2);
    expect(sayStatus(host.status())).toMatchObject({
      state: 'ready',
      recovery: expect.stringMatching(/unusable scores.*; reloaded on webgl/),
    });
  });

  it('moves off a backend whose models answer garbage after every reload', async () => {
    // WebGL's models give NaN on every load; WASM's answer well.
    const { d, setups } = healthHost(() => neutral);
    const onWebgl = { ...d };
    let backendNow: 'webgl' | 'wasm' = 'webgl';
    onWebgl.setupBackend = async (choice, avoid) => {
      const chosen = await d.setupBackend(choice, avoid);
      backendNow = chosen.backend as 'webgl' | 'wasm';
      return chosen;
    };
    const loadModel = d.loadModel;
    onWebgl.loadModel = async (spec, backend) => {
      const model = await loadModel(spec, backend, 0);
      if (backendNow === 'wasm') return model;
      return {
        ...model,
        predict: async (batch) => (await model.predict(batch)).map((p) => ({ ...p, classes: p.classes.map(() => Number.NaN) })),
      };
    };
    const host = createModelHost(onWebgl, options);
    // Three loads on WebGL, each answering NaN: three images unchecked (never safe), then WASM.
    for (const url of ['a', 'b', 'c']) {
      expect(await host.classify(config, { url })).toMatchObject({ ok: false });
    }
    expect(await host.classify(config, { url: 'd' })).toMatchObject({ ok: true, classes: neutral });
    expect(setups.at(-1)).toEqual(['webgl']);
    expect(host.status()).toMatchObject({ backend: 'wasm' });
  });

  it("treats a trained model's missing output as unchecked", async () => {
    const { d, resets } = healthHost(() => neutral, {
      loadTrained: async () => ({
        inputSize: 64,
        tags: ['nsfw', 'megane'],
        predict: async (b) => b.map(() => ({ nsfw: 0.2 })),
        dispose: () => {},
      }),
    });
    const host = createModelHost(d, options);
    expect(await host.classify({ ...config, trained: 't' }, { url: 'a' })).toEqual({
      ok: false,
      error: 'model gave unusable scores: trained model: megane is missing',
    });
    await vi.waitFor(() => expect(resets).toEqual(['webgl']));
  });

  it('scores the watchdog image at start and reloads when its scores drift', async () => {
    let drifted = false;
    const { d, resets, loads } = healthHost((p, load) => (p === 'reference@224' && drifted && load === 1 ? [0, 0, 0.9, 0, 0.1] : neutral), {
      referencePixels: async (size) => `reference@${size}`,
    });
    const host = createModelHost(d, { ...options, watchdog: { everyImages: 3, everyMs: 60_000, timeoutMs: 1_000 } });
    for (const url of ['a', 'b']) expect(await host.classify(config, { url })).toMatchObject({ ok: true });
    drifted = true; // the backend goes bad; the watchdog looks after the third image
    expect(await host.classify(config, { url: 'c' })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(resets).toEqual(['webgl']));
    expect(sayStatus(host.status()).recovery).toMatch(/watchdog image's scores drifted by 0.100/);
    expect(await host.classify(config, { url: 'd' })).toMatchObject({ ok: true });
    expect(loads()).toBe(2);
  });

  it('times the watchdog image on the model alone: a long queue of images is no reason to reset', async () => {
    // Each image takes 15 ms and the watchdog allows 100 ms: forty images queue for 600 ms.
    const { d, resets, loads } = healthHost(
      async () => {
        await new Promise((r) => setTimeout(r, 15));
        return neutral;
      },
      { referencePixels: async (size) => `reference@${size}` },
    );
    const host = createModelHost(d, { ...options, maxBatch: () => 1, watchdog: { everyImages: 5, everyMs: 60_000, timeoutMs: 100 } });
    const urls = Array.from({ length: 40 }, (_, i) => `img${i}`);
    const results = await Promise.all(urls.map((url) => host.classify(config, { url })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(resets).toEqual([]);
    expect(loads()).toBe(1);
  });

  it('leaves the models alone while the watchdog image scores the same', async () => {
    const { d, resets, loads } = healthHost(() => neutral, { referencePixels: async (size) => `reference@${size}` });
    const host = createModelHost(d, { ...options, watchdog: { everyImages: 2, everyMs: 60_000, timeoutMs: 1_000 } });
    for (const url of ['a', 'b', 'c', 'd', 'e']) expect(await host.classify(config, { url })).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 20));
    expect(resets).toEqual([]);
    expect(loads()).toBe(1);
  });

  it('fails the load when the watchdog image scores badly from the start', async () => {
    const { d } = healthHost((p) => (p.startsWith('reference') ? [0, 0, 0, 0, 0] : neutral), {
      referencePixels: async (size) => `reference@${size}`,
    });
    const host = createModelHost(d, options);
    expect(await host.classify(config, { url: 'a' })).toMatchObject({ ok: false });
    expect(sayStatus(host.status())).toMatchObject({ state: 'failed', error: expect.stringMatching(/watchdog image scored badly/) });
  });

  it('after a backend error the watchdog looks at once: a dead backend means the image is scored again after a reload', async () => {
    let dead = false;
    const { d, resets, loads } = healthHost(
      (p, load) => {
        if (load === 1 && dead && p === 'reference@224') return new Promise<number[]>(() => {}); // a readback that never returns
        if (load === 1 && dead) throw new Error('mapAsync failed: device destroyed');
        return neutral;
      },
      { referencePixels: async (size) => `reference@${size}` },
    );
    const host = createModelHost(d, { ...options, watchdog: { everyImages: 100, everyMs: 60_000, timeoutMs: 50 } });
    expect(await host.classify(config, { url: 'a' })).toMatchObject({ ok: true });
    dead = true;
    expect(await host.classify(config, { url: 'b' })).toMatchObject({ ok: true, classes: neutral });
    expect(resets).toEqual(['webgl']);
    expect(loads()).toBe(2);
    expect(sayStatus(host.status()).recovery).toMatch(/the watchdog image failed: no answer in 0.05 s/);
  });

  it('after a backend error on a sound backend the image alone is unchecked', async () => {
    const { d, resets } = healthHost((p) => (p.startsWith('bad') ? Promise.reject(new Error('shader failed')) : neutral), {
      referencePixels: async (size) => `reference@${size}`,
    });
    const host = createModelHost(d, { ...options, maxBatch: () => 1 });
    expect(await host.classify(config, { url: 'bad' })).toEqual({ ok: false, error: 'model failed: shader failed' });
    expect(resets).toEqual([]);
  });

  it('re-queues images in flight when the GPU is lost, reloads, and moves off a backend lost twice', async () => {
    let onLost: (why: string) => void = () => {};
    const hung: (() => void)[] = [];
    const { d, resets, setups, loads } = healthHost(
      // The first load's readbacks hang (as they do on a lost context); later loads answer.
      (_p, load) => (load === 1 ? new Promise<number[]>((resolve) => hung.push(() => resolve([0, 0, 0, 0, 0]))) : neutral),
      {},
      (lost) => {
        onLost = lost;
        return () => {
          onLost = () => {};
        };
      },
    );
    const host = createModelHost(d, options);
    const inFlight = Promise.all(['a', 'b'].map((url) => host.classify(config, { url })));
    await vi.waitFor(() => expect(hung).toHaveLength(2));
    onLost('the WebGL context was lost');
    expect(await inFlight).toMatchObject([
      { ok: true, classes: neutral },
      { ok: true, classes: neutral },
    ]);
    hung.forEach((resume) => resume()); // the lost context's zeros arrive late and change nothing
    expect(resets).toEqual(['webgl']);
    expect(loads()).toBe(2);
    expect(sayStatus(host.status())).toMatchObject({
      backend: 'webgl',
      recovery: expect.stringMatching(/^the WebGL context was lost; reloaded on webgl/),
    });
    // Lost again: the same backend is not started a third time.
    onLost('the WebGL context was lost');
    expect(await host.classify(config, { url: 'c' })).toMatchObject({ ok: true });
    expect(setups).toEqual([[], [], ['webgl']]);
    expect(sayStatus(host.status())).toMatchObject({
      backend: 'wasm',
      recovery: expect.stringMatching(/lost again; moving off webgl; reloaded on wasm/),
    });
  });
});

describe('unloading when idle (a host whose page stays: Firefox)', () => {
  it('disposes the models, says it is idle without calling it a recovery, and loads them again with the next image', async () => {
    const disposed: string[] = [];
    const { d, loads } = deps();
    const load = d.loadModel;
    const host = createModelHost(
      {
        ...d,
        loadModel: async (...args) => ({ ...(await load(...args)), dispose: () => void disposed.push('model') }),
      },
      options,
    );
    expect((await host.classify(config, { url: 'a' })).ok).toBe(true);
    host.unload();
    await vi.waitFor(() => expect(disposed).toEqual(['model']));
    expect(host.status()).toMatchObject({ state: 'idle' });
    expect(host.status().recovery).toBeUndefined();
    expect((await host.classify(config, { url: 'b' })).ok).toBe(true);
    expect(loads()).toBe(2);
    host.unload();
    host.unload();
    await vi.waitFor(() => expect(disposed).toEqual(['model', 'model']));
  });
});
