import { createActiveTabs } from './active-tabs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { ModelConfig, ModelStatus, OffscreenResult } from '../messaging/background-offscreen';
import type { MessageSender } from '../messaging/protocol';
import { createOffscreenHandlers, handleOffscreenMessage, type OffscreenDeps } from './offscreen-handlers';

const config: ModelConfig = { model: 'mobilenet_v2_mid', backend: 'auto', detectors: [], personal: null, trained: null, workers: 0 };
const scored: OffscreenResult = {
  ok: true,
  model: 'mobilenet_v2_mid',
  classes: [1, 0, 0, 0, 0],
  embedding: [0.25, 0.5],
  tags: {},
  detectors: [],
};
const status: ModelStatus = {
  model: 'mobilenet_v2_mid',
  state: 'idle',
  backend: null,
  reason: '',
  detectors: { faces: { state: 'idle' }, objects: { state: 'idle' } },
};
const thumbnail = { thumbnail: { type: 'image/jpeg', base64: '/9j/', width: 2, height: 1 }, imageSize: { width: 20, height: 10 } };

function setup(over: Partial<OffscreenDeps> = {}) {
  return createOffscreenHandlers({
    host: { status: () => status, classify: vi.fn(async () => scored) },
    activeTabs: createActiveTabs(),
    makeThumbnail: async () => thumbnail,
    trainPersonal: async () => ({ ok: true, version: 3, examples: 2, stats: {} }),
    ...over,
  });
}
const worker = (): MessageSender => ({ id: fakeBrowser.runtime.id, url: 'chrome-extension://megane/background.js' });

describe('offscreen handlers', () => {
  beforeEach(() => fakeBrowser.reset());

  it('answers the service worker on this channel; a check without its embedding, which only a mark keeps', async () => {
    const handlers = setup();
    expect(await handleOffscreenMessage(handlers, { channel: 'background->offscreen', type: 'status' }, worker())).toEqual(status);
    expect(
      await handleOffscreenMessage(
        handlers,
        { channel: 'background->offscreen', type: 'classify', config, job: { url: 'https://a.test/x' } },
        worker(),
      ),
    ).toEqual({ ok: true, model: 'mobilenet_v2_mid', classes: [1, 0, 0, 0, 0], tags: {}, detectors: [] });
    expect(
      await handleOffscreenMessage(
        handlers,
        { channel: 'background->offscreen', type: 'capture', config, job: { url: 'https://a.test/x' } },
        worker(),
      ),
    ).toMatchObject({ result: { embedding: [0.25, 0.5] } });
    expect(
      await handleOffscreenMessage(
        handlers,
        { channel: 'background->offscreen', type: 'train-personal', model: 'mobilenet_v2_mid' },
        worker(),
      ),
    ).toMatchObject({ ok: true, version: 3 });
  });

  it.each([
    ['a content script', { channel: 'background->offscreen', type: 'status' }, { ...worker(), tab: { id: 1 } as MessageSender['tab'] }],
    ['another extension', { channel: 'background->offscreen', type: 'status' }, { ...worker(), id: 'other' }],
    ['another channel', { channel: 'content->background', type: 'status' }, worker()],
  ])('ignores %s', (_name, message, sender) => {
    expect(handleOffscreenMessage(setup(), message, sender)).toBeUndefined();
  });

  it('cancels a running job by its id, and a job whose cancel came first never runs', async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const classify = vi.fn(
      (_c: ModelConfig, _job: { url: string }, signal?: AbortSignal) =>
        new Promise<OffscreenResult>((resolve) => {
          signals.push(signal);
          signal?.addEventListener('abort', () => resolve({ ok: false, error: 'cancelled' }));
        }),
    );
    const handlers = setup({ host: { status: () => status, classify } });
    const job = (id: string) =>
      ({ channel: 'background->offscreen', type: 'classify', config, job: { url: 'https://a.test/x', id } }) as const;
    const running = handlers.classify(job('one'));
    await vi.waitFor(() => expect(signals).toHaveLength(1));
    expect(await handlers.cancel({ channel: 'background->offscreen', type: 'cancel', id: 'one' })).toBe(true);
    expect(signals[0]?.aborted).toBe(true);
    expect(await running).toEqual({ ok: false, error: 'cancelled' });
    // The cancel crossed its job (the document was starting): the job answers at once, unrun.
    expect(await handlers.cancel({ channel: 'background->offscreen', type: 'cancel', id: 'two' })).toBe(false);
    expect(await handlers.classify(job('two'))).toEqual({ ok: false, error: 'cancelled' });
    expect(classify).toHaveBeenCalledTimes(1);
  });

  it('captures scores with a thumbnail, or says why there is no thumbnail', async () => {
    const capture = { channel: 'background->offscreen', type: 'capture', config, job: { url: 'https://a.test/x' } } as const;
    expect(await setup().capture(capture)).toEqual({ result: scored, ...thumbnail });
    const failing = setup({ makeThumbnail: () => Promise.reject(new Error('decode failed')) });
    expect(await failing.capture(capture)).toEqual({ result: scored, thumbnail: null, imageSize: null, thumbnailError: 'decode failed' });
  });
});

describe('tabs-active', () => {
  it('tells the active tabs what the service worker says', async () => {
    const activeTabs = createActiveTabs();
    const handlers = setup({ activeTabs });
    expect(activeTabs.isActive(4, false)).toBe(false);
    await handlers['tabs-active']({ channel: 'background->offscreen', type: 'tabs-active', changes: { 4: true } });
    expect(activeTabs.isActive(4, false)).toBe(true);
  });
});
