import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { JobWhere, ModelConfig, ScoresResult } from '../messaging/background-offscreen';
import { cacheKey, createClassifyService, fetchesAnonymously, type Scope } from './classify-service';
import { createScoreCache, type CacheStore } from './score-cache';

function memoryStore(initial: Record<string, unknown> = {}): CacheStore & { data: Record<string, unknown> } {
  const data = { ...initial };
  return {
    data,
    get: async (key) => (key in data ? { [key]: data[key] } : {}),
    set: async (items) => void Object.assign(data, items),
  };
}

const scores = (nsfw: number, detectors: ModelConfig['detectors'] = []): ScoresResult => ({
  ok: true,
  model: 'mobilenet_v2_mid',
  classes: [0, 0, 1 - nsfw, nsfw, 0],
  tags: { photo: 0.9, ...(detectors.includes('objects') ? { cat: 0.8 } : {}) },
  detectors,
});

function setup(
  score: (url: string, config: ModelConfig, scope: Scope, signal: AbortSignal, where?: JobWhere) => Promise<ScoresResult>,
  now = () => 0,
) {
  const cache = createScoreCache(memoryStore(), { maxEntries: 3, failureTtlMs: 1000, now });
  let config: Omit<ModelConfig, 'detectors'> = { model: 'mobilenet_v2_mid', backend: 'auto', personal: null, trained: null, workers: 0 };
  const spy = vi.fn(score);
  const service = createClassifyService({ cache, config: async () => config, score: spy });
  const classify = (url: string, detectors: ModelConfig['detectors'], site = 'https://site.test', requester?: string) =>
    service.classify(url, detectors, { site, private: false }, requester);
  return {
    classify,
    service,
    spy,
    setModel: (m: ModelConfig['model']) => (config = { ...config, model: m }),
    setPersonal: (personal: number | null) => (config = { ...config, personal }),
  };
}

