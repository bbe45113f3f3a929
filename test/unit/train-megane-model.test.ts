import { describe, expect, it } from 'vitest';
import { parseMeganeModel, type MeganeModelDescriptor } from '../../src/train/megane-model';

const valid: MeganeModelDescriptor = {
  format: 'megane-model',
  version: 2,
  name: 'model3',
  architecture: 'model3',
  modelFile: 'model.json',
  inputSize: 256,
  preprocessing: { resize: 'stretch', scale: '1/255', channels: 'RGB' },
  tags: ['nsfw', 'like', 'dislike', 'user:spiders'],
  customTags: [{ id: 'user:spiders', label: 'Spiders' }],
  output: 'logits',
  trainedAt: 1767225600000,
  dataset: { images: 10, train: 8, validation: 2 },
  metrics: {
    nsfw: { precision: 1, recall: 0.5, averagePrecision: 0.75, positives: 2, negatives: 0 },
    like: { precision: null, recall: null, averagePrecision: null, positives: 0, negatives: 1 },
  },
  training: {
    epochs: 3,
    batchSize: 16,
    learningRate: 0.0001,
    miningRatio: null,
    seed: 'megane',
    validationFraction: 0.2,
    validationLoss: 0.41,
    backend: 'wasm',
  },
};

const edit = (change: Record<string, unknown>): unknown => ({ ...structuredClone(valid), ...change });

describe('parseMeganeModel', () => {
  it('reads back what the trainer writes', () => {
    expect(parseMeganeModel(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
  });

  it('ignores unknown fields and accepts a file without training info', () => {
    const { training: _ignored, ...rest } = valid;
    expect(parseMeganeModel({ ...rest, later: 'field' })).toEqual(rest);
  });

  it('reads a version 1 file (no user tags) as version 2 with none', () => {
    const v1 = edit({ version: 1, tags: ['nsfw', 'like', 'dislike'], customTags: undefined });
    expect(parseMeganeModel(JSON.parse(JSON.stringify(v1)))).toEqual({ ...valid, tags: ['nsfw', 'like', 'dislike'], customTags: [] });
  });

  it.each([
    { name: 'not an object', json: [1], message: /expected a JSON object, got \[1\]/ },
    { name: 'another format', json: edit({ format: 'megane-dataset' }), message: /format is "megane-dataset", expected "megane-model"/ },
    { name: 'a newer version', json: edit({ version: 3 }), message: /version 3 was written by a newer Megane/ },
    { name: 'a user tag without a name', json: edit({ customTags: [] }), message: /tags: "user:spiders" has no name in customTags/ },
    {
      name: 'a name for a tag the model does not have',
      json: edit({
        customTags: [
          { id: 'user:spiders', label: 'Spiders' },
          { id: 'user:bats', label: 'Bats' },
        ],
      }),
      message: /customTags\[1\]: "user:bats" is not one of the model's tags/,
    },
    {
      name: 'a user tag named badly',
      json: edit({ customTags: [{ id: 'user:spiders', label: ' ' }] }),
      message: /customTags\[0\] .* is not \{id: "user:<name>", label\}/,
    },
    { name: 'customTags that are not a list', json: edit({ customTags: 'Spiders' }), message: /customTags "Spiders" is not a list/ },
    { name: 'an unknown tag', json: edit({ tags: ['nsfw', 'kitten'] }), message: /tags\[1\] "kitten" is not a Megane tag/ },
    { name: 'a repeated tag', json: edit({ tags: ['nsfw', 'nsfw'], metrics: {} }), message: /tags\[1\] "nsfw" is listed twice/ },
    { name: 'no tags', json: edit({ tags: [], metrics: {} }), message: /tags \[\] is not a non-empty list/ },
    { name: 'another output', json: edit({ output: 'softmax' }), message: /output "softmax" is not "logits" or "sigmoid"/ },
    {
      name: 'a letterbox resize',
      json: edit({ preprocessing: { resize: 'letterbox', scale: '1/255', channels: 'RGB' } }),
      message: /preprocessing.resize "letterbox"/,
    },
    {
      name: 'a model file in another folder',
      json: edit({ modelFile: '../model.json' }),
      message: /modelFile "..\/model.json" is not a .json file name/,
    },
    { name: 'a bad input size', json: edit({ inputSize: 25.5 }), message: /inputSize 25.5/ },
    {
      name: 'metrics of another tag',
      json: edit({ metrics: { cat: valid.metrics.nsfw } }),
      message: /metrics.cat: "cat" is not one of the model's tags/,
    },
    {
      name: 'a precision above 1',
      json: edit({ metrics: { nsfw: { ...valid.metrics.nsfw, precision: 1.5 } } }),
      message: /metrics.nsfw.precision 1.5 is not a number in 0..1 or null/,
    },
    {
      name: 'counts that do not add up',
      json: edit({ dataset: { images: 3, train: 3, validation: 1 } }),
      message: /train 3 \+ validation 1 is more than images 3/,
    },
    {
      name: 'bad training info',
      json: edit({ training: { ...valid.training, batchSize: 0 } }),
      message: /training.batchSize 0 is not a positive count/,
    },
  ])('refuses $name', ({ json, message }) => {
    expect(() => parseMeganeModel(json)).toThrow(message);
  });

  it('lists every problem in one message that names the file', () => {
    expect(() => parseMeganeModel(edit({ name: '', output: 'x', trainedAt: -1 }))).toThrow(
      /^megane-model.json: name "" is not a non-empty string; output "x" is not "logits" or "sigmoid"; trainedAt -1 is not a time/,
    );
  });
});
