// Both locales say everything: the same message names, each with the same substitutions ($1…$9 and
// {named}) and plural forms, and no empty text.
import { describe, expect, it } from 'vitest';
import { loadLocale, lookUp } from '../setup/locale-messages';

const [en, ja] = await Promise.all([loadLocale('en'), loadLocale('ja')]);

/** The substitutions a message uses, sorted: positional and named. */
const slots = (text: string) => [...new Set(text.match(/\$[1-9]|\{\w+\}/g) ?? [])].sort();

describe('locales', () => {
  it('have the same message names', () => {
    expect(
      [...ja.keys()].filter((name) => !en.has(name)),
      'in ja only',
    ).toEqual([]);
    expect(
      [...en.keys()].filter((name) => !ja.has(name)),
      'missing in ja',
    ).toEqual([]);
  });

  it.each([...en.keys()])('%s: same substitutions in en and ja, none empty', (name) => {
    const english = en.get(name) ?? '';
    const japanese = ja.get(name) ?? '';
    expect(english.trim()).not.toBe('');
    expect(japanese.trim()).not.toBe('');
    expect(slots(japanese.split(' | ').join(' ')), japanese).toEqual(slots(english.split(' | ').join(' ')));
  });
});

describe('lookUp (the fake browser answers like Chrome)', () => {
  const messages = new Map([['a_b', 'Hello $1, $2 and $$3']]);
  it.each([
    ['a_b', ['x', 'y'], 'Hello x, y and $3'],
    ['a_b', 'x', 'Hello x,  and $3'],
    ['missing', undefined, ''],
  ] as const)('%s %j', (name, subs, expected) => {
    expect(lookUp(messages, name, subs as string | string[] | undefined)).toBe(expected);
  });
});
