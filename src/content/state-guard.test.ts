import { describe, expect, it } from 'vitest';
import { restoreTo } from './state-guard';

describe('restoreTo', () => {
  it.each([
    // [Megane wrote, now, before, put back to]
    ['covered', 'shown', 'covered', 'covered'], // copied from a shown image
    ['covered', null, 'covered', 'covered'], // removed
    ['covered', 'anything', 'covered', 'covered'], // an unknown value covers nothing
    ['shown', null, 'shown', 'shown'], // a morph dropped it
    ['covered', 'covered', 'shown', undefined], // Megane's own write
    ['shown', 'covered', 'shown', undefined], // adding cover is allowed (precover does)
    [undefined, 'covered', null, undefined], // precover marked it
    [undefined, null, 'covered', 'covered'], // precover's mark removed
    [undefined, 'shown', 'covered', 'covered'],
    [undefined, 'shown', null, null], // never decided: it shows only what it showed before
    [undefined, null, null, undefined],
    [undefined, 'shown', 'added', 'covered'], // a clone or morph carrying a copied state
    [undefined, 'covered', 'added', undefined],
    [undefined, null, 'added', undefined],
    ['covered', 'shown', 'added', 'covered'], // Megane's element moved, its attribute changed on the way
  ] as const)('wrote %s, now %s, before %s: %s', (wrote, now, before, expected) => {
    expect(restoreTo(wrote, now, before)).toBe(expected);
  });
});
