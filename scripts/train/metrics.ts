// Per-tag quality on a validation split: precision and recall at a threshold, and average precision over
// all thresholds. Pure functions on plain arrays (scores are probabilities 0..1, labels 0 or 1).
import type { MeganeTagMetrics } from '../../src/train/megane-model';

export interface Confusion {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

/** Counts at `threshold` (a score >= threshold is a predicted positive). */
export function confusion(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): Confusion {
  checkLengths(scores, labels);
  const c: Confusion = { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 };
  for (let i = 0; i < scores.length; i++) {
    const predicted = (scores[i] as number) >= threshold;
    const positive = labels[i] === 1;
    if (predicted && positive) c.truePositives++;
    else if (predicted) c.falsePositives++;
    else if (positive) c.falseNegatives++;
    else c.trueNegatives++;
  }
  return c;
}

/** TP / (TP + FP); null when nothing is predicted positive. */
export function precision(c: Confusion): number | null {
  const predicted = c.truePositives + c.falsePositives;
  return predicted === 0 ? null : c.truePositives / predicted;
}

/** TP / (TP + FN); null when there are no positives. */
export function recall(c: Confusion): number | null {
  const positives = c.truePositives + c.falseNegatives;
  return positives === 0 ? null : c.truePositives / positives;
}

/**
 * Average precision: the area under the precision-recall curve as a step function,
 * sum over thresholds of (recall_i - recall_{i-1}) * precision_i, with the thresholds at every distinct
 * score (tied scores enter together). 1 when every positive scores above every negative. null when there
 * are no positives. The same definition as scikit-learn's average_precision_score.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  checkLengths(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  if (positives === 0) return null;
  let ap = 0;
  let tp = 0;
  let seen = 0;
  let lastRecall = 0;
  for (let i = 0; i < order.length; ) {
    const score = scores[order[i] as number] as number;
    // Take every example with this score at once.
    for (; i < order.length && scores[order[i] as number] === score; i++) {
      seen++;
      if (labels[order[i] as number] === 1) tp++;
    }
    const r = tp / positives;
    ap += (r - lastRecall) * (tp / seen);
    lastRecall = r;
  }
  return ap;
}

/**
 * Metrics per tag for `probabilities` [n][k] against `labels` [n][k] of 1, 0 or null (unknown: that
 * example is left out for that tag). Returns one entry per tag, in `tags` order.
 */
export function tagMetrics(
  tags: readonly string[],
  probabilities: ReadonlyArray<ArrayLike<number>>,
  labels: ReadonlyArray<ReadonlyArray<0 | 1 | null>>,
  threshold = 0.5,
): Record<string, MeganeTagMetrics> {
  if (probabilities.length !== labels.length) {
    throw new Error(`tagMetrics: ${probabilities.length} rows of scores but ${labels.length} rows of labels`);
  }
  const out: Record<string, MeganeTagMetrics> = {};
  tags.forEach((tag, j) => {
    const s: number[] = [];
    const l: number[] = [];
    probabilities.forEach((row, i) => {
      const label = labels[i]?.[j];
      if (label === undefined || row.length !== tags.length) {
        throw new Error(`tagMetrics: row ${i} does not have ${tags.length} scores and labels`);
      }
      if (label === null) return;
      s.push(row[j] as number);
      l.push(label);
    });
    const c = confusion(s, l, threshold);
    out[tag] = {
      precision: precision(c),
      recall: recall(c),
      averagePrecision: averagePrecision(s, l),
      positives: c.truePositives + c.falseNegatives,
      negatives: c.falsePositives + c.trueNegatives,
    };
  });
  return out;
}

function checkLengths(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) throw new Error(`metrics: ${scores.length} scores but ${labels.length} labels`);
}
