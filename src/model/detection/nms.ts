// Greedy non-maximum suppression over plain arrays: what tf.image.nonMaxSuppression does, without
// tensors, so a detector can decode and suppress in one pass over data it already read back, and the
// rule is table-tested on its own. Generic: any boxes with any unit, as long as all share it.

/** An axis-aligned box; the unit (pixels or 0..1 fractions) is the caller's. */
export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface NmsOptions {
  /** A box is dropped when its IoU with an already kept box is above this (0..1). */
  iouThreshold: number;
  /** Keep at most this many boxes. */
  maxBoxes: number;
  /** Boxes scoring below this are never kept (default: keep every finite score). */
  scoreThreshold?: number;
}

/** Area of a box; 0 for an empty or inverted box. */
export function area(box: Rect): number {
  return Math.max(0, box.right - box.left) * Math.max(0, box.bottom - box.top);
}

/** Intersection over union of two boxes, 0..1 (0 when either is empty). */
export function iou(a: Rect, b: Rect): number {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  if (!(w > 0 && h > 0)) return 0;
  const inter = w * h;
  const union = area(a) + area(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** Problems with NMS options, [] when usable. */
export function nmsOptionProblems(options: NmsOptions): string[] {
  const problems: string[] = [];
  const { iouThreshold, maxBoxes, scoreThreshold } = options;
  if (!(iouThreshold >= 0 && iouThreshold <= 1)) problems.push(`iouThreshold must be in 0..1, got ${iouThreshold}`);
  if (!Number.isInteger(maxBoxes) || maxBoxes < 0) problems.push(`maxBoxes must be a non-negative integer, got ${maxBoxes}`);
  if (scoreThreshold !== undefined && Number.isNaN(scoreThreshold)) problems.push('scoreThreshold is NaN');
  return problems;
}

/**
 * Indices of the boxes to keep, best score first. Greedy: take the best remaining box, drop every box
 * overlapping it by more than `iouThreshold`, repeat until `maxBoxes` are kept. Ties keep input order.
 * Boxes with a NaN score or a score below `scoreThreshold` are never kept.
 */
export function nonMaxSuppression(boxes: readonly Rect[], scores: ArrayLike<number>, options: NmsOptions): number[] {
  const problems = nmsOptionProblems(options);
  if (problems.length > 0) throw new Error(`bad NMS options: ${problems.join('; ')}`);
  if (boxes.length !== scores.length) throw new Error(`${boxes.length} boxes but ${scores.length} scores`);
  const { iouThreshold, maxBoxes } = options;
  const minScore = options.scoreThreshold ?? Number.NEGATIVE_INFINITY;
  const candidates: number[] = [];
  for (let i = 0; i < boxes.length; i++) {
    const s = scores[i] ?? Number.NaN;
    if (!Number.isNaN(s) && s >= minScore) candidates.push(i);
  }
  // Stable: equal scores keep input order.
  candidates.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  const kept: number[] = [];
  for (const i of candidates) {
    if (kept.length >= maxBoxes) break;
    const box = boxes[i] as Rect;
    if (kept.every((k) => iou(boxes[k] as Rect, box) <= iouThreshold)) kept.push(i);
  }
  return kept;
}
