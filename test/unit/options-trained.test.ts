// The options page's "Trained model" section, rendered for real into a linkedom document: importing a
// real (tiny) tfjs model folder with one of the user's own tags, with fake-indexeddb as the store and
// WXT's fake browser as settings storage.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { loadSettings } from '../../src/settings/store';
import { Options } from '../../src/ui/options';
import { failWritesAfter } from './full-disk';
import { createDom, until, type Dom } from './preact-dom';
import { TINY_DESCRIPTOR, tinyTrainedModel } from './tiny-trained-model';

let dom: Dom;
let files: File[];

const descriptor = {
  ...TINY_DESCRIPTOR,
  tags: ['nsfw', 'user:spiders'],
  customTags: [{ id: 'user:spiders', label: 'Spiders' }],
  metrics: { 'user:spiders': { precision: 0.5, recall: 1, averagePrecision: 0.75, positives: 1, negatives: 1 } },
};

beforeAll(async () => {
  const tiny = await tinyTrainedModel(descriptor, { weightsFile: 'weights.bin' });
  files = tiny.files.map((f) => new File([f.bytes as Uint8Array<ArrayBuffer>], f.name));
  tiny.model.dispose();
});

beforeEach(() => {
  fakeBrowser.reset();
  dom = createDom();
  vi.stubGlobal('indexedDB', new IDBFactory());
  vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({ manifest_version: 3, name: 'Megane', version: '1.2.3' });
  fakeBrowser.runtime.onMessage.addListener(() => Promise.resolve(true));
});

afterEach(async () => {
  await act(() => {
    render(null, dom.root);
  });
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('Trained model', () => {
  it("imports a model that learned one of the user's own tags: it runs, the tag joins the user's, and its source can be chosen", async () => {
    await act(() => {
      render(h(Options, {}), dom.root);
    });
    await until(() => dom.document.querySelector('#trained-none') !== null);
    await dom.fire(dom.$('#import-model-files'), 'change', { files });
    await until(() => dom.text('#import-model-result')?.startsWith('Imported tiny') === true, 5000);

    const settings = await loadSettings();
    expect(settings.trainedModel).toBe('tiny@1767225600000');
    expect(settings.customTags).toEqual([{ id: 'user:spiders', label: 'Spiders' }]);
    expect(dom.text('#trained-tags tr[data-tag="user:spiders"] th')).toBe('Spiders');
    expect([...dom.document.querySelectorAll('#trained-tags tr[data-tag="user:spiders"] td.num')].map((td) => td.textContent)).toEqual([
      '50%',
      '100%',
      '75%',
    ]);
    expect(dom.text('#trained-models li[data-model="tiny@1767225600000"] span')).toContain('NSFW, Spiders');

    await dom.fire(dom.$('#tag-source-user\\:spiders'), 'change', { value: 'trained' });
    await vi.waitFor(async () => expect((await loadSettings()).tagSources['user:spiders']).toBe('trained'));
  });

  it('says a model that does not fit on the disk was not imported, and keeps the settings as they were', async () => {
    await act(() => {
      render(h(Options, {}), dom.root);
    });
    await until(() => dom.document.querySelector('#trained-none') !== null);
    failWritesAfter(0);
    await dom.fire(dom.$('#import-model-files'), 'change', { files });
    await until(() => dom.$('#import-model-result').classList.contains('error'), 5000);
    expect(dom.text('#import-model-result')).toMatch(/^Could not import: .*The browser has no more room for Megane/);
    vi.restoreAllMocks();
    expect((await loadSettings()).trainedModel).toBeNull();
    expect(dom.document.querySelector('#trained-none')).not.toBeNull();
  });
});
