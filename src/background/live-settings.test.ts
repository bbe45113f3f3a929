import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { PERSONAL_STATUS_KEY } from '../personal/personal-status';
import { saveSettings } from '../settings/store';
import { createLiveSettings } from './live-settings';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('live settings', () => {
  let controller: AbortController;
  beforeEach(() => {
    fakeBrowser.reset();
    controller = new AbortController();
  });
  afterEach(() => controller.abort());

  const setup = () => {
    const tagChanges: string[][] = [];
    const canvases: boolean[] = [];
    const live = createLiveSettings({
      onCustomTagsChanged: (tags) => tagChanges.push(tags.map((t) => t.id)),
      onCheckCanvases: (on) => canvases.push(on),
      signal: controller.signal,
    });
    return { live, tagChanges, canvases };
  };

  it("builds the host config from the stored settings and the model's personal version", async () => {
    await saveSettings({ model: 'inception_v3', backend: 'wasm', trainedModel: 'model3@7' });
    await fakeBrowser.storage.local.set({
      [PERSONAL_STATUS_KEY]: { inception_v3: { version: 42, examples: 3, stats: {}, finishedAt: 1 } },
    });
    const { live } = setup();
    expect(await live.hostConfig()).toEqual({ model: 'inception_v3', backend: 'wasm', personal: 42, trained: 'model3@7', workers: 0 });
  });

  it('follows later changes without reading storage again per request', async () => {
    const { live } = setup();
    expect(await live.hostConfig()).toMatchObject({ model: 'mobilenet_v2_mid', personal: null });
    await saveSettings({ model: 'mobilenet_v2' });
    await fakeBrowser.storage.local.set({ [PERSONAL_STATUS_KEY]: { mobilenet_v2: { version: 5, examples: 1, stats: {}, finishedAt: 1 } } });
    await tick();
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    expect(await live.hostConfig()).toMatchObject({ model: 'mobilenet_v2', personal: 5 });
    expect((await live.settings()).model).toBe('mobilenet_v2');
    expect(get).not.toHaveBeenCalled();
  });

  it("knows a training's new version before the storage watcher reports it", async () => {
    const { live } = setup();
    await live.hostConfig();
    await live.recordTraining('mobilenet_v2_mid', { ok: true, version: 99, examples: 4, stats: {} });
    expect(await live.hostConfig()).toMatchObject({ personal: 99 });
    expect(await fakeBrowser.storage.local.get(PERSONAL_STATUS_KEY)).toMatchObject({
      [PERSONAL_STATUS_KEY]: { mobilenet_v2_mid: { version: 99 } },
    });
  });

  it("reports a change of the user's own tags, and only that", async () => {
    const { live, tagChanges } = setup();
    await live.settings();
    await saveSettings({ nsfwThreshold: 0.5 });
    await tick();
    expect(tagChanges).toEqual([]);
    await saveSettings({ customTags: [{ id: 'user:rainbows', label: 'Rainbows' }] });
    await tick();
    expect(tagChanges).toEqual([['user:rainbows']]);
  });

  it('says whether canvases are checked once read, then on each change of that setting only', async () => {
    const { live, canvases } = setup();
    await live.settings();
    await tick();
    expect(canvases).toEqual([false]);
    await saveSettings({ nsfwThreshold: 0.5 });
    await tick();
    await saveSettings({ checkCanvases: true });
    await tick();
    expect(canvases).toEqual([false, true]);
  });

  it('stops following storage once its signal aborts', async () => {
    const { live } = setup();
    await live.settings();
    controller.abort();
    await saveSettings({ model: 'inception_v3' });
    await tick();
    expect((await live.settings()).model).toBe('mobilenet_v2_mid');
  });
});
