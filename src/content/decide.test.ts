import { describe, expect, it } from 'vitest';
import type { ClassifyResult } from '../messaging/content-background';
import {
  COVERED_STATES,
  VISIBLE_STATES,
  coverRuleOf,
  decide,
  isCoveredByVerdict,
  isCoveredState,
  type Display,
  type DisplayState,
} from './decide';

// classes: Drawing, Hentai, Neutral, Porn, Sexy
const scored = (...classes: number[]): ClassifyResult => ({
  ok: true,
  scores: { model: 'mobilenet_v2', classes, tags: {}, detectors: [] },
});
const tagged = (tags: Record<string, number>): ClassifyResult => ({
  ok: true,
  scores: { model: 'mobilenet_v2', classes: [0, 0, 1, 0, 0], tags, detectors: ['objects'] },
});
const failed = (error = 'fetch failed: 404'): ClassifyResult => ({ ok: false, error });
const cover = { nsfwThreshold: 0.7, onError: 'cover', tags: {} } as const;

describe('decide', () => {
  it.each([
    ['hide on a safe image', [scored(0, 0, 1, 0, 0)], 'hide', 'hidden'],
    ['hide before the scores arrive', [undefined], 'hide', 'hidden'],
    ['hide on a failed image', [failed()], 'hide', 'hidden'],
    ['show on an NSFW image', [scored(0, 0, 0, 1, 0)], 'show', 'safe'],
    ['show on a failed image', [failed()], 'show', 'safe'],
    ['show on a tag-hidden image', [tagged({ cat: 0.9 })], 'show', 'safe'],
    ['no verdict leaves the scores in charge', [scored(0, 0, 0, 1, 0)], null, 'nsfw'],
  ] as const)("the user's verdict: %s", (_name, results, verdict, expected) => {
    const display = decide(results, { ...cover, tags: { cat: { hide: true } } }, false, verdict);
    expect(display.state).toBe(expected);
    if (display.state === 'hidden' && verdict === 'hide') expect(display.label).toBe('Hidden by you');
  });

  it("uses the trained model's NSFW score when the user chose it for nsfw", () => {
    const both: ClassifyResult = {
      ok: true,
      scores: { model: 'mobilenet_v2', classes: [0, 0, 1, 0, 0], tags: {}, detectors: [], trained: { id: 'm', tags: { nsfw: 0.95 } } },
    };
    expect(decide([both], cover).state).toBe('safe');
    const chosen = decide([both], { ...cover, tagSources: { nsfw: 'trained' } });
    expect(chosen).toMatchObject({ state: 'nsfw', label: 'NSFW 95%' });
  });

  it('a click still reveals an image the user hid', () => {
    expect(decide([scored(0, 0, 1, 0, 0)], cover, true, 'hide').state).toBe('revealed');
  });

  it.each([
    ['no image yet', [], cover, 'pending'],
    ['waiting for one of two layers', [scored(0, 0, 1, 0, 0), undefined], cover, 'pending'],
    ['neutral photo', [scored(0.05, 0, 0.9, 0.02, 0.03)], cover, 'safe'],
    ['porn + sexy split over the threshold', [scored(0, 0, 0.2, 0.4, 0.4)], cover, 'nsfw'],
    ['exactly at the threshold covers', [scored(0.3, 0.7, 0, 0, 0)], cover, 'nsfw'],
    ['just under the threshold shows', [scored(0.31, 0.69, 0, 0, 0)], cover, 'safe'],
    ['strictest setting covers a neutral image', [scored(0, 0, 1, 0, 0)], { ...cover, nsfwThreshold: 0 }, 'nsfw'],
    ['relaxed setting shows porn below 100%', [scored(0, 0, 0.01, 0.99, 0)], { ...cover, nsfwThreshold: 1 }, 'safe'],
    ['failure stays covered by default', [failed()], cover, 'error'],
    ['failure shown when the user asks', [failed()], { ...cover, onError: 'show' }, 'error-shown'],
    ['one layer nsfw, one failed: nsfw wins', [scored(0, 0, 0, 1, 0), failed()], { ...cover, onError: 'show' }, 'nsfw'],
    ['one layer safe, one failed: not safe', [scored(0, 0, 1, 0, 0), failed()], cover, 'error'],
  ] as const)('%s', (_name, results, settings, expected) => {
    expect(decide(results, settings).state).toBe(expected);
  });

  it('labels an NSFW image with its score', () => {
    expect(decide([scored(0, 0, 0.13, 0.87, 0)], cover)).toEqual({ state: 'nsfw', score: 0.87, label: 'NSFW 87%' });
  });

  it('hides an image for a tag the user hides, naming the tags', () => {
    const settings = { ...cover, tags: { food: { hide: true }, cat: { hide: true } } };
    expect(decide([tagged({ food: 0.91, cat: 0.5, dog: 0.99 })], settings)).toEqual({
      state: 'hidden',
      label: 'Hidden: food 91%, cat 50%',
      by: 'food',
    });
    expect(decide([tagged({ food: 0.2 })], settings).state).toBe('safe');
    expect(decide([tagged({ food: 0.91 })], cover).state).toBe('safe');
  });

  it('names NSFW first when both apply', () => {
    const settings = { ...cover, tags: { food: { hide: true } } };
    const both: ClassifyResult = {
      ok: true,
      scores: { model: 'mobilenet_v2', classes: [0, 0, 0, 1, 0], tags: { food: 0.9 }, detectors: [] },
    };
    expect(decide([both], settings).state).toBe('nsfw');
  });

  it('keeps a revealed image revealed whatever the scores', () => {
    expect(decide([scored(0, 0, 0, 1, 0)], { ...cover, nsfwThreshold: 0 }, true).state).toBe('revealed');
  });

  it('says why an image could not be checked', () => {
    expect(decide([failed('decode failed')], cover)).toMatchObject({ state: 'error', error: 'decode failed' });
  });
});

