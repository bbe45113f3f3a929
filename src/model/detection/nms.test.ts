import { describe, expect, it } from 'vitest';
import { area, iou, nmsOptionProblems, nonMaxSuppression, type NmsOptions, type Rect } from './nms';

const box = (left: number, top: number, right: number, bottom: number): Rect => ({ left, top, right, bottom });

describe('area and iou', () => {
  it.each([
    ['unit square', box(0, 0, 1, 1), 1],
    ['2 x 3', box(1, 1, 3, 4), 6],
    ['empty', box(1, 1, 1, 5), 0],
    ['inverted', box(2, 2, 1, 1), 0],
  ])('area of %s', (_label, b, expected) => {
    expect(area(b)).toBeCloseTo(expected, 12);
  });

  it.each([
    ['identical', box(0, 0, 2, 2), box(0, 0, 2, 2), 1],
    ['disjoint', box(0, 0, 1, 1), box(2, 2, 3, 3), 0],
    ['touching edges', box(0, 0, 1, 1), box(1, 0, 2, 1), 0],
    ['half overlap', box(0, 0, 2, 1), box(1, 0, 3, 1), 1 / 3],
    ['contained', box(0, 0, 4, 4), box(1, 1, 3, 3), 4 / 16],
    ['corner overlap', box(0, 0, 2, 2), box(1, 1, 3, 3), 1 / 7],
    ['empty box', box(0, 0, 0, 0), box(0, 0, 1, 1), 0],
    ['fractions', box(0.1, 0.1, 0.5, 0.5), box(0.3, 0.1, 0.7, 0.5), 0.08 / 0.24],
  ])('iou %s', (_label, a, b, expected) => {
    expect(iou(a, b)).toBeCloseTo(expected, 10);
    expect(iou(b, a)).toBeCloseTo(expected, 10);
  });
});

describe('nonMaxSuppression', () => {
  const opts = (o: Partial<NmsOptions> = {}): NmsOptions => ({ iouThreshold: 0.3, maxBoxes: 10, ...o });
  // Two faces, each found by several overlapping anchors (what BlazeFace returns), plus a far-off box.
  const faceA = [box(10, 10, 50, 50), box(12, 11, 52, 51), box(8, 9, 48, 49)];
  const faceB = [box(100, 10, 140, 50), box(102, 12, 142, 52)];
  const far = box(300, 300, 310, 310);

  const cases: Array<[string, Rect[], number[], NmsOptions, number[]]> = [
    ['empty input', [], [], opts(), []],
    ['one box', [faceA[0] as Rect], [0.9], opts(), [0]],
    ['merges overlapping boxes into the best one', faceA, [0.7, 0.9, 0.8], opts(), [1]],
    ['keeps separate objects, best first', [...faceA, ...faceB, far], [0.7, 0.9, 0.8, 0.85, 0.6, 0.5], opts(), [1, 3, 5]],
    ['maxBoxes cuts the list', [...faceA, ...faceB, far], [0.7, 0.9, 0.8, 0.85, 0.6, 0.5], opts({ maxBoxes: 2 }), [1, 3]],
    ['maxBoxes 0 keeps nothing', [far], [0.9], opts({ maxBoxes: 0 }), []],
    ['scoreThreshold drops weak boxes (inclusive)', [...faceB, far], [0.85, 0.6, 0.5], opts({ scoreThreshold: 0.5 }), [0, 2]],
    ['scoreThreshold above every score', [...faceB, far], [0.85, 0.6, 0.5], opts({ scoreThreshold: 0.9 }), []],
    ['iouThreshold 1 keeps overlapping boxes', faceA, [0.7, 0.9, 0.8], opts({ iouThreshold: 1 }), [1, 2, 0]],
    ['iouThreshold 0 drops any overlap', [box(0, 0, 2, 2), box(1.9, 1.9, 4, 4)], [0.9, 0.8], opts({ iouThreshold: 0 }), [0]],
    ['identical boxes keep only one', [far, far, far], [0.5, 0.5, 0.5], opts(), [0]],
    ['ties keep input order', [far, box(0, 0, 1, 1)], [0.5, 0.5], opts(), [0, 1]],
    ['NaN scores are never kept', [far, box(0, 0, 1, 1)], [Number.NaN, 0.1], opts(), [1]],
    // A suppressed box does not suppress others: C overlaps B (suppressed by A) but not A.
    [
      'suppression is greedy against kept boxes only',
      [box(0, 0, 10, 10), box(5, 0, 15, 10), box(10, 0, 20, 10)],
      [0.9, 0.8, 0.7],
      opts(),
      [0, 2],
    ],
  ];
  it.each(cases)('%s', (_label, boxes, scores, options, expected) => {
    expect(nonMaxSuppression(boxes, scores, options)).toEqual(expected);
  });

  it('accepts typed arrays of scores', () => {
    expect(nonMaxSuppression(faceA, new Float32Array([0.2, 0.3, 0.1]), opts())).toEqual([1]);
  });

  it.each([
    [{ iouThreshold: 1.5, maxBoxes: 1 }, /iouThreshold/],
    [{ iouThreshold: Number.NaN, maxBoxes: 1 }, /iouThreshold/],
    [{ iouThreshold: 0.5, maxBoxes: -1 }, /maxBoxes/],
    [{ iouThreshold: 0.5, maxBoxes: 2.5 }, /maxBoxes/],
    [{ iouThreshold: 0.5, maxBoxes: 1, scoreThreshold: Number.NaN }, /scoreThreshold/],
  ] as Array<[NmsOptions, RegExp]>)('rejects bad options %j', (options, problem) => {
    expect(nmsOptionProblems(options).join('; ')).toMatch(problem);
    expect(() => nonMaxSuppression([far], [1], options)).toThrow(problem);
  });

  it('rejects boxes and scores of different lengths', () => {
    expect(() => nonMaxSuppression([far], [1, 2], opts())).toThrow(/1 boxes but 2 scores/);
  });
});
