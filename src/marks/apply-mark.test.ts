import { describe, expect, it } from 'vitest';
import { applyMark, emptyMarks, isEmpty, sortTags } from './apply-mark';
import type { MarkAction, Marks } from './mark-types';

const marks = (patch: Partial<Marks> = {}): Marks => ({ ...emptyMarks(), ...patch });

describe('applyMark', () => {
  it.each<[string, Marks, MarkAction, Marks]>([
    ['like turns like on', marks(), { kind: 'like' }, marks({ like: true })],
    ['like again turns it off', marks({ like: true }), { kind: 'like' }, marks()],
    ['like clears dislike', marks({ dislike: true }), { kind: 'like' }, marks({ like: true })],
    ['dislike turns dislike on', marks(), { kind: 'dislike' }, marks({ dislike: true })],
    ['dislike again turns it off', marks({ dislike: true }), { kind: 'dislike' }, marks()],
    ['dislike clears like', marks({ like: true }), { kind: 'dislike' }, marks({ dislike: true })],
    ['clear-rating clears both', marks({ like: true, tags: ['cat'] }), { kind: 'clear-rating' }, marks({ tags: ['cat'] })],
    ['clear-rating on nothing', marks(), { kind: 'clear-rating' }, marks()],
    ['verdict hide', marks(), { kind: 'verdict', verdict: 'hide' }, marks({ verdict: 'hide' })],
    ['verdict show replaces hide', marks({ verdict: 'hide' }), { kind: 'verdict', verdict: 'show' }, marks({ verdict: 'show' })],
    ['verdict hide twice stays hide', marks({ verdict: 'hide' }), { kind: 'verdict', verdict: 'hide' }, marks({ verdict: 'hide' })],
    ['verdict null removes it', marks({ verdict: 'show' }), { kind: 'verdict', verdict: null }, marks()],
    ['verdict keeps the rating', marks({ like: true }), { kind: 'verdict', verdict: 'hide' }, marks({ like: true, verdict: 'hide' })],
    ['tag on', marks(), { kind: 'tag', tag: 'cat', on: true }, marks({ tags: ['cat'] })],
    ['tag on twice: no duplicate', marks({ tags: ['cat'] }), { kind: 'tag', tag: 'cat', on: true }, marks({ tags: ['cat'] })],
    ['tags in vocabulary order', marks({ tags: ['food'] }), { kind: 'tag', tag: 'photo', on: true }, marks({ tags: ['photo', 'food'] })],
    ['tag off', marks({ tags: ['photo', 'cat'] }), { kind: 'tag', tag: 'photo', on: false }, marks({ tags: ['cat'] })],
    ['tag off when absent', marks({ tags: ['cat'] }), { kind: 'tag', tag: 'dog', on: false }, marks({ tags: ['cat'] })],
    ['tag like is the like rating', marks({ dislike: true }), { kind: 'tag', tag: 'like', on: true }, marks({ like: true })],
    ['tag like off', marks({ like: true }), { kind: 'tag', tag: 'like', on: false }, marks()],
    ['tag dislike is the dislike rating', marks({ like: true }), { kind: 'tag', tag: 'dislike', on: true }, marks({ dislike: true })],
    ['tag dislike off keeps like', marks({ like: true }), { kind: 'tag', tag: 'dislike', on: false }, marks({ like: true })],
    [
      'repairs unsorted, duplicated input tags',
      marks({ tags: ['food', 'cat', 'food', 'like'] }),
      { kind: 'verdict', verdict: null },
      marks({ tags: ['cat', 'food'] }),
    ],
  ])('%s', (_name, before, action, after) => {
    const copy = structuredClone(before);
    expect(applyMark(before, action)).toEqual(after);
    expect(before).toEqual(copy);
  });
});

describe('isEmpty', () => {
  it.each<[string, Marks, boolean]>([
    ['empty', marks(), true],
    ['liked', marks({ like: true }), false],
    ['disliked', marks({ dislike: true }), false],
    ['verdict', marks({ verdict: 'show' }), false],
    ['tagged', marks({ tags: ['megane'] }), false],
  ])('%s', (_name, m, expected) => {
    expect(isEmpty(m)).toBe(expected);
  });
});

it("sortTags puts the user's own tags after the vocabulary, in id order, once each", () => {
  expect(sortTags(['user:zebra', 'dog', 'user:apple', 'user:zebra', 'megane'])).toEqual(['megane', 'dog', 'user:apple', 'user:zebra']);
  expect(applyMark(marks({ tags: ['cat'] }), { kind: 'tag', tag: 'user:rainbows', on: true }).tags).toEqual(['cat', 'user:rainbows']);
});

it('sortTags follows TAG_IDS and drops the rating tags', () => {
  expect(sortTags(['dog', 'original_art', 'dislike', 'megane', 'dog'])).toEqual(['original_art', 'megane', 'dog']);
});
