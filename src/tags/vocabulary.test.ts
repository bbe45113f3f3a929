import { describe, expect, it } from 'vitest';
import { customTagId, isAnyTagId, isCustomTagId, tagLabel } from './vocabulary';

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
