import { describe, expect, it } from 'vitest';
import type { Marks } from '../marks/mark-types';
import type { ClassifyResult } from '../messaging/content-background';
import { createVerdictStore } from './verdict-store';

// classes: Drawing, Hentai, Neutral, Porn, Sexy
const safe: ClassifyResult = { ok: true, scores: { model: 'mobilenet_v2', classes: [0, 0, 1, 0, 0], tags: {}, detectors: [] } };
const porn: ClassifyResult = { ok: true, scores: { model: 'mobilenet_v2', classes: [0, 0, 0, 1, 0], tags: {}, detectors: [] } };
const failed: ClassifyResult = { ok: false, error: 'fetch failed: 404' };
const settings = { nsfwThreshold: 0.7, onError: 'cover', tags: {} } as const;
const marks = (verdict: Marks['verdict'], like = false): Marks => ({ like, dislike: false, verdict, tags: [] });

/** A store with one element painting `urls`, each answered in order; answers its entry. */
function tracked(urls: string[], results: ClassifyResult[]) {
  const store = createVerdictStore<object>();
  const el = {};
  const entry = store.track(el, urls);
  if (!entry) throw new Error('not tracked');
  results.forEach((r, i) => store.answer(el, entry, i, r));
  store.redecide(entry, settings);
  return { store, el, entry };
}

describe('verdict store', () => {
  it.each([
    ['nothing answered yet', ['a'], [], 'pending'],
    ['one of two layers answered', ['a', 'b'], [safe], 'pending'],
    ['safe', ['a'], [safe], 'safe'],
    ['nsfw', ['a'], [porn], 'nsfw'],
    ['one layer nsfw', ['a', 'b'], [safe, porn], 'nsfw'],
    ['failed', ['a'], [failed], 'error'],
  ] as const)('decides from its answers: %s', (_name, urls, results, state) => {
    expect(tracked([...urls], [...results]).entry.display.state).toBe(state);
  });

  it('tracks an element again only when the URLs it paints change', () => {
    const { store, el, entry } = tracked(['a'], [safe]);
    expect(store.track(el, ['a'])).toBeUndefined();
    const next = store.track(el, ['b']);
    expect(next).toBeDefined();
    expect(next?.display.state).toBe('pending');
    // An answer for the old entry is stale and changes nothing.
    expect(store.answer(el, entry, 0, porn)).toBe('stale');
    expect(store.get(el)).toBe(next);
  });

  it('a refresh that fails keeps the old scores', () => {
    const { store, el, entry } = tracked(['a'], [porn]);
    expect(store.answer(el, entry, 0, failed, true)).toBe('kept');
    expect(store.redecide(entry, settings).state).toBe('nsfw');
    expect(store.answer(el, entry, 0, failed)).toBe('recorded');
    expect(store.redecide(entry, settings).state).toBe('error');
  });

  it('a reveal holds for every element painting the URL, until a hide verdict arrives', () => {
    const { store, entry } = tracked(['a'], [porn]);
    const other = {};
    const second = store.track(other, ['a']);
    if (!second) throw new Error('not tracked');
    store.answer(other, second, 0, porn);
    store.reveal(entry);
    expect(store.redecide(entry, settings).state).toBe('revealed');
    expect(store.redecide(second, settings).state).toBe('revealed');
    expect(store.showing('a')).toHaveLength(2);
    // A mark saved from here does not take the reveal back; one from the context menu does.
    store.setMarks('a', marks('hide'));
    expect(store.redecide(entry, settings).state).toBe('revealed');
    store.receiveMarks('a', marks('hide'));
    expect(store.redecide(entry, settings)).toMatchObject({ state: 'hidden', label: 'Hidden by you' });
  });

  it('learns marks from an answer, but never over marks it already has', () => {
    const { store, el, entry } = tracked(['a', 'b'], []);
    store.answer(el, entry, 0, { ...safe, marks: marks('show', true) });
    expect(store.marksOf(entry)).toEqual(marks('show', true));
    store.setMarks('b', marks(null));
    store.answer(el, entry, 1, { ...porn, marks: marks('hide') });
    expect(store.marksOf(entry)).toEqual(marks('show', true));
    // Hide wins over show when layers disagree: b had no verdict, so a's show holds.
    expect(store.redecide(entry, settings).state).toBe('safe');
    store.setMarks('b', marks('hide'));
    expect(store.redecide(entry, settings).state).toBe('hidden');
  });

  it('applies a mark at once and undoes it when the save fails', () => {
    const { store, entry } = tracked(['a'], [porn]);
    store.reveal(entry);
    const applied = store.applyMark(entry, { kind: 'verdict', verdict: 'hide' });
    expect(applied?.url).toBe('a');
    expect(store.redecide(entry, settings).state).toBe('hidden');
    applied?.undo();
    expect(store.marksOf(entry)).toBeUndefined();
    // The reveal was taken back by saying "hide", and an undo does not give it back.
    expect(store.redecide(entry, settings).state).toBe('nsfw');
  });

  it('counts what the popup shows', () => {
    const store = createVerdictStore<object>();
    const add = (urls: string[], results: ClassifyResult[], reveal = false) => {
      const el = {};
      const entry = store.track(el, urls);
      if (!entry) throw new Error('not tracked');
      results.forEach((r, i) => store.answer(el, entry, i, r));
      if (reveal) store.reveal(entry);
      store.redecide(entry, settings);
      return el;
    };
    add(['p'], []);
    add(['s'], [safe]);
    add(['n'], [porn]);
    add(['r'], [porn], true);
    add(['f'], [failed]);
    const gone = add(['g', 'h'], [safe, failed]);
    expect(store.stats()).toEqual({ pending: 1, checked: 3, covered: 3, failed: 2 });
    store.forget(gone);
    expect(store.stats()).toEqual({ pending: 1, checked: 3, covered: 2, failed: 1 });
  });
});

