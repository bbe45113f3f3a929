import { describe, expect, it } from 'vitest';
import type { ImageScores } from '../model/scores';
import { hidesLearnedTags, matchingTags, neededDetectors, tagThreshold, topTags } from './tag-rules';

const scores = (tags: ImageScores['tags']): ImageScores => ({ model: 'mobilenet_v2_mid', classes: [0, 0, 1, 0, 0], tags, detectors: [] });

describe('neededDetectors', () => {
  it.each([
    ['nothing hidden', {}, []],
    ['only tags from the NSFW model and heads', { photo: { hide: true }, illust: { hide: true } }, []],
    ['a tag switched off', { cat: { hide: false } }, []],
    ['cat', { cat: { hide: true } }, ['objects']],
    ['girl', { girl: { hide: true } }, ['faces']],
    ['face, dog and food', { face: { hide: true }, dog: { hide: true }, food: { hide: true } }, ['faces', 'objects']],
    ['a feedback tag', { megane: { hide: true } }, []],
  ] as const)('%s', (_name, tags, expected) => {
    expect(neededDetectors({ tags })).toEqual(expected);
    expect(neededDetectors({ tags, useDetectors: true })).toEqual(expected);
    // Detectors off: the heads score face/girl/boy/cat/dog/food alone, nothing else loads.
    expect(neededDetectors({ tags, useDetectors: false })).toEqual([]);
  });
});

describe('hidesLearnedTags', () => {
  it.each([
    ['nothing hidden', {}, [], false],
    ['tags from the models only', { photo: { hide: true }, cat: { hide: true }, girl: { hide: true } }, [], false],
    ['nsfw (the slider governs it)', { nsfw: { hide: true } }, [], false],
    ['dislike', { dislike: { hide: true } }, [], true],
    ['a feedback tag switched off', { megane: { hide: false } }, [], false],
    ["the user's own tag", { 'user:spiders': { hide: true } }, [{ id: 'user:spiders', label: 'Spiders' }], true],
    ['a user tag the user no longer has', { 'user:spiders': { hide: true } }, [], false],
  ] as const)('%s', (_name, tags, customTags, expected) => {
    expect(hidesLearnedTags({ tags, customTags: [...customTags] })).toBe(expected);
  });
});

describe('matchingTags', () => {
  it.each([
    ['hides food over its default threshold', { food: { hide: true } }, { food: 0.91 }, ['food']],
    ['keeps food under its default threshold', { food: { hide: true } }, { food: 0.2 }, []],
    ['uses the user threshold', { food: { hide: true, threshold: 0.1 } }, { food: 0.2 }, ['food']],
    ['ignores tags not set to hide', { food: { hide: false } }, { food: 0.99 }, []],
    ['ignores tags that were not scored', { cat: { hide: true } }, { food: 0.99 }, []],
    ['strongest first', { cat: { hide: true }, dog: { hide: true } }, { cat: 0.5, dog: 0.9 }, ['dog', 'cat']],
  ] as const)('%s', (_name, tags, scored, expected) => {
    expect(matchingTags(scores(scored), { tags }).map((t) => t.id)).toEqual(expected);
  });

  it('hides by a user tag only while the user still has that tag', () => {
    const rainbows = { id: 'user:rainbows' as const, label: 'Rainbows' };
    const tags = { 'user:rainbows': { hide: true } };
    const scored = scores({ 'user:rainbows': 0.8 });
    expect(matchingTags(scored, { tags, customTags: [rainbows] })).toEqual([{ id: 'user:rainbows', score: 0.8 }]);
    expect(matchingTags(scored, { tags, customTags: [] })).toEqual([]);
    expect(tagThreshold('user:rainbows', { tags: {} })).toBe(0.5);
    expect(neededDetectors({ tags, customTags: [rainbows] })).toEqual([]);
  });

  it('reads a tag from the trained model when Megane does not score it, or when the user picks the trained model', () => {
    const both: ImageScores = { ...scores({ photo: 0.2 }), trained: { id: 'model3@1', tags: { photo: 0.9, megane: 0.8 } } };
    const tags = { photo: { hide: true }, megane: { hide: true } };
    expect(matchingTags(both, { tags }).map((t) => t.id)).toEqual(['megane']);
    expect(matchingTags(both, { tags, tagSources: { photo: 'trained' } }).map((t) => t.id)).toEqual(['photo', 'megane']);
    expect(matchingTags(both, { tags, tagSources: { megane: 'builtin' } }).map((t) => t.id)).toEqual(['megane']);
  });

  it("reads the user's own tag from the trained model until the personal model scores it, then as the user picks", () => {
    const spiders = { id: 'user:spiders' as const, label: 'Spiders' };
    const tags = { 'user:spiders': { hide: true } };
    const onlyTrained: ImageScores = { ...scores({}), trained: { id: 'model3@1', tags: { 'user:spiders': 0.7 } } };
    expect(matchingTags(onlyTrained, { tags, customTags: [spiders] })).toEqual([{ id: 'user:spiders', score: 0.7 }]);
    const both: ImageScores = { ...scores({ 'user:spiders': 0.1 }), trained: { id: 'model3@1', tags: { 'user:spiders': 0.7 } } };
    expect(matchingTags(both, { tags, customTags: [spiders] })).toEqual([]);
    expect(matchingTags(both, { tags, customTags: [spiders], tagSources: { 'user:spiders': 'trained' } })).toEqual([
      { id: 'user:spiders', score: 0.7 },
    ]);
  });

  it('reads defaults from the vocabulary', () => {
    expect(tagThreshold('cat', { tags: {} })).toBeGreaterThan(0);
    expect(tagThreshold('cat', { tags: { cat: { hide: true, threshold: 0.33 } } })).toBe(0.33);
  });

  it('lists the top tags', () => {
    expect(topTags(scores({ photo: 0.9, cat: 0.8, food: 0.1, face: 0.5 }), 2)).toEqual([
      { id: 'photo', score: 0.9 },
      { id: 'cat', score: 0.8 },
    ]);
  });
});
