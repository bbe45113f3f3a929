import 'fake-indexeddb/auto';
import { strToU8, zipSync } from 'fflate';
import * as tf from '@tensorflow/tfjs';
import { openDB } from 'idb';
import { beforeAll, describe, expect, it } from 'vitest';
import { readModelFiles, type ModelFile } from './read-model-files';
import { deleteTrainedModel, listTrainedModels, loadTrainedModel, saveTrainedModel } from './trained-model-store';
import { TINY_DESCRIPTOR, tinyTrainedModel } from '../../test/unit/tiny-trained-model';

let files: ModelFile[];
let model: tf.LayersModel;
// Version 1 (before the user's own tags) still reads.
const descriptor = { ...TINY_DESCRIPTOR, version: 1 };

beforeAll(async () => {
  ({ model, files } = await tinyTrainedModel(descriptor, { folder: 'run/' }));
});

const without = (name: string) => files.filter((f) => !f.name.endsWith(name));

describe('reading a trained model the user picked', () => {
  it('reads the folder, and the model it gives predicts as the one that was saved', async () => {
    const { descriptor: read, artifacts } = readModelFiles(files);
    expect(read).toMatchObject({ name: 'tiny', tags: ['nsfw', 'megane'], inputSize: 8 });
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const input = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 3);
    const [a, b] = [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([input, a, b]);
    loaded.dispose();
  });

  it('reads a ZIP of the folder', () => {
    const zip = zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes])));
    expect(readModelFiles([{ name: 'model3.zip', bytes: zip }]).descriptor.name).toBe('tiny');
  });

  it.each([
    ['no megane-model.json', () => without('megane-model.json'), /No megane-model\.json among the 2 files picked/],
    ['no model.json', () => without('/model.json'), /names model\.json, which is not among the files picked/],
    ['a missing weights file', () => without('.bin'), /needs the weight file group1-shard1of1\.bin/],
    [
      'a truncated weights file',
      () => files.map((f) => (f.name.endsWith('.bin') ? { ...f, bytes: f.bytes.slice(0, 8) } : f)),
      /hold 8 bytes, the manifest describes 1544/,
    ],
    [
      'a broken descriptor',
      () => files.map((f) => (f.name.endsWith('megane-model.json') ? { ...f, bytes: strToU8('{nope') } : f)),
      /megane-model\.json: not valid JSON/,
    ],
    [
      'a descriptor with an unknown tag',
      () =>
        files.map((f) =>
          f.name.endsWith('megane-model.json') ? { ...f, bytes: strToU8(JSON.stringify({ ...descriptor, tags: ['kitten'] })) } : f,
        ),
      /tags\[0\] "kitten" is not a Megane tag/,
    ],
    ['a damaged ZIP', () => [{ name: 'model3.zip', bytes: strToU8('not a zip') }], /model3\.zip: not a ZIP archive/],
  ])('refuses %s with a message naming the file', (_name, picked, message) => {
    expect(() => readModelFiles(picked())).toThrow(message);
  });

  it('keeps an imported model in IndexedDB, lists it without its weights, and removes it', async () => {
    const { descriptor: read, artifacts } = readModelFiles(files);
    const saved = await saveTrainedModel(read, artifacts, 5, 'trained-test');
    expect(saved).toMatchObject({ id: 'tiny@1767225600000', importedAt: 5, bytes: 1544 });
    expect(await listTrainedModels('trained-test')).toEqual([saved]);
    const back = await loadTrainedModel(saved.id, 'trained-test');
    expect(new Uint8Array(back.artifacts.weightData)).toEqual(new Uint8Array(artifacts.weightData));
    await deleteTrainedModel(saved.id, 'trained-test');
    await expect(loadTrainedModel(saved.id, 'trained-test')).rejects.toThrow(/not installed/);
    expect(await listTrainedModels('trained-test')).toEqual([]);
  });

  it('lists the models a first version of the store kept (weights and all in one record) after upgrading it', async () => {
    const { descriptor: read, artifacts } = readModelFiles(files);
    const old = await openDB('trained-v1', 1, { upgrade: (db) => void db.createObjectStore('models', { keyPath: 'id' }) });
    await old.put('models', { id: 'tiny@1767225600000', descriptor: read, artifacts, importedAt: 7, bytes: 1544 });
    old.close();
    expect(await listTrainedModels('trained-v1')).toEqual([{ id: 'tiny@1767225600000', descriptor: read, importedAt: 7, bytes: 1544 }]);
    const back = await loadTrainedModel('tiny@1767225600000', 'trained-v1');
    expect(new Uint8Array(back.artifacts.weightData)).toEqual(new Uint8Array(artifacts.weightData));
  });
});
