import { describe, expect, it } from 'vitest';
import { restoreTo } from './state-guard';

describe('restoreTo', () => {
  it.each([
    // [Megane wrote, now, before, put back to]
    ['hidden', 'safe', 'hidden', 'hidden'], // copied from a shown image
    ['hidden', null, 'hidden', 'hidden'], // removed
    ['hidden', 'revealed', 'hidden', 'hidden'],
    ['hidden', 'anything', 'hidden', 'hidden'], // an unknown value covers nothing
    ['safe', null, 'safe', 'safe'], // a morph dropped it
    ['skip', null, 'skip', 'skip'],
    ['hidden', 'hidden', 'safe', undefined], // Megane's own write
    ['safe', 'pending', 'safe', undefined], // adding cover is allowed (precover does)
    ['safe', 'hidden', 'safe', undefined],
    [undefined, 'pending', null, undefined], // precover marked it
    [undefined, null, 'pending', 'pending'], // precover's mark removed
    [undefined, 'safe', 'pending', 'pending'],
    [undefined, 'safe', null, null], // never decided: it shows only what it showed before
    [undefined, 'skip', null, null],
    [undefined, null, null, undefined],
    [undefined, 'safe', 'added', 'pending'], // a clone or morph carrying a copied state
    [undefined, 'hidden', 'added', undefined],
    [undefined, null, 'added', undefined],
    ['hidden', 'safe', 'added', 'hidden'], // Megane's element moved, its attribute changed on the way
  ] as const)('wrote %s, now %s, before %s: %s', (wrote, now, before, expected) => {
    expect(restoreTo(wrote, now, before)).toBe(expected);
  });
});
