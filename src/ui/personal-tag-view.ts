// What the options page says about one personal tag, in plain words, from the examples the marks give
// now and what the last training found. Pure.
import { i18n } from '#i18n';
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
      return i18n.t('options.personal.learned', [percent(summary.heldOutAccuracy)]);
    }
    return i18n.t('options.personal.unreliable', [summary.reason ?? i18n.t('options.personal.notCheckedEnough')]);
  }
  const { positives, negatives } = count;
  if (positives < MIN_EXAMPLES_PER_CLASS || negatives < MIN_EXAMPLES_PER_CLASS) {
    return i18n.t('options.personal.notEnough', [MIN_EXAMPLES_PER_CLASS, positives, negatives]);
  }
  return i18n.t('options.personal.enough');
}

/** Held-out accuracy as "88%", or "—" when it was not measured. */
export function accuracyText(summary: PersonalTagSummary | undefined): string {
  return summary?.heldOutAccuracy === null || summary?.heldOutAccuracy === undefined ? '—' : percent(summary.heldOutAccuracy);
}
