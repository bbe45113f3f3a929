import { describe, expect, it } from 'vitest';
import { checkPriority } from './check-priority';

describe('checkPriority', () => {
  it.each([
    [0, true, 0],
    [1, true, 1],
    [2, true, 2],
    [undefined, true, 1],
    [0, false, 3],
    [1, false, 4],
    [2, false, 5],
    [undefined, false, 4],
  ] as const)('place %s in an active tab: %s → %i', (place, active, expected) => {
    expect(checkPriority(place, active)).toBe(expected);
  });

  it("puts another tab's images in view behind the active tab's far ones", () => {
    expect(checkPriority(0, false)).toBeGreaterThan(checkPriority(2, true));
  });
});
