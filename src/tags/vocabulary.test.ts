import { describe, expect, it } from 'vitest';
import {
  MAX_CUSTOM_TAGS,
  MAX_TAG_LABEL,
  customTagId,
  isAnyTagId,
  isCustomTagId,
  readCustomTag,
  tagLabel,
  withCustomTags,
  type CustomTag,
} from './vocabulary';

describe("the user's own tags", () => {
  it.each([
    ['Rainbows', 'user:rainbows'],
    ['  Red  cars! ', 'user:red_cars'],
    ['Café au lait', 'user:cafe_au_lait'],
    ['a'.repeat(50), `user:${'a'.repeat(32)}`],
    ['眼鏡', expect.stringMatching(/^user:t[0-9a-f]{8}$/)],
    ['', null],
    ['   ', null],
  ])('%j gets the id %j', (label, id) => {
    expect(customTagId(label)).toEqual(id);
  });

  it('gives different non-Latin names different ids', () => {
    expect(customTagId('眼鏡')).not.toBe(customTagId('猫耳'));
  });

  it.each([
    ['user:rainbows', true],
    ['user:', false],
    ['user:Rainbows', false],
    ['rainbows', false],
    ['cat', false],
    [42, false],
  ])('%j is a user tag id: %s', (id, valid) => {
    expect(isCustomTagId(id)).toBe(valid);
  });

  it('knows vocabulary and user ids, and names both', () => {
    expect(isAnyTagId('cat')).toBe(true);
    expect(isAnyTagId('user:x')).toBe(true);
    expect(isAnyTagId('unicorn')).toBe(false);
    expect(tagLabel('cat')).toBe('Cat');
    expect(tagLabel('user:x', [{ id: 'user:x', label: 'Ex' }])).toBe('Ex');
    expect(tagLabel('user:gone')).toBe('gone');
  });
});

describe('withCustomTags', () => {
  const tag = (n: number): CustomTag => ({ id: `user:t${n}`, label: `T${n}` });
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => tag(from + i));
  it.each([
    ['nothing to add', [tag(1)], [], [tag(1)], 0],
    ['new ones go at the end', [tag(1)], [tag(2), tag(3)], [tag(1), tag(2), tag(3)], 0],
    [
      "one the user has keeps the user's name",
      [{ id: 'user:t1', label: 'Mine' }],
      [tag(1), tag(2)],
      [{ id: 'user:t1', label: 'Mine' }, tag(2)],
      0,
    ],
    ['a repeated incoming tag is added once', [], [tag(1), { id: 'user:t1', label: 'Again' }], [tag(1)], 0],
    [
      'no room beyond the limit',
      range(0, MAX_CUSTOM_TAGS - 1),
      [tag(100), tag(101), tag(102)],
      [...range(0, MAX_CUSTOM_TAGS - 1), tag(100)],
      2,
    ],
  ] as const)('%s', (_name, current, incoming, expected, dropped) => {
    expect(withCustomTags(current, incoming)).toEqual({ customTags: expected, dropped });
  });
});

describe('readCustomTag', () => {
  it.each<[string, unknown, CustomTag | null]>([
    ['a user tag', { id: 'user:cats', label: 'Cats' }, { id: 'user:cats', label: 'Cats' }],
    ['its label trimmed', { id: 'user:cats', label: '  Cats ' }, { id: 'user:cats', label: 'Cats' }],
    ['a long label cut', { id: 'user:x', label: 'x'.repeat(50) }, { id: 'user:x', label: 'x'.repeat(MAX_TAG_LABEL) }],
    ['other fields dropped', { id: 'user:x', label: 'X', extra: 1 }, { id: 'user:x', label: 'X' }],
    ['a vocabulary id', { id: 'photo', label: 'Photo' }, null],
    ['a blank label', { id: 'user:x', label: '  ' }, null],
    ['no label', { id: 'user:x' }, null],
    ['not an object', 'user:x', null],
    ['an array', ['user:x', 'X'], null],
  ])('reads %s', (_what, value, tag) => {
    expect(readCustomTag(value)).toEqual(tag);
  });
});
