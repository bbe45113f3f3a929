import { describe, expect, it } from 'vitest';
import { MAX_FRAMES, pickFrames } from './frame-pick';

describe('pickFrames', () => {
  it.each([
    [0, 8, []],
    [1, 8, [0]],
    [3, 8, [0, 1, 2]],
    [8, 8, [0, 1, 2, 3, 4, 5, 6, 7]],
    [9, 8, [0, 1, 2, 3, 5, 6, 7, 8]],
    [12, 8, [0, 2, 3, 5, 6, 8, 9, 11]],
    [100, 8, [0, 14, 28, 42, 57, 71, 85, 99]],
    [100, 2, [0, 99]],
    [100, 1, [0]],
  ])('%i frames, at most %i: %j', (count, max, expected) => {
    expect(pickFrames(count, max)).toEqual(expected);
  });

  it('picks distinct ascending frames, first and last included, never more than the bound', () => {
    for (let count = 2; count < 300; count++) {
      const picked = pickFrames(count);
      expect(picked.length).toBe(Math.min(count, MAX_FRAMES));
      expect(new Set(picked).size).toBe(picked.length);
      expect([...picked].sort((a, b) => a - b)).toEqual(picked);
      expect(picked[0]).toBe(0);
      expect(picked.at(-1)).toBe(count - 1);
    }
  });
});