describe('extra checks of the same picture', () => {
  it('waits for every check and keeps the worse answer, a failed one included', () => {
    const store = createVerdictStore<object>();
    const el = {};
    const entry = store.track(el, ['a'], 1);
    if (!entry) throw new Error('not tracked');
    store.answer(el, entry, 0, safe);
    expect(store.redecide(entry, settings).state).toBe('pending');
    store.answer(el, entry, 1, porn);
    expect(store.redecide(entry, settings).state).toBe('nsfw');
    store.answer(el, entry, 1, failed);
    expect(store.redecide(entry, settings).state).toBe('error');
  });

  it('tracks again when the same URLs are to be checked a different number of times', () => {
    const store = createVerdictStore<object>();
    const el = {};
    store.track(el, ['a']);
    expect(store.track(el, ['a'], 0)).toBeUndefined();
    expect(store.track(el, ['a'], 1)?.results).toHaveLength(2);
    expect(store.track(el, ['a'], 1)).toBeUndefined();
  });
});

describe('the tally for the statistics page', () => {
  const food: ClassifyResult = {
    ok: true,
    scores: { model: 'mobilenet_v2', classes: [0, 0, 1, 0, 0], tags: { food: 0.9 }, detectors: [] },
  };
  const hideFood = { ...settings, tags: { food: { hide: true } } };

  it('counts each image once, when its last answer is in, with the rule that covered it', () => {
    const store = createVerdictStore<object>();
    const add = (urls: string[], results: ClassifyResult[], s: typeof settings | typeof hideFood = settings) => {
      const el = {};
      const entry = store.track(el, urls);
      if (!entry) throw new Error('not tracked');
      results.forEach((r, i) => store.answer(el, entry, i, r));
      store.redecide(entry, s);
      return { el, entry };
    };
    add(['s'], [safe]);
    add(['n'], [porn]);
    add(['f'], [failed]);
    add(['t'], [food], hideFood);
    const waiting = add(['a', 'b'], [safe]);
    expect(store.takeTally()).toEqual({ checked: 3, failed: 1, covered: 3, rules: { nsfw: 1, unchecked: 1, food: 1 } });
    // Nothing new: nothing to tell. Deciding again (a slider moved) does not count again.
    expect(store.takeTally()).toEqual({ checked: 0, failed: 0, covered: 0, rules: {} });
    add(['n'], [porn]);
    store.redecide(waiting.entry, settings);
    expect(store.takeTally().checked).toBe(0);
    // The second layer's answer completes the image: counted now.
    store.answer(waiting.el, waiting.entry, 1, porn);
    store.redecide(waiting.entry, settings);
    expect(store.takeTally()).toEqual({ checked: 1, failed: 0, covered: 1, rules: { nsfw: 1 } });
  });

  it("counts the user's own hide mark as its rule", () => {
    const store = createVerdictStore<object>();
    const el = {};
    store.setMarks('m', marks('hide'));
    const entry = store.track(el, ['m']);
    if (!entry) throw new Error('not tracked');
    store.answer(el, entry, 0, safe);
    store.redecide(entry, settings);
    expect(store.takeTally()).toEqual({ checked: 1, failed: 0, covered: 1, rules: { you: 1 } });
  });

  it('counts a video once while its list of segments grows as it plays', () => {
    const store = createVerdictStore<object>();
    const video = {};
    for (const urls of [['poster.jpg'], ['poster.jpg', 'seg0'], ['poster.jpg', 'seg0', 'seg120']]) {
      const entry = store.track(video, urls);
      if (!entry) throw new Error('not tracked');
      urls.forEach((_, i) => store.answer(video, entry, i, safe));
      store.redecide(entry, settings);
    }
    expect(store.takeTally()).toEqual({ checked: 1, failed: 0, covered: 0, rules: {} });
  });

  it('keeps what it counted when every element is forgotten (a rescan)', () => {
    const { store, el } = tracked(['a'], [porn]);
    expect(store.takeTally().covered).toBe(1);
    store.clear();
    const entry = store.track(el, ['a']);
    if (!entry) throw new Error('not tracked');
    store.answer(el, entry, 0, porn);
    store.redecide(entry, settings);
    expect(store.takeTally().covered).toBe(0);
  });
});
