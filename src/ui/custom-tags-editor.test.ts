import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { loadLocale, lookUp } from '../../test/setup/locale-messages';
import { newCustomTag } from './custom-tags-editor';

const mine = [{ id: 'user:rainbows' as const, label: 'Rainbows' }];

describe('newCustomTag', () => {
  it.each([
    ['a new name', 'Red cars', [], { tag: { id: 'user:red_cars', label: 'Red cars' } }],
    ['a name with spaces around', '  Trains ', [], { tag: { id: 'user:trains', label: 'Trains' } }],
    ['a blank name', '   ', [], { error: 'Give the tag a name.' }],
    ['a vocabulary label', 'cat', [], { error: '"cat" is already a Megane tag.' }],
    ['a vocabulary id', 'school_uniform', [], { error: '"school_uniform" is already a Megane tag.' }],
    ['a name the user has', 'rainbows', mine, { error: 'You already have a tag "rainbows".' }],
    ['a name too long', 'x'.repeat(41), [], { error: 'Keep the name under 41 characters.' }],
  ] as const)('%s', (_name, label, existing, expected) => {
    expect(newCustomTag(label, existing)).toEqual(expected);
  });

  it('refuses a 21st tag', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => ({ id: `user:t${i}` as const, label: `T${i}` }));
    expect(newCustomTag('One more', twenty)).toEqual({ error: 'You can have at most 20 tags of your own.' });
  });

  it("refuses a Megane tag's name in the browser's language, and says so in it", async () => {
    const ja = await loadLocale('ja');
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string, subs?: string | string[]) => lookUp(ja, name, subs));
    try {
      expect(newCustomTag('メガネ', [])).toEqual({ error: '「メガネ」はすでに Megane のタグです。' });
      expect(newCustomTag('Glasses (megane)', [])).toEqual({ error: '「Glasses (megane)」はすでに Megane のタグです。' });
    } finally {
      vi.restoreAllMocks();
    }
  });
});
