import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_IDS } from './catalog';
import { applyHeads, headsPath, parseHeads, type HeadsFile } from './embedding-heads';
import { TAGS } from '../tags/vocabulary';

const small: HeadsFile = {
  modelId: 'mobilenet_v2',
  embeddingSize: 3,
  tags: {
    photo: { weights: [1, 0, 0], bias: 0 },
    illust: { weights: [0, 2, -1], bias: -1 },
  },
  heldOutAccuracy: { photo: 0.9, illust: 0.8 },
};

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('applyHeads', () => {
  const heads = parseHeads(small);
  it.each([
    ['zeros', [0, 0, 0], 0.5, sigmoid(-1)],
    ['first feature', [2, 0, 0], sigmoid(2), sigmoid(-1)],
    ['second and third', [0, 1, 1], 0.5, 0.5],
    ['large negative', [-800, 0, 0], 0, sigmoid(-1)],
    ['large positive', [800, 400, 0], 1, 1],
  ])('%s', (_label, embedding, photo, illust) => {
    const scores = applyHeads(heads, embedding);
    expect(Object.keys(scores).sort()).toEqual(['illust', 'photo']);
    expect(scores.photo).toBeCloseTo(photo, 12);
    expect(scores.illust).toBeCloseTo(illust, 12);
  });

  it('scores only the tags the file has', () => {
    expect(applyHeads(parseHeads({ ...small, tags: { illust: { weights: [0, 0, 1], bias: 0 } } }), [0, 0, 0])).toEqual({ illust: 0.5 });
    expect(applyHeads(parseHeads({ ...small, tags: {} }), [1, 2, 3])).toEqual({});
  });

  it.each([[[]], [[1, 2]], [[1, 2, 3, 4]]])('rejects an embedding of length %#', (embedding) => {
    expect(() => applyHeads(heads, embedding)).toThrow(/need an embedding of 3 values/);
  });
});

describe('parseHeads', () => {
  it('accepts a minimal file and keeps the training record', () => {
    const trainedOn = {
      sources: [{ package: 'p', path: '/a/*.png', licence: 'CC0-1.0', count: 3, kind: 'photo' }],
      seed: 's',
      date: '2025-01-02',
      extra: 1,
    };
    const parsed = parseHeads({ ...small, trainedOn });
    expect(parsed.tags.photo).toEqual({ weights: [1, 0, 0], bias: 0 });
    expect(parsed.trainedOn).toEqual(trainedOn);
    expect(parseHeads({ modelId: 'inception_v3', embeddingSize: 1, tags: {} }).heldOutAccuracy).toBeUndefined();
  });

  const photo = small.tags.photo;
  it.each<[string, unknown, RegExp]>([
    ['not an object', [1, 2], /expected a JSON object/],
    ['null', null, /expected a JSON object/],
    ['unknown model', { ...small, modelId: 'resnet' }, /unknown modelId "resnet"/],
    ['zero embedding size', { ...small, embeddingSize: 0 }, /embeddingSize must be a positive integer/],
    ['fractional embedding size', { ...small, embeddingSize: 2.5 }, /embeddingSize/],
    ['tags not an object', { ...small, tags: [] }, /tags must be an object/],
    ['unknown tag', { ...small, tags: { sketch: photo } }, /unknown tag "sketch"/],
    ['tag from another source', { ...small, tags: { nsfw: photo } }, /"nsfw" has no embedding head/],
    ['head not an object', { ...small, tags: { photo: 1 } }, /tags.photo must be an object/],
    ['weights missing', { ...small, tags: { photo: { bias: 0 } } }, /tags.photo.weights must be an array/],
    ['weights too short', { ...small, tags: { photo: { weights: [1, 2], bias: 0 } } }, /has 2 values, embeddingSize is 3/],
    ['NaN weight', { ...small, tags: { photo: { weights: [1, Number.NaN, 0], bias: 0 } } }, /weights\[1\] is not a finite number/],
    ['string weight', { ...small, tags: { photo: { weights: [1, '2', 0], bias: 0 } } }, /weights\[1\]/],
    ['bias missing', { ...small, tags: { photo: { weights: [1, 2, 3] } } }, /tags.photo.bias must be a finite number/],
    ['accuracy above 1', { ...small, heldOutAccuracy: { photo: 1.5 } }, /heldOutAccuracy.photo must be in 0..1/],
    ['accuracy for unknown tag', { ...small, heldOutAccuracy: { x: 0.5 } }, /heldOutAccuracy has unknown tag "x"/],
    ['trainedOn without sources', { ...small, trainedOn: { seed: 's', date: '2025-01-01' } }, /trainedOn.sources must be an array/],
    [
      'source without licence',
      { ...small, trainedOn: { sources: [{ package: 'p', path: 'x', count: 1 }], seed: 's', date: '2025-01-01' } },
      /sources\[0\] needs package, path and licence/,
    ],
    ['bad date', { ...small, trainedOn: { sources: [], seed: 's', date: 'today' } }, /date must be YYYY-MM-DD/],
  ])('rejects %s', (_label, json, error) => {
    expect(() => parseHeads(json)).toThrow(error);
  });

  it('only embedding-head tags can have heads', () => {
    const headTags = TAGS.filter((t) => t.source === 'embedding-head').map((t) => t.id);
    expect(headTags.sort()).toEqual(['illust', 'photo']);
  });
});

describe('shipped heads', () => {
  const EMBEDDING_SIZE = { mobilenet_v2: 1280, mobilenet_v2_mid: 1792, inception_v3: 2048 } as const;
  const root = resolve(import.meta.dirname, '..', '..', 'public');

  it("public/heads/mobilenet_v2_mid.json validates, has a head for each tag the vocabulary says, and the model's embedding size", () => {
    const heads = parseHeads(JSON.parse(readFileSync(resolve(root, 'heads', 'mobilenet_v2_mid.json'), 'utf8')));
    expect(heads.modelId).toBe('mobilenet_v2_mid');
    expect(heads.embeddingSize).toBe(EMBEDDING_SIZE.mobilenet_v2_mid);
    // The vocabulary's `head` flags say which tags the default model has a head for (the popup's notes).
    expect(Object.keys(heads.tags).sort()).toEqual(
      TAGS.filter((t) => t.head)
        .map((t) => t.id)
        .sort(),
    );
    expect(heads.trainedOn?.sources.length).toBeGreaterThan(0);
    const scores = applyHeads(heads, new Array<number>(heads.embeddingSize).fill(0));
    expect(scores.photo).toBeGreaterThanOrEqual(0);
    expect(scores.photo).toBeLessThanOrEqual(1);
  });

  it.each(MODEL_IDS.filter((id) => id !== 'mobilenet_v2_mid'))('%s heads, if shipped, match the model', (id) => {
    let text: string;
    try {
      text = readFileSync(resolve(root, headsPath(id).slice(1)), 'utf8');
    } catch {
      return; // optional
    }
    const heads = parseHeads(JSON.parse(text));
    expect(heads.modelId).toBe(id);
    expect(heads.embeddingSize).toBe(EMBEDDING_SIZE[id]);
  });
});
