// The personal-tag trainer on small synthetic embeddings (CPU backend): the split, what gets a head and
// what is trusted, folding, determinism, the stored-model parser, errors and tensor leaks. That it learns
// real image embeddings is test/unit/personal-classifier.test.ts.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyPersonalModel,
  isHeldOut,
  parsePersonalModel,
  trainPersonalModel,
  type PersonalExample,
  type PersonalModel,
} from './train-personal';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** mulberry32: a small seeded generator, so the fixtures are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const SIZE = 24;

/**
 * Two blobs in SIZE dims: label 1 shifted by +1.5 on the first 4 features (separable with a little
 * overlap), on raw features with offset 5 and scale 3 so standardisation matters.
 */
function blobs(count: number, seed: number, tag = 'liked', positiveEvery = 3): PersonalExample[] {
  const rand = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const label = i % positiveEvery === 0 ? 1 : 0;
    const embedding = Array.from({ length: SIZE }, (_, j) => 5 + 3 * (gaussian(rand) + (j < 4 && label === 1 ? 1.5 : 0)));
    return { key: `https://example.com/${seed}/${i}.jpg`, embedding, labels: { [tag]: label } };
  });
}

const FAST = { epochs: 60, learningRate: 0.05 };

function accuracyOn(model: PersonalModel, tag: string, examples: readonly PersonalExample[]): number {
  const right = examples.filter((e) => ((applyPersonalModel(model, e.embedding)[tag] ?? 0) >= 0.5 ? 1 : 0) === e.labels[tag]);
  return right.length / examples.length;
}

describe('isHeldOut', () => {
  // Pinned: a key must stay on its side across versions, or stored accuracies would be re-measured on
  // examples the head was trained on.
  const table: Array<[string, boolean, boolean, boolean]> = [
    // key, at 0.2, at 0.5, at 0.2 with seed 'seed-1'
    ['https://example.com/0.jpg', false, false, false],
    ['https://example.com/3.jpg', false, true, false],
    ['https://example.com/6.jpg', false, false, true],
    ['https://example.com/9.jpg', true, true, false],
    ['é😀', false, false, true],
    ['x', false, true, false],
  ];
  it.each(table)('%s', (key, at02, at05, seeded) => {
    expect(isHeldOut(key, 0.2)).toBe(at02);
    expect(isHeldOut(key, 0.2, '')).toBe(at02);
    expect(isHeldOut(key, 0.5)).toBe(at05);
    expect(isHeldOut(key, 0.2, 'seed-1')).toBe(seeded);
  });

  const keys = Array.from({ length: 4000 }, (_, i) => `https://example.com/img/${i}.png`);
  it('holds out about the given fraction, never at 0 and always at 1', () => {
    for (const fraction of [0.1, 0.2, 0.5]) {
      const share = keys.filter((k) => isHeldOut(k, fraction)).length / keys.length;
      expect(Math.abs(share - fraction)).toBeLessThan(0.025);
    }
    expect(keys.some((k) => isHeldOut(k, 0))).toBe(false);
    expect(keys.every((k) => isHeldOut(k, 1))).toBe(true);
  });

  it('keeps a key held out as the fraction grows, and the seed reshuffles', () => {
    expect(keys.filter((k) => isHeldOut(k, 0.1)).every((k) => isHeldOut(k, 0.3))).toBe(true);
    const a = keys.filter((k) => isHeldOut(k, 0.2, 'a'));
    const b = new Set(keys.filter((k) => isHeldOut(k, 0.2, 'b')));
    expect(a.filter((k) => b.has(k)).length / a.length).toBeLessThan(0.35); // ~0.2 if independent
  });

  it('rejects a fraction outside 0..1', () => {
    expect(() => isHeldOut('k', 1.5)).toThrow(/fraction/);
    expect(() => isHeldOut('k', Number.NaN)).toThrow(/fraction/);
  });
});

