import { describe, expect, it } from 'vitest';
import { pickVideoTimes, segmentStart, segmentUrl, VIDEO_SEGMENT_S, VIDEO_STEP_S } from './video-times';

describe('pickVideoTimes', () => {
  it.each([
    [0, 0, [0]],
    [Number.NaN, 0, [0]],
    [1, 0, [0, 0.95]],
    [0.04, 0, [0, 0.02]],
    [6, 0, [0, 2, 4, 5.95]],
    [6.05, 0, [0, 2, 4, 6]],
    [10, 6, [6, 8, 9.95]],
    [10, 12, []],
    [Number.POSITIVE_INFINITY, 0, Array.from({ length: 60 }, (_, i) => i * 2)],
  ])('%d s from %d s: %j', (duration, from, expected) => {
    expect(pickVideoTimes(duration, from)).toEqual(expected);
  });

  it('covers a long video segment by segment, never more than a step apart, 60 frames per segment at most', () => {
    for (const duration of [119, 120, 121, 250.5, 3600]) {
      const all: number[] = [];
      for (let from = 0; from < duration; from += VIDEO_SEGMENT_S) {
        const times = pickVideoTimes(duration, from);
        expect(times.length).toBeLessThanOrEqual(VIDEO_SEGMENT_S / VIDEO_STEP_S + 1);
        expect(times.every((t) => t >= from && t <= from + VIDEO_SEGMENT_S)).toBe(true);
        all.push(...times);
      }
      expect(all[0]).toBe(0);
      expect(new Set(all).size).toBe(all.length);
      const gaps = all.slice(1).map((t, i) => t - (all[i] as number));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(VIDEO_STEP_S + 1e-9);
      expect(duration - (all.at(-1) as number)).toBeLessThan(VIDEO_STEP_S);
    }
  });
});

describe('segment URLs', () => {
  it('names later segments by a fragment and reads it back', () => {
    expect(segmentUrl('https://cdn.test/a.mp4', 0)).toBe('https://cdn.test/a.mp4');
    expect(segmentUrl('https://cdn.test/a.mp4', 240)).toBe('https://cdn.test/a.mp4#megane-from=240');
    expect(segmentStart('https://cdn.test/a.mp4#megane-from=240')).toBe(240);
    expect(segmentStart('https://cdn.test/a.mp4')).toBe(0);
    expect(segmentStart('https://cdn.test/a.mp4#t=240')).toBe(0);
  });

  it("drops a fragment the page wrote, so a page cannot name a later segment as the file's start", () => {
    expect(segmentUrl('https://cdn.test/a.mp4#megane-from=120', 0)).toBe('https://cdn.test/a.mp4');
    expect(segmentUrl('https://cdn.test/a.mp4#megane-from=120', 240)).toBe('https://cdn.test/a.mp4#megane-from=240');
    expect(segmentUrl('https://cdn.test/a.mp4#t=30', 0)).toBe('https://cdn.test/a.mp4');
  });
});
