import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from './schema';
import { STRICTNESS, strictnessOf } from './strictness';

describe('strictnessOf', () => {
  it.each([
    [0.9, 'relaxed'],
    [0.7, 'balanced'],
    [0.4, 'strict'],
    [0.55, null],
    [0, null],
    [1, null],
  ] as const)('%s → %s', (threshold, expected) => expect(strictnessOf(threshold)).toBe(expected));

  it('Balanced is the default threshold, and stricter presets cover more (a lower threshold)', () => {
    expect(strictnessOf(DEFAULT_SETTINGS.nsfwThreshold)).toBe('balanced');
    expect(STRICTNESS.relaxed.nsfwThreshold).toBeGreaterThan(STRICTNESS.balanced.nsfwThreshold);
    expect(STRICTNESS.balanced.nsfwThreshold).toBeGreaterThan(STRICTNESS.strict.nsfwThreshold);
  });
});
