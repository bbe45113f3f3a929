// What the options page says about one personal tag, in plain words, from the examples the marks give
// now and what the last training found. Pure.
import type { PersonalTagSummary } from '../messaging/background-offscreen';
import { percent } from '../util/percent';

/**
 * Fewest positive and negative examples a tag needs to be learned. The trainer's own default
 * (PERSONAL_DEFAULTS.minPerClass in src/personal/train-personal.ts), repeated here so the options page
 * does not load tfjs just to read a number.
 */
export const MIN_EXAMPLES_PER_CLASS = 5;

export interface ExampleCount {
  positives: number;
  negatives: number;
}

export function personalTagStatus(count: ExampleCount, summary: PersonalTagSummary | undefined): string {
  if (summary?.trained) {
    if (summary.trusted && summary.heldOutAccuracy !== null) {
      return `Learned — ${percent(summary.heldOutAccuracy)} right on held-out images`;
    }
    return `Learned, but not reliable yet: ${summary.reason ?? 'not checked on enough held-out images'}`;
  }
  const { positives, negatives } = count;
  if (positives < MIN_EXAMPLES_PER_CLASS || negatives < MIN_EXAMPLES_PER_CLASS) {
    return `Not enough examples: needs at least ${MIN_EXAMPLES_PER_CLASS} positive and ${MIN_EXAMPLES_PER_CLASS} negative (has ${positives} / ${negatives})`;
  }
  return 'Enough examples: learned at the next training';
}

/** Held-out accuracy as "88%", or "—" when it was not measured. */
export function accuracyText(summary: PersonalTagSummary | undefined): string {
  return summary?.heldOutAccuracy === null || summary?.heldOutAccuracy === undefined ? '—' : percent(summary.heldOutAccuracy);
}
