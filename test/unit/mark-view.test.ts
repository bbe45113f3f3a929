import { describe, expect, it } from 'vitest';
import { emptyMarks } from '../../src/marks/apply-mark';
import type { MarkRecord, Marks } from '../../src/marks/mark-types';
import {
  addableTags,
  datasetFileName,
  formatMegabytes,
  markChips,
  marksKey,
  matchesFilter,
  newestFirst,
  pageHost,
  tagsIn,
  type MarkFilter,
} from '../../src/ui/mark-view';
import { accuracyText, personalTagStatus } from '../../src/ui/personal-tag-view';

const marks = (patch: Partial<Marks>): Marks => ({ ...emptyMarks(), ...patch });
const rec = (url: string, m: Partial<Marks>, updatedAt = 0) => ({ url, updatedAt, marks: marks(m) }) as MarkRecord;

describe('marksKey and markChips', () => {
  it.each([
    [{}, '', []],
    [{ like: true }, 'like', ['Liked']],
    [{ dislike: true, verdict: 'hide', tags: ['megane'] }, 'dislike,hide,tag:megane', ['Disliked', 'Hide', 'Glasses (megane)']],
    [{ verdict: 'show', tags: ['comic', 'cat'] }, 'show,tag:comic,tag:cat', ['Show', 'Comic', 'Cat']],
  ] as [Partial<Marks>, string, string[]][])('%j -> %j', (m, key, labels) => {
    expect(marksKey(marks(m))).toBe(key);
    expect(markChips(marks(m)).map((c) => c.label)).toEqual(labels);
  });

  it('offers every tag but the rating and the ones already there', () => {
    const offered = addableTags(marks({ tags: ['megane'] }));
    expect(offered).not.toContain('like');
    expect(offered).not.toContain('dislike');
    expect(offered).not.toContain('megane');
    expect(offered).toContain('comic');
  });
});

describe('matchesFilter', () => {
  const r = rec('u', { like: true, verdict: 'hide', tags: ['cat'] });
  it.each([
    ['all', null, true],
    ['liked', null, true],
    ['disliked', null, false],
    ['should-be-hidden', null, true],
    ['should-be-shown', null, false],
    ['all', 'cat', true],
    ['liked', 'dog', false],
  ] as [MarkFilter, 'cat' | 'dog' | null, boolean][])('%s, tag %s -> %s', (filter, tag, expected) => {
    expect(matchesFilter(r, filter, tag)).toBe(expected);
  });
});

describe('lists', () => {
  it('sorts newest first, equal times by URL', () => {
    expect(newestFirst([rec('b', {}, 1), rec('c', {}, 5), rec('a', {}, 1)]).map((x) => x.url)).toEqual(['c', 'a', 'b']);
  });

  it('finds the tags in use, in vocabulary order', () => {
    expect(tagsIn([rec('a', { tags: ['cat'] }), rec('b', { tags: ['megane', 'cat'] })])).toEqual(['megane', 'cat']);
  });
});

describe('words and names', () => {
  it.each([
    ['https://www.example.com/a?b', 'www.example.com'],
    ['http://localhost:8080/', 'localhost:8080'],
    ['not a url', 'not a url'],
  ])('pageHost(%j) = %j', (url, host) => expect(pageHost(url)).toBe(host));

  it.each([
    [0, '0 MB'],
    [1, '0.1 MB'],
    [2_345_678, '2.3 MB'],
    [1_000_000_000, '1000.0 MB'],
  ])('formatMegabytes(%d) = %j', (bytes, text) => expect(formatMegabytes(bytes)).toBe(text));

  it('dates the dataset file by the local calendar day', () => {
    expect(datasetFileName(new Date(2026, 0, 5, 23, 59))).toBe('megane-dataset-2026-01-05.zip');
  });
});

describe('personalTagStatus', () => {
  const summary = (patch: object) => ({ positives: 9, negatives: 9, heldOutAccuracy: null, trusted: false, trained: false, ...patch });
  it.each([
    [{ positives: 2, negatives: 7 }, undefined, 'Not enough examples: needs at least 5 positive and 5 negative (has 2 / 7)'],
    [{ positives: 5, negatives: 5 }, undefined, 'Enough examples: learned at the next training'],
    [
      { positives: 9, negatives: 9 },
      summary({ trained: true, trusted: true, heldOutAccuracy: 0.876 }),
      'Learned — 88% right on held-out images',
    ],
    [
      { positives: 9, negatives: 9 },
      summary({ trained: true, reason: 'only 2 held-out images' }),
      'Learned, but not reliable yet: only 2 held-out images',
    ],
    [
      { positives: 3, negatives: 9 },
      summary({ reason: 'needs more' }),
      'Not enough examples: needs at least 5 positive and 5 negative (has 3 / 9)',
    ],
  ])('%j with %j', (count, s, text) => {
    expect(personalTagStatus(count, s)).toBe(text);
  });

  it('shows accuracy only when it was measured', () => {
    expect(accuracyText(undefined)).toBe('—');
    expect(accuracyText(summary({ heldOutAccuracy: null }))).toBe('—');
    expect(accuracyText(summary({ heldOutAccuracy: 0.5 }))).toBe('50%');
  });
});
