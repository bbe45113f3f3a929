// How well each content tag is found on the labelled test fixtures (test/fixtures: the gallery, tags,
// objects and drawn folders; none is trained on), by the head alone (every image, no detector), by the
// detector alone, and by the fused score that ships when a rule runs the detector. Drawings and photos
// are counted apart. Pure: test/unit/tag-heads-accuracy.test.ts scores the fixtures with the real models,
// compares its measurement with docs/bench/tag-accuracy.json, and the README shows that file's table
// (scripts/docs-tables.ts).
import { CONTENT_TAGS, type ContentTag } from './labels';
import { bestAtPrecision, operatingPoint } from './operating-points';

export const SCORE_RULES = ['head', 'detector', 'fused'] as const;
export type ScoreRule = (typeof SCORE_RULES)[number];
export const KINDS = ['drawing', 'photo'] as const;
export type FixtureKind = (typeof KINDS)[number];

/** The precision the "recall at" figure holds (the issue's bar: 85% recall at 90% precision). */
export const TARGET_PRECISION = 0.9;
/** A kind needs this many images with and without a tag before its figures are judged. */
export const MIN_EACH_SIDE = 3;

export interface ScoredFixture {
  name: string;
  kind: FixtureKind;
  labels: Partial<Record<ContentTag, boolean>>;
  /** Each rule's score per tag (the fused score on the scale the tag's threshold applies to). */
  scores: Record<ScoreRule, Record<ContentTag, number>>;
  /** The NSFW score (src/model/scores.ts): every fixture is safe, so any image over a threshold is a false alarm. */
  nsfw: number;
}

/** NSFW thresholds the false alarms on the (all safe) fixtures are counted at. */
export const NSFW_THRESHOLDS = [0.3, 0.5, 0.7, 0.9];

export interface KindFigures {
  positives: number;
  negatives: number;
  /** At the tag's default threshold. */
  tp: number;
  fp: number;
  precision: number | null;
  recall: number | null;
  /** The best recall at a threshold with at least TARGET_PRECISION precision. */
  recallAtTarget: number;
}

export interface TagAccuracy {
  /** Fixture counts and which images, so a changed set shows in the diff. */
  fixtures: number;
  /** Default threshold per tag and rule (the fused and head scales are the tag's; the detector's its own). */
  thresholds: Record<ContentTag, Record<ScoreRule, number>>;
  figures: Record<ContentTag, Record<ScoreRule, Record<FixtureKind, KindFigures>>>;
  /** Safe fixtures whose NSFW score is at or over each of NSFW_THRESHOLDS, of how many. */
  nsfwFalseAlarms: Record<FixtureKind, { images: number; over: number[] }>;
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

export function measureTagAccuracy(
  fixtures: readonly ScoredFixture[],
  thresholds: Record<ContentTag, Record<ScoreRule, number>>,
): TagAccuracy {
  const figures = {} as TagAccuracy['figures'];
  for (const tag of CONTENT_TAGS) {
    figures[tag] = {} as Record<ScoreRule, Record<FixtureKind, KindFigures>>;
    for (const rule of SCORE_RULES) {
      figures[tag][rule] = {} as Record<FixtureKind, KindFigures>;
      for (const kind of KINDS) {
        const rows = fixtures.filter((f) => f.kind === kind && f.labels[tag] !== undefined);
        const scores = rows.map((f) => f.scores[rule][tag]);
        const labels = rows.map((f) => f.labels[tag] === true);
        const at = operatingPoint(scores, labels, thresholds[tag][rule]);
        figures[tag][rule][kind] = {
          positives: labels.filter(Boolean).length,
          negatives: labels.filter((l) => !l).length,
          tp: at.tp,
          fp: at.fp,
          precision: round(at.precision),
          recall: round(at.recall),
          recallAtTarget: round(bestAtPrecision(scores, labels, TARGET_PRECISION)?.recall ?? 0) ?? 0,
        };
      }
    }
  }
  const nsfwFalseAlarms = Object.fromEntries(
    KINDS.map((kind) => {
      const scores = fixtures.filter((f) => f.kind === kind).map((f) => f.nsfw);
      return [kind, { images: scores.length, over: NSFW_THRESHOLDS.map((t) => scores.filter((s) => s >= t).length) }];
    }),
  ) as TagAccuracy['nsfwFalseAlarms'];
  return { fixtures: fixtures.length, thresholds, figures, nsfwFalseAlarms };
}

/** Whether a kind has enough images on both sides for its figures to be judged. */
export function judged(f: KindFigures): boolean {
  return f.positives >= MIN_EACH_SIDE && f.negatives >= MIN_EACH_SIDE;
}

const pct = (v: number | null) => (v === null ? '–' : `${Math.round(100 * v)}%`);

export function formatTagAccuracy(report: TagAccuracy): string {
  const cell = (f: KindFigures) => `${pct(f.precision)} / ${pct(f.recall)} (${f.positives}+${f.negatives}) · ${pct(f.recallAtTarget)}`;
  const lines = [
    `Measured on ${report.fixtures} labelled test images none of the models was trained on (test/fixtures: gallery, tags, objects, drawn), mobilenet_v2_mid on WASM. Each cell: precision / recall at the default threshold (images with the tag + without), · recall at ${Math.round(100 * TARGET_PRECISION)}% precision. "head": the head alone, on every image at no extra cost; "detector": the detector alone (Megane before the heads); "fused": what Megane uses when a rule runs the detector.`,
    '',
    '| tag | rule | threshold | drawings | photos |',
    '|---|---|---|---|---|',
  ];
  for (const tag of CONTENT_TAGS) {
    for (const rule of SCORE_RULES) {
      const f = report.figures[tag][rule];
      lines.push(`| ${rule === 'head' ? tag : ''} | ${rule} | ${report.thresholds[tag][rule]} | ${cell(f.drawing)} | ${cell(f.photo)} |`);
    }
  }
  const clean = NSFW_THRESHOLDS.find((_, i) => KINDS.every((k) => report.nsfwFalseAlarms[k].over[i] === 0));
  const alarms = (kind: FixtureKind) =>
    `${report.nsfwFalseAlarms[kind].over.map((n, i) => `${n} at ${NSFW_THRESHOLDS[i]}`).join(', ')} (of ${report.nsfwFalseAlarms[kind].images})`;
  lines.push(
    '',
    `**NSFW score.** No explicit images can be used here, so its recall is the model's published figure: nsfwjs reports about 90% accuracy for its small model and 93% for the mid-sized one (the default), on its own test set. The false-alarm side, measured on these safe fixtures: drawings ${alarms('drawing')}; photos ${alarms('photo')}. The lowest of these thresholds with no false alarm on either: ${clean === undefined ? 'none' : `${Math.round(100 * clean)}%`} (the default is 70%).`,
  );
  return lines.join('\n');
}
