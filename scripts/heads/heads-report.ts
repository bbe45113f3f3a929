// The heads' published operating points: precision and recall on the held-out split of the training
// images (split by file series, never by image) at several thresholds, drawings and photos apart, as
// train-heads.ts records them in public/heads/<model>.json. Rendered into docs/tags.md by
// scripts/docs-tables.ts.
import type { OperatingPoint } from './operating-points';

interface Counts {
  train: number;
  trainYes: number;
  heldOut: number;
  heldOutYes: number;
}

export interface HeadsJson {
  modelId: string;
  trainedOn?: {
    date?: string;
    seed?: string;
    labelled?: Record<string, Counts>;
    heldOutPoints?: Record<string, { drawing: OperatingPoint[]; photo: OperatingPoint[]; all: OperatingPoint[] }>;
    /** Heads trained but not shipped, and why. */
    notShipped?: Record<string, string>;
  };
}

const pct = (v: number | null) => (v === null ? '–' : `${Math.round(100 * v)}%`);

function pointsCell(points: readonly OperatingPoint[]): string {
  const first = points[0];
  if (first === undefined) return '–';
  const yes = first.tp + first.fn;
  const no = first.fp + first.tn;
  return `${points.map((p) => `${pct(p.precision)}/${pct(p.recall)}`).join(' · ')} (${yes}+${no})`;
}

export function formatHeadsReport(heads: HeadsJson): string {
  const points = heads.trainedOn?.heldOutPoints ?? {};
  const labelled = heads.trainedOn?.labelled ?? {};
  const notShipped = heads.trainedOn?.notShipped ?? {};
  const thresholds = Object.values(points)[0]?.all.map((p) => p.threshold) ?? [];
  return [
    `Held-out operating points of the heads for ${heads.modelId} (trained ${heads.trainedOn?.date ?? '?'}, seed ${heads.trainedOn?.seed ?? '?'}): precision/recall at thresholds ${thresholds.join(', ')}; in brackets the held-out images with the tag + without. "All held out" also counts the Tux Paint stamps that may be either. The held-out split is a fifth of the file series, chosen by a seeded hash, so variants of one picture never straddle it.`,
    '',
    '| head | trained on (with the tag) | drawings | photos | all held out |',
    '|---|---|---|---|---|',
    ...Object.entries(points).map(([tag, p]) => {
      const name = notShipped[tag] === undefined ? tag : `${tag} (not shipped: ${notShipped[tag]})`;
      return `| ${name} | ${labelled[tag]?.train ?? '?'} (${labelled[tag]?.trainYes ?? '?'}) | ${pointsCell(p.drawing)} | ${pointsCell(p.photo)} | ${pointsCell(p.all)} |`;
    }),
  ].join('\n');
}
