import { describe, expect, it } from 'vitest';
import { chooseBatchSize, measureBatchSizes } from './batch-tuning';

describe('chooseBatchSize', () => {
  it.each([
    [
      'a GPU that gains all the way',
      [
        [1, 10],
        [4, 4],
        [8, 2.5],
        [16, 1.6],
        [32, 1.2],
      ],
      32,
    ],
    [
      'a GPU that stops gaining at 16',
      [
        [1, 10],
        [4, 4],
        [8, 2.5],
        [16, 1.6],
        [32, 1.7],
      ],
      16,
    ],
    [
      'a gain within the noise keeps the smaller size',
      [
        [1, 10],
        [4, 9.5],
      ],
      1,
    ],
    [
      'a software renderer that gains nothing',
      [
        [1, 50],
        [4, 55],
      ],
      1,
    ],
    ['nothing measured', [], 1],
    [
      'a broken timing is skipped',
      [
        [1, 10],
        [4, Number.NaN],
        [8, 0],
      ],
      1,
    ],
  ] as const)('%s → %i', (_label, rows, expected) => {
    expect(chooseBatchSize(rows.map(([size, msPerImage]) => ({ size, msPerImage })))).toBe(expected);
  });
});

describe('measureBatchSizes', () => {
  /** A fake device: `cost(n)` ms per predict of n images, on a clock the runs advance. */
  function device(cost: (n: number) => number) {
    let clock = 0;
    const calls: number[] = [];
    return {
      calls,
      now: () => clock,
      run: async (n: number) => {
        calls.push(n);
        clock += cost(n);
      },
    };
  }

  it('warms up once, then times each size up to the cap', async () => {
    const d = device((n) => 20 + 2 * n);
    const timings = await measureBatchSizes(d.run, { maxSize: 16, budgetMs: 10_000, now: d.now });
    expect(d.calls).toEqual([1, 1, 4, 8, 16]);
    expect(timings).toEqual([
      { size: 1, msPerImage: 22 },
      { size: 4, msPerImage: 7 },
      { size: 8, msPerImage: 4.5 },
      { size: 16, msPerImage: 3.25 },
    ]);
  });

  it('stops at the first size that is slower per image than the one before', async () => {
    const d = device((n) => (n <= 4 ? 10 + 5 * n : 40 * n));
    const timings = await measureBatchSizes(d.run, { maxSize: 32, budgetMs: 10_000, now: d.now });
    expect(timings.map((t) => t.size)).toEqual([1, 4, 8]);
    expect(chooseBatchSize(timings)).toBe(4);
  });

  it('stops when the budget is spent (a slow software renderer)', async () => {
    const d = device((n) => 1_000 * n);
    const timings = await measureBatchSizes(d.run, { maxSize: 32, budgetMs: 3_000, now: d.now });
    expect(timings.map((t) => t.size)).toEqual([1, 4]);
  });
});
