import { describe, expect, it } from 'vitest';
import { averagePrecision, confusion, precision, recall, tagMetrics } from '../../scripts/train/metrics';

describe('confusion, precision and recall at 0.5', () => {
  it.each([
    // scores, labels, [TP, FP, FN, TN], precision, recall
    { scores: [0.9, 0.6, 0.4, 0.1], labels: [1, 0, 1, 0], counts: [1, 1, 1, 1], p: 0.5, r: 0.5 },
    { scores: [0.5, 0.49], labels: [1, 1], counts: [1, 0, 1, 0], p: 1, r: 0.5 }, // 0.5 is a predicted positive
    { scores: [0.2, 0.3], labels: [0, 0], counts: [0, 0, 0, 2], p: null, r: null }, // nothing predicted, no positives
    { scores: [0.8, 0.9], labels: [0, 0], counts: [0, 2, 0, 0], p: 0, r: null },
    { scores: [0.1, 0.2], labels: [1, 1], counts: [0, 0, 2, 0], p: null, r: 0 },
    { scores: [], labels: [], counts: [0, 0, 0, 0], p: null, r: null },
  ])('$scores vs $labels', ({ scores, labels, counts, p, r }) => {
    const c = confusion(scores, labels);
    expect([c.truePositives, c.falsePositives, c.falseNegatives, c.trueNegatives]).toEqual(counts);
    expect(precision(c)).toBe(p);
    expect(recall(c)).toBe(r);
  });

  it('takes another threshold', () => {
    expect(confusion([0.3, 0.2], [1, 0], 0.25).truePositives).toBe(1);
  });
});

describe('averagePrecision (as scikit-learn average_precision_score)', () => {
  it.each([
    { name: 'positives first', scores: [0.9, 0.1], labels: [1, 0], ap: 1 },
    { name: 'negative first', scores: [0.1, 0.9], labels: [1, 0], ap: 0.5 },
    // ranks: + (P 1, R .5), - , + (P 2/3, R 1), -  ->  .5 * 1 + .5 * 2/3
    { name: 'interleaved', scores: [0.9, 0.8, 0.7, 0.6], labels: [1, 0, 1, 0], ap: 5 / 6 },
    // ranks: -, + (P 1/2, R 1/3), + (P 2/3, R 2/3), -, + (P 3/5, R 1)
    { name: 'three positives', scores: [0.95, 0.9, 0.8, 0.7, 0.1], labels: [0, 1, 1, 0, 1], ap: (1 / 3) * (1 / 2 + 2 / 3 + 3 / 5) },
    { name: 'a tie enters at once', scores: [0.5, 0.5], labels: [1, 0], ap: 0.5 },
    { name: 'a tie after a hit', scores: [0.9, 0.5, 0.5], labels: [1, 1, 0], ap: 0.5 * 1 + 0.5 * (2 / 3) },
    { name: 'all positives', scores: [0.2, 0.3], labels: [1, 1], ap: 1 },
    { name: 'order of input does not matter', scores: [0.6, 0.7, 0.8, 0.9], labels: [0, 1, 0, 1], ap: 5 / 6 },
  ])('$name', ({ scores, labels, ap }) => {
    expect(averagePrecision(scores, labels)).toBeCloseTo(ap, 12);
  });

  it('is null without positives', () => {
    expect(averagePrecision([0.4, 0.6], [0, 0])).toBeNull();
    expect(averagePrecision([], [])).toBeNull();
  });

  it('refuses arrays of different lengths', () => {
    expect(() => averagePrecision([0.1], [1, 0])).toThrow(/1 scores but 2 labels/);
  });
});

describe('tagMetrics', () => {
  it('scores each tag on its known labels only', () => {
    const m = tagMetrics(
      ['a', 'b'],
      [
        [0.9, 0.2],
        [0.4, 0.7],
        [0.6, 0.1],
      ],
      [
        [1, null],
        [0, 0],
        [1, 1],
      ],
    );
    expect(m.a).toEqual({ precision: 1, recall: 1, averagePrecision: 1, positives: 2, negatives: 1 });
    // b: 0.7 (label 0) is a false positive, 0.1 (label 1) a false negative; ranks -, + -> AP 1/2
    expect(m.b).toEqual({ precision: 0, recall: 0, averagePrecision: 0.5, positives: 1, negatives: 1 });
  });

  it('gives nulls for a tag with no known labels', () => {
    expect(tagMetrics(['a'], [[0.3]], [[null]]).a).toEqual({
      precision: null,
      recall: null,
      averagePrecision: null,
      positives: 0,
      negatives: 0,
    });
  });

  it('refuses mismatched rows', () => {
    expect(() => tagMetrics(['a', 'b'], [[0.3]], [[1, 0]])).toThrow(/row 0/);
    expect(() => tagMetrics(['a'], [[0.3], [0.4]], [[1]])).toThrow(/2 rows of scores but 1 rows of labels/);
  });
});
