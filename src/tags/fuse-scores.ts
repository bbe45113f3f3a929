// One score per tag from an embedding head and a detector (issue 13). The head (a few KB of weights on
// the NSFW model's embedding, scored on every image, shipped only where it is precise enough: face and
// food for now) finds drawings the photo-trained detectors miss; the detector, when a rule made it
// run, is more precise on photos. Each
// source keeps its own operating point: the head is calibrated so 0.5 is its own (train-heads.ts), and
// the detector's raw score is mapped piecewise-linearly so its measured threshold lands on 0.5 too. The
// fused score is the stronger of the two, so either source alone can hide an image at the default, and
// an image neither finds stays below it. Pure.
import { TAGS, type TagId } from './vocabulary';

/** The score both sources' operating points are mapped to (the fused tags' default threshold). */
export const FUSED_THRESHOLD = 0.5;

/**
 * A detector score on the fused scale: `detectorThreshold` maps to FUSED_THRESHOLD, 0 to 0 and 1 to 1,
 * linearly in between, so the order of scores is kept and the detector's own decisions are unchanged.
 */
export function onFusedScale(score: number, detectorThreshold: number): number {
  const s = Math.min(1, Math.max(0, score));
  if (s >= detectorThreshold) return FUSED_THRESHOLD + ((1 - FUSED_THRESHOLD) * (s - detectorThreshold)) / (1 - detectorThreshold);
  return (FUSED_THRESHOLD * s) / detectorThreshold;
}

/** Detector tags (with a head or not) and the detector threshold each maps onto the fused scale. */
const FUSED: ReadonlyMap<TagId, number> = new Map(
  TAGS.flatMap((t) => (t.detectorThreshold !== undefined ? [[t.id, t.detectorThreshold] as const] : [])),
);

/**
 * The scores after a detector ran: for each tag it scored, the stronger of the head's score (in
 * `withHeads`, when the model has one for the tag) and the detector's on the fused scale; a detector
 * tag without a head gets the detector's score on the fused scale. Returns a new object; `withHeads` is not changed.
 */
export function fuseDetectorScores(
  withHeads: Readonly<Partial<Record<string, number>>>,
  detector: Readonly<Partial<Record<TagId, number>>>,
): Partial<Record<string, number>> {
  const fused: Partial<Record<string, number>> = { ...withHeads };
  for (const [id, raw] of Object.entries(detector) as Array<[TagId, number | undefined]>) {
    if (raw === undefined) continue;
    const threshold = FUSED.get(id);
    if (threshold === undefined) {
      fused[id] = raw;
      continue;
    }
    const mapped = onFusedScale(raw, threshold);
    const head = withHeads[id];
    fused[id] = head === undefined ? mapped : Math.max(head, mapped);
  }
  return fused;
}