describe('trainPersonalModel', () => {
  it('learns separable blobs, folds the standardisation into the head and releases every tensor', async () => {
    const examples = blobs(150, 1);
    const before = tf.memory().numTensors;
    const model = await trainPersonalModel(examples, FAST);
    expect(tf.memory().numTensors).toBe(before);

    expect(model.embeddingSize).toBe(SIZE);
    expect(model.trainedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(Object.keys(model.tags)).toEqual(['liked']);
    expect(model.tags.liked?.weights).toHaveLength(SIZE);
    const stats = model.stats.liked;
    expect(stats).toMatchObject({ positives: 50, negatives: 100, trusted: true });
    expect(stats?.reason).toBeUndefined();
    expect(stats?.heldOutCount).toBe(examples.filter((e) => isHeldOut(e.key, 0.2)).length);
    expect(stats?.heldOutAccuracy).toBeGreaterThanOrEqual(0.9);
    // The folded head scores raw embeddings; fresh examples from the same blobs:
    expect(accuracyOn(model, 'liked', blobs(200, 2))).toBeGreaterThanOrEqual(0.9);
    // Only the first 4 features carry the label.
    const weights = model.tags.liked?.weights.map(Math.abs) ?? [];
    expect(Math.min(...weights.slice(0, 4))).toBeGreaterThan(Math.max(...weights.slice(4)));
  });

  it('gives the same head for the same examples (no randomness)', async () => {
    const examples = blobs(60, 3);
    const [a, b] = [await trainPersonalModel(examples, FAST), await trainPersonalModel(examples, FAST)];
    expect(a.tags).toEqual(b.tags);
    expect(a.stats).toEqual(b.stats);
  });

  it('scores the same whatever the units of the features (standardisation is folded in)', async () => {
    const examples = blobs(90, 4);
    const rescaled = examples.map((e) => ({ ...e, embedding: e.embedding.map((v) => 1000 * v - 2000) }));
    const [a, b] = [await trainPersonalModel(examples, FAST), await trainPersonalModel(rescaled, FAST)];
    const probe = blobs(30, 5);
    probe.forEach((e) => {
      const scoreA = applyPersonalModel(a, e.embedding).liked ?? Number.NaN;
      const scoreB =
        applyPersonalModel(
          b,
          e.embedding.map((v) => 1000 * v - 2000),
        ).liked ?? Number.NaN;
      expect(Math.abs(scoreA - scoreB)).toBeLessThan(1e-3);
    });
  });

  it('uses for each tag only the examples labelled for it', async () => {
    const liked = blobs(60, 6);
    const cats = blobs(45, 7, 'cat');
    const both = [...liked, ...cats];
    const model = await trainPersonalModel(both, FAST);
    expect(Object.keys(model.stats)).toEqual(['cat', 'liked']);
    expect(model.stats.liked).toMatchObject({ positives: 20, negatives: 40 });
    expect(model.stats.cat).toMatchObject({ positives: 15, negatives: 30 });
    expect(model.stats.liked?.heldOutCount).toBe(liked.filter((e) => isHeldOut(e.key, 0.2)).length);
    // The cat head never saw the liked examples, so it is the head trained on the cat examples alone.
    const alone = await trainPersonalModel(cats, FAST);
    expect(model.tags.cat).toEqual(alone.tags.cat);
  });

  it('trains no head for a tag with too few positives or negatives, and says why', async () => {
    const examples = blobs(40, 8).map((e, i) => ({ ...e, labels: { ...e.labels, rare: i < 2 ? (1 as const) : (0 as const) } }));
    const model = await trainPersonalModel(examples, FAST);
    expect(model.tags.rare).toBeUndefined();
    expect(model.stats.rare).toEqual({
      positives: 2,
      negatives: 38,
      heldOutAccuracy: null,
      heldOutCount: 0,
      trusted: false,
      reason: 'needs at least 5 positive and 5 negative examples (has 2 / 38)',
    });
    expect(model.tags.liked).toBeDefined();
    const strict = await trainPersonalModel(examples, { ...FAST, minPerClass: 15 });
    expect(strict.stats.liked?.reason).toBe('needs at least 15 positive and 15 negative examples (has 14 / 26)');
  });

  it('does not trust a head measured on too few held-out examples', async () => {
    // 12 keys: with fraction 0.2 only a couple are held out.
    const examples = blobs(12, 9, 'liked', 2);
    const heldOut = examples.filter((e) => isHeldOut(e.key, 0.2)).length;
    expect(heldOut).toBeLessThan(4);
    const model = await trainPersonalModel(examples, FAST);
    expect(model.tags.liked).toBeDefined();
    expect(model.stats.liked?.trusted).toBe(false);
    expect(model.stats.liked?.reason).toMatch(new RegExp(`only ${heldOut} held-out example.*at least 4`));
    const none = await trainPersonalModel(examples, { ...FAST, holdOutFraction: 0 });
    expect(none.stats.liked).toMatchObject({ heldOutAccuracy: null, heldOutCount: 0, trusted: false });
  });

  it('does not trust a head that is no better than chance on the held-out examples', async () => {
    // Labels unrelated to the embeddings.
    const rand = random(10);
    const examples = blobs(120, 11).map((e) => ({ ...e, labels: { noise: rand() < 0.5 ? (1 as const) : (0 as const) } }));
    const model = await trainPersonalModel(examples, FAST);
    expect(model.tags.noise).toBeDefined();
    expect(model.stats.noise?.trusted).toBe(false);
    expect(model.stats.noise?.reason).toMatch(/held-out accuracy [\d.]+% is (below 75%|no better than always answering)/);
  });

  it('keeps copies of one image (same key) on one side of the split', async () => {
    const originals = blobs(50, 12);
    const copies = originals.flatMap((e) => [e, { ...e, embedding: e.embedding.map((v) => v + 0.01) }]);
    const model = await trainPersonalModel(copies, FAST);
    expect(model.stats.liked?.heldOutCount).toBe(2 * originals.filter((e) => isHeldOut(e.key, 0.2)).length);
  });

  it('rejects bad input with a clear message', async () => {
    const good = blobs(12, 13);
    const first = good[0] as PersonalExample;
    const bad: Array<[string, unknown[], unknown, RegExp]> = [
      ['no examples', [], {}, /no examples/],
      [
        'embedding lengths differ',
        [first, { ...first, key: 'b', embedding: [1, 2] }],
        {},
        /examples\[1\] \(b\) has an embedding of 2 values, examples\[0\] has 24/,
      ],
      ['NaN', [{ ...first, embedding: [...first.embedding.slice(0, 3), Number.NaN] }], {}, /embedding\[3\] is not a finite number/],
      ['Infinity', [{ ...first, embedding: [Infinity] }], {}, /embedding\[0\] is not a finite number/],
      ['empty embedding', [{ ...first, embedding: [] }], {}, /has no embedding/],
      ['label 2', [{ ...first, labels: { liked: 2 } }], {}, /label for "liked" must be 0 or 1/],
      ['no key', [{ ...first, key: '' }], {}, /key must be a non-empty string/],
      ['not an object', [null], {}, /examples\[0\] must be an object/],
      ['epochs', good, { epochs: 0 }, /epochs must be a positive integer/],
      ['holdOutFraction', good, { holdOutFraction: 1 }, /holdOutFraction must be in \[0, 1\)/],
      ['learningRate', good, { learningRate: -1 }, /learningRate/],
      ['minPerClass', good, { minPerClass: 0.5 }, /minPerClass/],
    ];
    const before = tf.memory().numTensors;
    for (const [, examples, options, error] of bad) {
      await expect(trainPersonalModel(examples as PersonalExample[], options as object)).rejects.toThrow(error);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('applyPersonalModel', () => {
  const model: PersonalModel = {
    embeddingSize: 2,
    trainedAt: 0,
    tags: { a: { weights: [1, -1], bias: 0 }, b: { weights: [0, 0], bias: 2 } },
    stats: {},
  };
  it('scores sigmoid(w . e + b) for every head', () => {
    const scores = applyPersonalModel(model, [3, 1]);
    expect(scores.a).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(scores.b).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(Object.keys(scores)).toEqual(['a', 'b']);
  });
  it('rejects an embedding of another length', () => {
    expect(() => applyPersonalModel(model, [1, 2, 3])).toThrow('personal model needs an embedding of 2 values, got 3');
  });
});

describe('parsePersonalModel', () => {
  const stored = {
    embeddingSize: 2,
    trainedAt: 1_700_000_000_000,
    tags: { liked: { weights: [0.5, -0.25], bias: 0.1 } },
    stats: {
      liked: { positives: 9, negatives: 12, heldOutAccuracy: 0.8, heldOutCount: 5, trusted: true },
      rare: {
        positives: 1,
        negatives: 4,
        heldOutAccuracy: null,
        heldOutCount: 0,
        trusted: false,
        reason: 'needs at least 5 positive and 5 negative examples (has 1 / 4)',
      },
    },
  };

  it('accepts a trained model after a JSON round trip, and drops unknown fields', async () => {
    const trained = await trainPersonalModel(blobs(40, 14), FAST);
    expect(parsePersonalModel(JSON.parse(JSON.stringify(trained)))).toEqual(trained);
    expect(parsePersonalModel({ ...stored, extra: 1 })).toEqual(stored);
  });

  const withStats = (tag: string, patch: object) => ({ ...stored, stats: { ...stored.stats, [tag]: { ...stored.stats.liked, ...patch } } });
  const bad: Array<[string, unknown, RegExp]> = [
    ['not an object', 'model', /expected an object/],
    ['null', null, /expected an object/],
    ['embedding size 0', { ...stored, embeddingSize: 0 }, /embeddingSize must be a positive integer/],
    ['trainedAt', { ...stored, trainedAt: 'yesterday' }, /trainedAt/],
    ['tags array', { ...stored, tags: [] }, /tags must be an object/],
    ['stats missing', { ...stored, stats: undefined }, /stats must be an object/],
    ['short weights', { ...stored, tags: { liked: { weights: [1], bias: 0 } } }, /tags.liked.weights has 1 values, embeddingSize is 2/],
    ['null weight', { ...stored, tags: { liked: { weights: [1, null], bias: 0 } } }, /tags.liked.weights\[1\] is not a finite number/],
    ['bias', { ...stored, tags: { liked: { weights: [1, 2] } } }, /tags.liked.bias must be a finite number/],
    ['head without stats', { ...stored, tags: { ...stored.tags, other: { weights: [1, 2], bias: 0 } } }, /tags.other has no stats/],
    ['trusted without head', withStats('ghost', {}), /stats.ghost is trusted but has no head/],
    ['accuracy above 1', withStats('liked', { heldOutAccuracy: 1.5 }), /heldOutAccuracy must be null or in 0..1/],
    ['negative count', withStats('liked', { positives: -1 }), /positives and .negatives must be counts/],
    ['held out more than examples', withStats('liked', { heldOutCount: 30 }), /heldOutCount is more than its examples/],
    ['trusted string', withStats('liked', { trusted: 'yes' }), /trusted must be true or false/],
    ['reason number', withStats('liked', { reason: 3 }), /reason must be a string/],
  ];
  it.each(bad)('rejects %s', (_label, json, error) => {
    expect(() => parsePersonalModel(json)).toThrow(error);
  });
});
