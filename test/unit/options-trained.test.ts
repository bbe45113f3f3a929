// The options page's "Trained model" section, rendered for real into a linkedom document: importing a
// real (tiny) tfjs model folder with one of the user's own tags, with fake-indexeddb as the store and
// WXT's fake browser as settings storage.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import * as tf from '@tensorflow/tfjs';
import { strToU8 } from 'fflate';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { loadSettings } from '../../src/settings/store';
import { Options } from '../../src/ui/options';
import { createDom, until, type Dom } from './preact-dom';

let dom: Dom;
let files: File[];

const descriptor = {
  format: 'megane-model',
  version: 2,
  name: 'tiny',
  architecture: 'model3',
  modelFile: 'model.json',
  inputSize: 8,
  preprocessing: { resize: 'stretch', scale: '1/255', channels: 'RGB' },
  tags: ['nsfw', 'user:spiders'],
  customTags: [{ id: 'user:spiders', label: 'Spiders' }],
  output: 'logits',
  trainedAt: 1767225600000,
  dataset: { images: 10, train: 8, validation: 2 },
  metrics: { 'user:spiders': { precision: 0.5, recall: 1, averagePrecision: 0.75, positives: 1, negatives: 1 } },
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [8, 8, 3] }), tf.layers.dense({ units: 2 })] });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  if (!saved?.weightData || !saved.weightSpecs) throw new Error('no weights saved');
  const modelJson = { modelTopology: saved.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'], weights: saved.weightSpecs }] };
  files = [
    new File([strToU8(JSON.stringify(descriptor))], 'megane-model.json'),
    new File([strToU8(JSON.stringify(modelJson))], 'model.json'),
    new File([new Uint8Array(saved.weightData as ArrayBuffer)], 'weights.bin'),
  ];
  model.dispose();
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
    expect([...dom.document.querySelectorAll('#trained-tags tr[data-tag="user:spiders"] td.num')].map((td) => td.textContent)).toEqual(['50%', '100%', '75%']);
    expect(dom.text('#trained-models li[data-model="tiny@1767225600000"] span')).toContain('NSFW, Spiders');

    await dom.fire(dom.$('#tag-source-user\\:spiders'), 'change', { value: 'trained' });
    await vi.waitFor(async () => expect((await loadSettings()).tagSources['user:spiders']).toBe('trained'));
  });
});
