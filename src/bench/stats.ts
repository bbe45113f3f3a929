// Pure number crunching for the bench: medians and how far two sets of class probabilities differ.
import { NSFW_CLASSES, type NsfwClass } from '../model/catalog';
import { nsfwScore } from '../model/scores';
import type { AgreementRow, DeltaStats } from './result';

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? 0) + hi) / 2;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean of nothing');
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function deltaStats(deltas: readonly number[]): DeltaStats {
  return { mean: mean(deltas), max: Math.max(...deltas) };
}

/** One image's probabilities (NSFW_CLASSES order) by both paths. */
export interface PairedScores {
  image: string;
  ours: readonly number[];
  reference: readonly number[];
}

/** Mean and max |Δ| of the NSFW score and of every class over the pairs. */
export function compareScores(variant: string, pairs: readonly PairedScores[]): AgreementRow {
  if (pairs.length === 0) throw new Error(`no images to compare for ${variant}`);
  const nsfw = pairs.map((p) => Math.abs(nsfwScore(p.ours) - nsfwScore(p.reference)));
  const classes = Object.fromEntries(
    NSFW_CLASSES.map((name, i) => [name, deltaStats(pairs.map((p) => Math.abs((p.ours[i] ?? 0) - (p.reference[i] ?? 0))))]),
  ) as Record<NsfwClass, DeltaStats>;
  const max = Math.max(...nsfw);
  // No worst image when nothing differs (the control row).
  const worstImage = max === 0 ? '' : (pairs[nsfw.indexOf(max)]?.image ?? '');
  return { variant, nsfw: deltaStats(nsfw), classes, worstImage };
}
