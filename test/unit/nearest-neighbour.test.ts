import { describe, expect, it } from 'vitest';
import { nearestNeighbourHits, standardiseColumns } from '../../scripts/heads/nearest-neighbour';

describe('standardiseColumns', () => {
  it.each([
    {
      rows: [
        [1, 5],
        [3, 5],
      ],
      want: [
        [-1, 0],
        [1, 0],
      ],
    },
    { rows: [[0], [0], [3]], want: [[-Math.SQRT1_2], [-Math.SQRT1_2], [Math.SQRT2]] },
  ])('$rows', ({ rows, want }) => {
    standardiseColumns(rows).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i]?.[j] ?? Number.NaN, 10)));
  });
});

describe('nearestNeighbourHits', () => {
  // Two clusters in direction, as cosine sees them (after standardising): around (1, 0) and (0, 1).
  const clusters = [
    [10, 0.1],
    [9, 0.2],
    [11, -0.1],
    [0.1, 10],
    [0.2, 9],
    [-0.1, 11],
  ];
  it.each([
    // chance: each of p positives' neighbour is one of the other 5 rows, p - 1 of them positive.
    {
      name: 'a tag that is one cluster: every positive finds another',
      labels: [true, true, true, false, false, false],
      want: { hits: 3, positives: 3, chance: 1.2 },
    },
    {
      name: 'a tag across both clusters, one per cluster: none does',
      labels: [true, false, false, true, false, false],
      want: { hits: 0, positives: 2, chance: 0.4 },
    },
    { name: 'no positives', labels: [false, false, false, false, false, false], want: { hits: 0, positives: 0, chance: 0 } },
  ])('$name', ({ labels, want }) => {
    expect(nearestNeighbourHits(clusters, labels)).toEqual(want);
  });

  it('a pair finds each other, a tag split across the pairs finds neither', () => {
    const pairs = [
      [10, 0],
      [10, 0.1],
      [0, 10],
      [0.1, 10],
    ];
    expect(nearestNeighbourHits(pairs, [true, true, false, false]).hits).toBe(2);
    expect(nearestNeighbourHits(pairs, [true, false, true, false]).hits).toBe(0);
  });

  it('refuses misaligned or too few rows', () => {
    expect(() => nearestNeighbourHits([[1], [2]], [true])).toThrow('2 rows but 1 labels');
    expect(() => nearestNeighbourHits([[1]], [true])).toThrow('at least two rows');
    expect(() => nearestNeighbourHits([[1], [Number.NaN]], [true, false])).toThrow('row 1 has a value that is not a finite number');
  });
});
