// Model outputs are checked before they count: a broken backend (a lost GPU context, a driver bug, a
// model file that loads but computes garbage) gives NaN, zeros or numbers outside 0..1, and
// `NaN >= threshold` is false, so an unchecked NaN would read as safe. Pure, so every rule is
// table-tested; the model host turns a problem into "couldn't check" and resets the backend.
import { NSFW_CLASSES } from './catalog';

/** How far the five softmax classes may sum from 1: float32 rounding stays well under 1e-4. */
export const CLASS_SUM_TOLERANCE = 0.01;

/** Why a score is unusable, or null: it must be a finite number in 0..1. */
export function unitScoreProblem(name: string, value: unknown): string | null {
  if (typeof value !== 'number') return `${name} is missing`;
  if (!Number.isFinite(value)) return `${name} is ${String(value)}`;
  if (value < 0 || value > 1) return `${name} is ${value}, outside 0..1`;
  return null;
}

/** The NSFW classes: five probabilities in NSFW_CLASSES order that sum to about 1. */
export function classesProblem(classes: readonly unknown[]): string | null {
  if (classes.length !== NSFW_CLASSES.length) return `${classes.length} NSFW classes, expected ${NSFW_CLASSES.length}`;
  for (const [i, name] of NSFW_CLASSES.entries()) {
    const problem = unitScoreProblem(name, classes[i]);
    if (problem) return problem;
  }
  const sum = (classes as number[]).reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > CLASS_SUM_TOLERANCE) return `the NSFW classes sum to ${sum.toFixed(4)}, not 1`;
  return null;
}

/**
 * Tag scores (heads, detectors, the personal and the trained model): each in 0..1, and every tag in
 * `expected` present (a model that answers with fewer outputs than it names must not score 0 for them).
 */
export function tagsProblem(what: string, tags: Readonly<Record<string, unknown>>, expected: readonly string[] = []): string | null {
  for (const tag of expected) if (!(tag in tags)) return `${what}: ${tag} is missing`;
  for (const [tag, value] of Object.entries(tags)) {
    if (value === undefined && !expected.includes(tag)) continue;
    const problem = unitScoreProblem(`${what}: ${tag}`, value);
    if (problem) return problem;
  }
  return null;
}

/** The embedding feeds the heads and the personal model: every value finite. */
export function embeddingProblem(embedding: readonly unknown[]): string | null {
  const bad = embedding.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  return bad === -1 ? null : `embedding value ${bad} is ${String(embedding[bad])}`;
}

export interface CheckedScores {
  classes: readonly unknown[];
  embedding: readonly unknown[];
  tags: Readonly<Record<string, unknown>>;
  /** The imported trained model's tags and the tags its file names, when it ran. */
  trained?: { tags: Readonly<Record<string, unknown>>; expected: readonly string[] } | null;
}

/** The first thing wrong with one image's (or frame's) scores, or null when they can be trusted. */
export function scoresProblem(scores: CheckedScores): string | null {
  return (
    classesProblem(scores.classes) ??
    embeddingProblem(scores.embedding) ??
    tagsProblem('tag', scores.tags) ??
    (scores.trained ? tagsProblem('trained model', scores.trained.tags, scores.trained.expected) : null)
  );
}
