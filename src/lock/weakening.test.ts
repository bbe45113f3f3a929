import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../settings/schema';
import { weakenings, weakeningText } from './weakening';

const base: Settings = {
  ...DEFAULT_SETTINGS,
  siteRules: { 'off.example': false },
  tags: { cat: { hide: true }, dog: { hide: true, threshold: 0.4 } },
};
const with_ = (patch: Partial<Settings>): Settings => ({ ...base, ...patch });

describe('weakenings', () => {
  it.each<[string, Partial<Settings>, string[]]>([
    ['nothing changed', {}, []],
    ['switched off', { enabled: false }, ['off']],
    ['a site allowed', { siteRules: { 'off.example': false, 'news.example': false } }, ['site']],
    ['a parent domain allowed covers its sub-domains', { siteRules: { 'off.example': false, example: false } }, ['site']],
    ['a site filtered again (stronger)', { siteRules: {} }, []],
    ['threshold up', { nsfwThreshold: 0.9 }, ['threshold']],
    ['threshold down (stronger)', { nsfwThreshold: 0.4 }, []],
    ['a tag no longer hidden', { tags: { dog: { hide: true, threshold: 0.4 } } }, ['tag-off']],
    ['a tag switched off but kept', { tags: { cat: { hide: false }, dog: { hide: true, threshold: 0.4 } } }, ['tag-off']],
    ['a hidden tag relaxed', { tags: { cat: { hide: true }, dog: { hide: true, threshold: 0.8 } } }, ['tag-threshold']],
    [
      'a hidden tag from its default up',
      { tags: { cat: { hide: true, threshold: 0.9 }, dog: { hide: true, threshold: 0.4 } } },
      ['tag-threshold'],
    ],
    ['a new hidden tag (stronger)', { tags: { cat: { hide: true }, dog: { hide: true, threshold: 0.4 }, food: { hide: true } } }, []],
    ['a relaxed rule on a tag not hidden', { tags: { ...base.tags, face: { hide: false, threshold: 0.9 } } }, []],
    ['show what could not be checked', { onError: 'show' }, ['show-failed']],
    ['larger minimum size', { minImageSize: 200 }, ['min-size']],
    ['smaller minimum size (stronger)', { minImageSize: 0 }, []],
    ['canvases off', { checkCanvases: false }, []],
    ['another model (neutral)', { model: 'inception_v3' }, []],
    ['another trained model, or none', { trainedModel: 'model3@x' }, ['model-source']],
    ['another model deciding a tag', { tagSources: { cat: 'trained' } }, ['model-source']],
    ['several at once, in order', { enabled: false, nsfwThreshold: 0.95, onError: 'show' }, ['off', 'threshold', 'show-failed']],
  ])('%s', (_name, patch, kinds) => {
    expect(weakenings(base, with_(patch)).map((w) => w.kind)).toEqual(kinds);
  });

  it('a pause that starts or grows weakens; one that ends or shrinks does not', () => {
    const now = Date.now();
    const paused = (until: number) => with_({ pausedUntil: until });
    expect(weakenings(paused(0), paused(now + 900_000), now).map((w) => w.kind)).toEqual(['pause']);
    expect(weakenings(paused(now + 60_000), paused(now + 900_000), now).map((w) => w.kind)).toEqual(['pause']);
    expect(weakenings(paused(now + 900_000), paused(0), now)).toEqual([]);
    expect(weakenings(paused(now + 900_000), paused(now + 60_000), now)).toEqual([]);
    // A time already past is no pause.
    expect(weakenings(paused(0), paused(now - 1), now)).toEqual([]);
  });

  it('canvases switched off after being on', () => {
    expect(weakenings(with_({ checkCanvases: true }), with_({ checkCanvases: false })).map((w) => w.kind)).toEqual(['canvases-off']);
    expect(weakenings(with_({ useDetectors: true }), with_({ useDetectors: false })).map((w) => w.kind)).toEqual(['detectors-off']);
    expect(weakenings(with_({ useDetectors: false }), with_({ useDetectors: true }))).toEqual([]);
  });

  it('says each in words', () => {
    const changes = weakenings(
      base,
      with_({ enabled: false, siteRules: { 'off.example': false, 'a.example': false }, nsfwThreshold: 0.9 }),
    );
    expect(changes.map((w) => weakeningText(w))).toEqual([
      'Switch Megane off',
      'Stop filtering on a.example',
      'NSFW threshold: 70% → 90% (covers less)',
    ]);
    expect(weakeningText({ kind: 'tag-off', tag: 'cat' })).toBe('Stop hiding Cat');
  });
});
