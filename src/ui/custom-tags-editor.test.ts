import { describe, expect, it } from 'vitest';
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
});