describe('classify service', () => {
  it('hands where the image is (place, tab, whether active) to the model host', async () => {
    const { service, spy } = setup(async () => scores(0.1));
    await service.classify('https://img.test/a.jpg', [], { site: 'https://site.test', private: true }, '7:0', {
      place: 0,
      tab: 7,
      active: false,
    });
    expect(spy.mock.calls[0]?.[4]).toEqual({ place: 0, tab: 7, active: false });
    // And the scope: the site (its Referer when a server insists) and whether to fetch without cookies.
    expect(spy.mock.calls[0]?.[2]).toEqual({ site: 'https://site.test', private: true });
  });

  it('scores again once a personal model is trained (its tags are part of the scores)', async () => {
    const { classify, spy, setPersonal } = setup(async () => scores(0.1));
    await classify('https://img.test/a.jpg', []);
    await classify('https://img.test/a.jpg', []);
    expect(spy).toHaveBeenCalledTimes(1);
    setPersonal(123);
    await classify('https://img.test/a.jpg', []);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.calls[1]?.[1]).toMatchObject({ personal: 123 });
  });

  it('scores an image once however many frames ask at the same time', async () => {
    const { classify, spy } = setup(async () => scores(0.1));
    const results = await Promise.all([1, 2, 3].map(() => classify('https://img.test/a.jpg', [])));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(results[0]).toEqual({
      ok: true,
      scores: { model: 'mobilenet_v2_mid', classes: [0, 0, 0.9, 0.1, 0], tags: { photo: 0.9 }, detectors: [] },
    });
  });

  it('answers later requests from the cache', async () => {
    const { classify, spy } = setup(async () => scores(0.1));
    await classify('https://img.test/a.jpg', []);
    await classify('https://img.test/a.jpg', []);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('scores again when a request needs a detector the cached answer lacks, and only then', async () => {
    const { classify, spy } = setup(async (_url, config) => scores(0.1, config.detectors));
    await classify('https://img.test/a.jpg', []);
    const withObjects = await classify('https://img.test/a.jpg', ['objects']);
    expect(withObjects.ok && withObjects.scores.tags.cat).toBe(0.8);
    await classify('https://img.test/a.jpg', []);
    await classify('https://img.test/a.jpg', ['objects']);
    expect(spy.mock.calls.map(([, config]) => config.detectors)).toEqual([[], ['objects']]);
  });

  it('keeps the detectors of the cached answer when adding one', async () => {
    const { classify, spy } = setup(async (_url, config) => scores(0.1, config.detectors));
    await classify('https://img.test/a.jpg', ['objects']);
    await classify('https://img.test/a.jpg', ['faces']);
    expect(spy.mock.calls.map(([, config]) => config.detectors)).toEqual([['objects'], ['faces', 'objects']]);
  });

  it('scores again under another model', async () => {
    const { classify, spy, setModel } = setup(async () => scores(0.1));
    await classify('https://img.test/a.jpg', []);
    setModel('inception_v3');
    await classify('https://img.test/a.jpg', []);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('never turns a failure into a verdict, and retries it once it has expired', async () => {
    let time = 0;
    let fail = true;
    const { classify, spy } = setup(
      async () => (fail ? { ok: false, error: 'fetch failed: HTTP 500' } : scores(0.2)),
      () => time,
    );
    expect(await classify('https://img.test/b.jpg', [])).toEqual({ ok: false, error: 'fetch failed: HTTP 500' });
    fail = false;
    expect((await classify('https://img.test/b.jpg', [])).ok).toBe(false); // still within the retry delay
    time = 5000;
    expect((await classify('https://img.test/b.jpg', [])).ok).toBe(true);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('reports a host that could not be reached as a failure', async () => {
    const { classify } = setup(async () => {
      throw new Error('Receiving end does not exist');
    });
    expect(await classify('https://img.test/c.jpg', [])).toEqual({
      ok: false,
      error: 'model host unavailable: Error: Receiving end does not exist',
    });
  });

  it('keys long data: URLs by their hash', async () => {
    const long = `data:image/png;base64,${'A'.repeat(5000)}`;
    expect(await cacheKey('m', long)).toMatch(/^m\|sha256:[0-9a-f]{64}$/);
    expect(await cacheKey('m', 'https://a.test/x.jpg')).toBe('m|https://a.test/x.jpg');
  });
});

describe('score cache', () => {
  it('forgets the least recently used entry beyond its size', async () => {
    const cache = createScoreCache(memoryStore(), { maxEntries: 2, failureTtlMs: 1000 });
    const ok = { ok: true as const, scores: { model: 'mobilenet_v2' as const, classes: [1, 0, 0, 0, 0], tags: {}, detectors: [] } };
    await cache.set('a', ok);
    await cache.set('b', ok);
    await cache.get('a');
    await cache.set('c', ok);
    expect(await cache.get('a')).toEqual(ok);
    expect(await cache.get('b')).toBeUndefined();
  });

  it('survives a service-worker restart through its store, without failures', async () => {
    vi.useFakeTimers();
    const store = memoryStore();
    const first = createScoreCache(store, { maxEntries: 10, failureTtlMs: 1000 });
    const ok = { ok: true as const, scores: { model: 'mobilenet_v2' as const, classes: [1, 0, 0, 0, 0], tags: {}, detectors: [] } };
    await first.set('good', ok);
    await first.set('bad', { ok: false, error: 'x' });
    await vi.runAllTimersAsync();
    vi.useRealTimers();
    const second = createScoreCache(store, { maxEntries: 10, failureTtlMs: 1000 });
    expect(await second.get('good')).toEqual(ok);
    expect(await second.get('bad')).toBeUndefined();
  });

  it('ignores a damaged stored cache', async () => {
    const cache = createScoreCache(memoryStore({ scoreCache: [['x', { nonsense: true }], 'junk'] }), { maxEntries: 10, failureTtlMs: 1 });
    expect(await cache.get('x')).toBeUndefined();
  });
});

describe('classify service, partitioned by the top-level site', () => {
  beforeEach(() => fakeBrowser.reset());

  /** A check that answers only when told, or CANCELLED when its signal aborts (as scoreInHost does). */
  function pending() {
    const calls: { url: string; signal: AbortSignal; answer: (r: ScoresResult) => void }[] = [];
    const score = (url: string, _c: ModelConfig, _s: Scope, signal: AbortSignal) =>
      new Promise<ScoresResult>((resolve) => {
        calls.push({ url, signal, answer: resolve });
        signal.addEventListener('abort', () => resolve({ ok: false, error: 'cancelled' }));
      });
    return { calls, score };
  }

  it('stops a check once no frame that asked still wants it, and checks afresh when one asks again', async () => {
    const { calls, score } = pending();
    const { classify, service, spy } = setup(score);
    const url = 'https://img.test/a.jpg';
    const first = classify(url, [], undefined, '1:0');
    const second = classify(url, [], undefined, '2:0');
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    service.release('1:0', url);
    expect(calls[0]?.signal.aborted).toBe(false); // tab 2 still waits
    service.releaseWhere((r) => r.startsWith('2:'));
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(await first).toEqual({ ok: false, error: 'cancelled' });
    expect(await second).toEqual({ ok: false, error: 'cancelled' });
    expect(service.running).toBe(0);
    // Nothing was cached: the next request checks the image.
    const again = classify(url, [], undefined, '1:0');
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    calls[1]?.answer(scores(0.1));
    expect(await again).toMatchObject({ ok: true });
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it("never cancels a check a request without a requester waits for, nor another image's", async () => {
    const { calls, score } = pending();
    const { classify, service } = setup(score);
    void classify('https://img.test/a.jpg', [], undefined, '1:0');
    void classify('https://img.test/a.jpg', []); // the background's own (a mark's capture)
    void classify('https://img.test/b.jpg', [], undefined, '1:0');
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    service.release('1:0', 'https://img.test/a.jpg');
    expect(calls.map((c) => c.signal.aborted)).toEqual([false, false]);
    service.releaseWhere(() => true);
    expect(calls.map((c) => c.signal.aborted)).toEqual([false, true]);
  });

  /** The service as the background builds it: its cache in (WXT's fake) storage.session. */
  function inSession(score: (url: string) => Promise<ScoresResult>) {
    const cache = createScoreCache(fakeBrowser.storage.session, { maxEntries: 100, failureTtlMs: 60_000 });
    const spy = vi.fn(score);
    const config = async () => ({
      model: 'mobilenet_v2_mid' as const,
      backend: 'auto' as const,
      personal: null,
      trained: null,
      workers: 0,
    });
    const service = createClassifyService({ cache, config, score: spy });
    const classify = (url: string, detectors: ModelConfig['detectors'], site: string, isPrivate = false) =>
      service.classify(url, detectors, { site, private: isPrivate });
    return { spy, cache, service, classify };
  }

  it("never answers one site from another's check, cached or in flight", async () => {
    const { classify, spy } = inSession(async () => scores(0.1));
    await classify('https://img.test/a.jpg', [], 'https://one.test');
    // Another site asking for the same image gets no cached (instant) answer: the image is scored again.
    await classify('https://img.test/a.jpg', [], 'https://two.test');
    expect(spy).toHaveBeenCalledTimes(2);
    // Each site's own answer is cached for it.
    await classify('https://img.test/a.jpg', [], 'https://one.test');
    await classify('https://img.test/a.jpg', [], 'https://two.test');
    expect(spy).toHaveBeenCalledTimes(2);
    // Nor does a site join another's request in flight.
    await Promise.all(['https://three.test', 'https://four.test'].map((site) => classify('https://img.test/b.jpg', [], site)));
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it("never answers a private window from a normal window's check of the same site, nor the reverse", async () => {
    const { classify, spy } = inSession(async () => scores(0.1));
    await classify('https://img.test/a.jpg', [], 'https://one.test', true);
    await classify('https://img.test/a.jpg', [], 'https://one.test');
    expect(spy).toHaveBeenCalledTimes(2);
    await classify('https://img.test/b.jpg', [], 'https://one.test');
    await classify('https://img.test/b.jpg', [], 'https://one.test', true);
    expect(spy).toHaveBeenCalledTimes(4);
    // Each keeps its own answer.
    await classify('https://img.test/a.jpg', [], 'https://one.test', true);
    await classify('https://img.test/a.jpg', [], 'https://one.test');
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it("never answers one Firefox container from another's check of the same site", async () => {
    const { service, spy: score } = inSession(async () => scores(0.1));
    const site = 'https://one.test';
    for (const scope of [
      { site, private: false },
      { site, private: false, cookieStore: 'firefox-container-1' },
      { site, private: false, cookieStore: 'firefox-container-2' },
    ])
      await service.classify('https://img.test/a.jpg', [], scope);
    expect(score).toHaveBeenCalledTimes(3);
    await service.classify('https://img.test/a.jpg', [], { site, private: false, cookieStore: 'firefox-container-1' });
    expect(score).toHaveBeenCalledTimes(3);
  });

  it("never joins a private window's check in flight from a normal window, nor the reverse", async () => {
    const { classify, spy } = inSession(async () => scores(0.1));
    await Promise.all([
      classify('https://img.test/a.jpg', [], 'https://one.test', true),
      classify('https://img.test/a.jpg', [], 'https://one.test'),
    ]);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('never loads a private answer from storage.session, whoever wrote it there', async () => {
    const { classify, spy } = inSession(async () => scores(0.1));
    const key = `private https://one.test|${await cacheKey('mobilenet_v2_mid', 'https://img.test/a.jpg')}`;
    await fakeBrowser.storage.session.set({ scoreCache: [[key, { result: { ok: true, scores: scores(0.9) }, at: 0 }]] });
    await classify('https://img.test/a.jpg', [], 'https://one.test', true);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("forgets a private window's failed checks with its answers", async () => {
    let fail = true;
    const { classify, cache, spy } = inSession(async () => (fail ? { ok: false, error: 'fetch failed: HTTP 500' } : scores(0.1)));
    expect(await classify('https://img.test/a.jpg', [], 'https://one.test', true)).toMatchObject({ ok: false });
    fail = false;
    expect(await classify('https://img.test/a.jpg', [], 'https://one.test', true)).toMatchObject({ ok: false }); // kept a minute
    cache.dropPrivate();
    expect(await classify('https://img.test/a.jpg', [], 'https://one.test', true)).toMatchObject({ ok: true });
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it("keeps a private window's answers in memory only, and forgets them when the last private window closes", async () => {
    vi.useFakeTimers();
    try {
      const first = inSession(async () => scores(0.1));
      await first.classify('https://img.test/a.jpg', [], 'https://one.test', true);
      await first.classify('https://img.test/b.jpg', [], 'https://one.test');
      await vi.advanceTimersByTimeAsync(1_500);
      expect(JSON.stringify(await fakeBrowser.storage.session.get())).not.toContain('a.jpg');
      // A restarted background has the normal window's answer, not the private one's.
      const second = inSession(async () => scores(0.1));
      await second.classify('https://img.test/b.jpg', [], 'https://one.test');
      await second.classify('https://img.test/a.jpg', [], 'https://one.test', true);
      expect(second.spy).toHaveBeenCalledTimes(1);
      // Still in memory while private windows are open...
      await second.classify('https://img.test/a.jpg', [], 'https://one.test', true);
      expect(second.spy).toHaveBeenCalledTimes(1);
      // ...and gone once the last one closed; the normal window's answer stays.
      second.cache.dropPrivate();
      await second.classify('https://img.test/a.jpg', [], 'https://one.test', true);
      await second.classify('https://img.test/b.jpg', [], 'https://one.test');
      expect(second.spy).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the partition across a service-worker restart', async () => {
    vi.useFakeTimers();
    try {
      const first = inSession(async () => scores(0.1));
      await first.classify('https://img.test/a.jpg', [], 'https://one.test');
      await vi.advanceTimersByTimeAsync(1_500); // the cache is mirrored to storage.session after a second
      const second = inSession(async () => scores(0.1));
      await second.classify('https://img.test/a.jpg', [], 'https://one.test');
      expect(second.spy).not.toHaveBeenCalled();
      await second.classify('https://img.test/a.jpg', [], 'https://two.test');
      expect(second.spy).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('fetchesAnonymously', () => {
  const site = 'https://one.test';
  it.each([
    { scope: { site, private: false }, firefox: true, want: false },
    { scope: { site, private: true, cookieStore: 'firefox-private' }, firefox: true, want: true },
    { scope: { site, private: false, cookieStore: 'firefox-container-1' }, firefox: true, want: true },
    // Chrome's incognito instance has incognito's own cookies.
    { scope: { site, private: true }, firefox: false, want: false },
  ])('$scope with one background for all cookie stores: $firefox -> $want', ({ scope, firefox, want }) => {
    expect(fetchesAnonymously(scope, firefox)).toBe(want);
  });
});
