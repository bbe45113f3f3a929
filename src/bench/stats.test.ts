import { describe, expect, it } from 'vitest';
import { compareScores, mean, median } from './stats';

describe('median and mean', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('median(%j) = %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('refuses empty input', () => {
    expect(() => median([])).toThrow();
    expect(() => mean([])).toThrow();
  });
});

describe('compareScores', () => {
  // Drawing, Hentai, Neutral, Porn, Sexy
  const pairs = [
    { image: 'a.jpg', ours: [0.5, 0.1, 0.3, 0.05, 0.05], reference: [0.5, 0.1, 0.3, 0.05, 0.05] },
    { image: 'b.jpg', ours: [0.1, 0.1, 0.5, 0.2, 0.1], reference: [0.2, 0.1, 0.6, 0.0, 0.1] },
  ];

  it('reports mean and max |Δ| of the NSFW score and of each class, and the worst image', () => {
    const row = compareScores('high', pairs);
    expect(row.nsfw.mean).toBeCloseTo(0.1);
    expect(row.nsfw.max).toBeCloseTo(0.2);
    expect(row.classes.Porn.max).toBeCloseTo(0.2);
    expect(row.classes.Hentai).toEqual({ mean: 0, max: 0 });
    expect(row.worstImage).toBe('b.jpg');
  });

  it('names no worst image when nothing differs', () => {
    expect(compareScores('control', pairs.slice(0, 1)).worstImage).toBe('');
  });
});
