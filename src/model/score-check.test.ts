import { describe, expect, it } from 'vitest';
import { classesProblem, embeddingProblem, scoresProblem, tagsProblem, unitScoreProblem } from './score-check';

describe('unitScoreProblem', () => {
  it.each([
    [0, null],
    [1, null],
    [0.42, null],
    [Number.NaN, /NaN/],
    [Number.POSITIVE_INFINITY, /Infinity/],
    [-0.001, /outside 0..1/],
    [1.5, /outside 0..1/],
    [undefined, /missing/],
    ['0.5', /missing/],
  ] as const)('%s', (value, expected) => {
    const problem = unitScoreProblem('x', value);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('classesProblem', () => {
  it.each([
    ['a softmax', [0.1, 0.2, 0.3, 0.25, 0.15], null],
    ['one class certain', [0, 0, 1, 0, 0], null],
    ['float32 rounding', [0.2, 0.2, 0.2, 0.2, 0.2000001], null],
    ['a NaN', [Number.NaN, 0.2, 0.3, 0.25, 0.25], /Drawing is NaN/],
    ['all NaN', [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN], /NaN/],
    ['all zeros (a lost GPU reads zeros)', [0, 0, 0, 0, 0], /sum to 0.0000/],
    ['logits instead of probabilities', [2.1, -0.3, 0.4, 1, 0], /outside 0..1/],
    ['not normalised', [0.5, 0.5, 0.5, 0, 0], /sum to 1.5000/],
    ['four classes', [0.25, 0.25, 0.25, 0.25], /4 NSFW classes/],
    ['none', [], /0 NSFW classes/],
    ['an infinity', [0, 0, Number.POSITIVE_INFINITY, 0, 0], /Neutral is Infinity/],
  ] as const)('%s', (_label, classes, expected) => {
    const problem = classesProblem(classes);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('tagsProblem', () => {
  it.each([
    ['scores in range', { cat: 0.2, face: 1 }, [], null],
    ['no tags', {}, [], null],
    ['a NaN', { cat: Number.NaN }, [], /cat is NaN/],
    ['out of range', { dog: 1.2 }, [], /dog is 1.2/],
    ['an expected tag missing', { nsfw: 0.3 }, ['nsfw', 'megane'], /megane is missing/],
    ['an expected tag undefined', { nsfw: 0.3, megane: undefined }, ['nsfw', 'megane'], /megane is missing/],
    ['every expected tag present', { nsfw: 0.3, megane: 0 }, ['nsfw', 'megane'], null],
  ] as const)('%s', (_label, tags, expected, result) => {
    const problem = tagsProblem('t', tags, expected);
    if (result === null) expect(problem).toBeNull();
    else expect(problem).toMatch(result);
  });
});

describe('scoresProblem', () => {
  const good = { classes: [0.1, 0.1, 0.6, 0.1, 0.1], embedding: [0.5, 3, -2], tags: { nsfw: 0.3, photo: 0.9 } };
  it.each([
    ['good scores', good, null],
    ['a NaN embedding (heads and the personal model read it)', { ...good, embedding: [1, Number.NaN] }, /embedding value 1 is NaN/],
    ['a head gone wrong', { ...good, tags: { photo: Number.NaN } }, /tag: photo is NaN/],
    [
      'a trained model that gives fewer outputs',
      { ...good, trained: { tags: { nsfw: 0.1 }, expected: ['nsfw', 'cat'] } },
      /trained model: cat is missing/,
    ],
    ['a trained model with every output', { ...good, trained: { tags: { nsfw: 0.1, cat: 0 }, expected: ['nsfw', 'cat'] } }, null],
    ['classes are checked first', { ...good, classes: [0, 0, 0, 0, 0], tags: { photo: Number.NaN } }, /sum/],
  ] as const)('%s', (_label, scores, expected) => {
    const problem = scoresProblem(scores);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it('embeddingProblem names the first bad value', () => {
    expect(embeddingProblem([1, 2, Number.NEGATIVE_INFINITY, Number.NaN])).toBe('embedding value 2 is -Infinity');
    expect(embeddingProblem([])).toBeNull();
  });
});