describe('what each state does to the image', () => {
  it.each([
    ['pending', true, false],
    ['safe', false, false],
    ['nsfw', true, true],
    ['hidden', true, true],
    ['error', true, true],
    ['error-shown', false, false],
    ['revealed', false, false],
  ] as const)('%s: covered %s, covered by a verdict %s', (state: DisplayState, covered, byVerdict) => {
    expect(isCoveredState(state)).toBe(covered);
    expect(isCoveredByVerdict(state)).toBe(byVerdict);
    expect(COVERED_STATES.includes(state)).toBe(covered);
    expect(VISIBLE_STATES.includes(state)).toBe(!covered);
  });

  it('a verdict that covers is always a cover, and every state is either covered or visible', () => {
    const all = [...COVERED_STATES, ...VISIBLE_STATES];
    expect(new Set(all).size).toBe(7);
    for (const state of all) if (isCoveredByVerdict(state)) expect(isCoveredState(state)).toBe(true);
  });
});

describe('the rule that covers an image, for the statistics', () => {
  const cases: [string, Display, string | null][] = [
    ['the NSFW threshold counts as the nsfw tag', { state: 'nsfw', score: 0.9, label: 'NSFW 90%' }, 'nsfw'],
    ['a tag rule: the strongest tag', { state: 'hidden', label: 'Hidden: food 91%', by: 'food' }, 'food'],
    ["the user's own hide mark", { state: 'hidden', label: 'Hidden by you', by: 'you' }, 'you'],
    ["couldn't check, kept covered", { state: 'error', label: "Couldn't check", error: 'x' }, 'unchecked'],
    ["couldn't check, shown", { state: 'error-shown', error: 'x' }, null],
    ['safe', { state: 'safe', score: 0.1 }, null],
    ['still pending', { state: 'pending' }, null],
    ['revealed', { state: 'revealed' }, null],
  ];
  it.each(cases)('%s', (_name, display, rule) => {
    expect(coverRuleOf(display)).toBe(rule);
  });

  it('every state a verdict covers names a rule, and no other state does', () => {
    for (const [, display, rule] of cases) expect(rule !== null).toBe(isCoveredByVerdict(display.state));
  });
});
