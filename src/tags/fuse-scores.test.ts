import { describe, expect, it } from 'vitest';
import { FUSED_THRESHOLD, fuseDetectorScores, onFusedScale } from './fuse-scores';
import { TAGS } from './vocabulary';

describe('onFusedScale', () => {
  it.each([
    [0, 0.35, 0],
    [0.35, 0.35, 0.5],
    [0.175, 0.35, 0.25],
    [1, 0.35, 1],
    [0.675, 0.35, 0.75],
    [0.7, 0.7, 0.5],
    [0.85, 0.7, 0.75],
    [1.2, 0.7, 1],
    [-0.1, 0.7, 0],
  ])('detector %f with threshold %f -> %f', (score, threshold, expected) => {
    expect(onFusedScale(score, threshold)).toBeCloseTo(expected, 10);
  });

  it('keeps the order of scores and the detector decision at its own threshold', () => {
    const scores = [0, 0.1, 0.29, 0.3, 0.31, 0.6, 0.99, 1];
    const mapped = scores.map((s) => onFusedScale(s, 0.3));
    expect([...mapped].sort((a, b) => a - b)).toEqual(mapped);
    expect(scores.map((s) => s >= 0.3)).toEqual(mapped.map((m) => m >= FUSED_THRESHOLD));
  });
});

describe('fuseDetectorScores', () => {
  it.each<[string, Record<string, number>, Record<string, number>, Record<string, number>]>([
    [
      'a drawn cat: the head finds it, the detector does not',
      { cat: 0.9, photo: 0.1 },
      { cat: 0, dog: 0, food: 0 },
      { cat: 0.9, dog: 0, food: 0, photo: 0.1 },
    ],
    ['a photographed cat the head is unsure of: the detector decides', { cat: 0.3 }, { cat: 0.35 }, { cat: 0.5 }],
    ['neither finds it: stays below the default', { dog: 0.2 }, { dog: 0.3 }, { dog: 0.4285714285714286 }],
    ['no head (a model without heads): the detector on the fused scale', {}, { food: 0.3, face: 0.7 }, { food: 0.5, face: 0.5 }],
    ['other tags are kept as they were', { nsfw: 0.8, girl: 0.6 }, { face: 0.85 }, { nsfw: 0.8, girl: 0.6, face: 0.75 }],
  ])('%s', (_name, heads, detector, expected) => {
    const before = { ...heads };
    const fused = fuseDetectorScores(heads, detector);
    expect(Object.keys(fused).sort()).toEqual(Object.keys(expected).sort());
    for (const [id, value] of Object.entries(expected)) expect(fused[id]).toBeCloseTo(value, 10);
    expect(heads).toEqual(before);
  });

  it('fuses exactly the detector tags, with their default at the fused threshold', () => {
    const fused = TAGS.filter((t) => t.detectorThreshold !== undefined);
    expect(fused.map((t) => t.id)).toEqual(['face', 'girl', 'boy', 'cat', 'dog', 'food']);
    expect(fused.every((t) => t.defaultThreshold === FUSED_THRESHOLD)).toBe(true);
  });
});
