// Precision and recall of a score against yes/no labels: at a threshold, and the best recall a
// threshold reaches while keeping a precision. Used to choose the heads' calibration, to publish the
// operating points and by the tests that check them. Pure.

export interface Counts {
  /** Labelled yes and scored at or above the threshold. */
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface OperatingPoint extends Counts {
  threshold: number;
  /** tp / (tp + fp); null when nothing scored at or above the threshold. */
  precision: number | null;
  /** tp / (tp + fn); null when nothing is labelled yes. */
  recall: number | null;
}

/** Counts at `threshold` (a score at or above it says yes). */
export function countsAt(scores: readonly number[], labels: readonly boolean[], threshold: number): Counts {
  const c: Counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  scores.forEach((score, i) => {
    const yes = score >= threshold;
    if (labels[i]) yes ? c.tp++ : c.fn++;
    else yes ? c.fp++ : c.tn++;
  });
  return c;
}

export function operatingPoint(scores: readonly number[], labels: readonly boolean[], threshold: number): OperatingPoint {
  const c = countsAt(scores, labels, threshold);
  return {
    threshold,
    ...c,
    precision: c.tp + c.fp === 0 ? null : c.tp / (c.tp + c.fp),
    recall: c.tp + c.fn === 0 ? null : c.tp / (c.tp + c.fn),
  };
}

/**
 * The lowest threshold (among the scores themselves) at which precision is at least `precision`, with
 * its recall: the most an operating point keeps while being that precise. Null when no threshold is.
 */
export function bestAtPrecision(scores: readonly number[], labels: readonly boolean[], precision: number): OperatingPoint | null {
  const candidates = [...new Set(scores)].sort((a, b) => a - b);
  for (const threshold of candidates) {
    const point = operatingPoint(scores, labels, threshold);
    if (point.precision !== null && point.precision >= precision) return point;
  }
  return null;
}

/** The recall at the lowest threshold that is at least `precision` precise (0 when none is). */
export function recallAtPrecision(scores: readonly number[], labels: readonly boolean[], precision: number): number {
  return bestAtPrecision(scores, labels, precision)?.recall ?? 0;
}
