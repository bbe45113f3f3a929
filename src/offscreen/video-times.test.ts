import { describe, expect, it } from 'vitest';
import { MAX_VIDEO_FRAMES, pickVideoTimes, VIDEO_STEP_S } from './video-times';

describe('pickVideoTimes', () => {
  it.each([
    [0, 2, 60, [0]],
    [Number.NaN, 2, 60, [0]],
    [1, 2, 60, [0, 0.95]],
    [0.04, 2, 60, [0, 0.02]],
    [6, 2, 60, [0, 2, 4, 5.95]],
    [6.05, 2, 60, [0, 2, 4, 6]],
    [10, 2, 3, [0, 4.975, 9.95]],
    [Number.POSITIVE_INFINITY, 2, 3, [0, 2, 4]],
    [100, 2, 1, [0]],
  ])('%d s, every %d s, at most %d: %j', (duration, step, max, expected) => {
    expect(pickVideoTimes(duration, step, max)).toEqual(expected);
  });

  it('never leaves more than a step unlooked at in a clip it can scan whole, and never passes the bound', () => {
    for (let duration = 0.1; duration < 400; duration += 0.7) {
      const times = pickVideoTimes(duration);
      expect(times.length).toBeLessThanOrEqual(MAX_VIDEO_FRAMES);
      expect(times[0]).toBe(0);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(new Set(times).size).toBe(times.length);
      expect(times.at(-1)).toBeLessThan(duration);
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      if (duration <= VIDEO_STEP_S * (MAX_VIDEO_FRAMES - 1)) expect(Math.max(0, ...gaps)).toBeLessThanOrEqual(VIDEO_STEP_S + 1e-9);
    }
  });
});
