// The verdict for one image, from its raw scores and the user's settings. Pure, so a threshold change
// re-applies on every open page without running the model again. Labels are in the user's language.
import { i18n } from '#i18n';
import type { Verdict } from '../marks/mark-types';
import type { ClassifyResult } from '../messaging/content-background';
import { nsfwScore, type ImageScores } from '../model/scores';
import type { Settings } from '../settings/schema';
import { percent } from '../util/percent';
import type { CoverRule } from '../stats/daily-stats';
import { matchingTags } from '../tags/tag-rules';
import { tagLabel, type AnyTagId } from '../tags/vocabulary';

/** What a person sees on the image. */
export type Display =
  /** Waiting for a verdict: covered, no label. */
  | { state: 'pending' }
  /** Checked and fine: shown. */
  | { state: 'safe'; score: number }
  /** Covered with a label; one click reveals. */
  | { state: 'nsfw'; score: number; label: string }
  /**
   * Covered because of a tag the user hides ("Hidden: food 91%"), `by` the strongest of them, or
   * because the user said to hide it (`by` 'you'); one click reveals.
   */
  | { state: 'hidden'; label: string; by: AnyTagId | 'you' }
  /** Could not be checked and the policy is to keep it covered; one click reveals. */
  | { state: 'error'; label: string; error: string }
  /** Could not be checked and the policy is to show it. */
  | { state: 'error-shown'; error: string }
  /** The user clicked to reveal it on this page. */
  | { state: 'revealed' };

export type DisplayState = Display['state'];

/**
 * The one definition of what each state does to the image: whether it is covered, and whether it is
 * covered by a verdict (labelled, counted as covered, one click reveals) rather than still waiting.
 * The cover stylesheet, the click handler, the mark controls and the tab counts all read this table;
 * a new state does not compile until it says what it does.
 */
const STATE_RULES: Record<DisplayState, { covered: boolean; byVerdict: boolean }> = {
  pending: { covered: true, byVerdict: false },
  safe: { covered: false, byVerdict: false },
  nsfw: { covered: true, byVerdict: true },
  hidden: { covered: true, byVerdict: true },
  error: { covered: true, byVerdict: true },
  'error-shown': { covered: false, byVerdict: false },
  revealed: { covered: false, byVerdict: false },
};

const ALL_STATES = Object.keys(STATE_RULES) as DisplayState[];

/** Whether the image is covered in this state (waiting for a verdict, or covered by one). */
export function isCoveredState(state: DisplayState): boolean {
  return STATE_RULES[state].covered;
}

/** Whether a verdict covers the image in this state: it carries a label, and one click reveals it. */
export function isCoveredByVerdict(state: DisplayState): boolean {
  return STATE_RULES[state].byVerdict;
}

/** States in which the image is visible. */
export const VISIBLE_STATES: readonly DisplayState[] = ALL_STATES.filter((s) => !isCoveredState(s));
/** States in which the image is covered. */
export const COVERED_STATES: readonly DisplayState[] = ALL_STATES.filter(isCoveredState);

/** The label on an image the user said should be hidden. */
export const hiddenByYou = (): string => i18n.t('page.hiddenByYou');

/**
 * An element may show several images (CSS background layers): it is only as safe as its least safe
 * image, and it is unchecked while any of them is unchecked. The user's own verdict on the image
 * overrides the scores, and holds even before (or without) them.
 */
export function decide(
  results: readonly (ClassifyResult | undefined)[],
  settings: Pick<Settings, 'nsfwThreshold' | 'onError' | 'tags'> & Partial<Pick<Settings, 'customTags' | 'tagSources'>>,
  revealed = false,
  verdict: Verdict | null = null,
): Display {
  if (revealed) return { state: 'revealed' };
  if (verdict === 'hide') return { state: 'hidden', label: hiddenByYou(), by: 'you' };
  if (verdict === 'show') {
    const best = results.find((r) => r?.ok);
    return { state: 'safe', score: best?.ok ? nsfwScore(best.scores.classes) : 0 };
  }
  if (results.length === 0 || results.some((r) => r === undefined)) return { state: 'pending' };
  const failure = results.find((r): r is Extract<ClassifyResult, { ok: false }> => r !== undefined && !r.ok);
  let worst = 0;
  for (const r of results) if (r?.ok) worst = Math.max(worst, nsfwOf(r.scores, settings));
  if (worst >= settings.nsfwThreshold) return { state: 'nsfw', score: worst, label: i18n.t('page.nsfw', [percent(worst)]) };
  const tags = new Map<AnyTagId, number>();
  for (const r of results) {
    if (!r?.ok) continue;
    for (const { id, score } of matchingTags(r.scores, settings)) tags.set(id, Math.max(score, tags.get(id) ?? 0));
  }
  if (tags.size > 0) {
    const strongest = [...tags].sort((a, b) => b[1] - a[1]);
    const named = strongest.map(([id, score]) => `${tagLabel(id, settings.customTags).toLowerCase()} ${percent(score)}`);
    const by = strongest[0]?.[0] ?? 'you';
    return { state: 'hidden', label: i18n.t('page.hiddenByTags', [named.join(i18n.t('page.listSeparator'))]), by };
  }
  if (failure) {
    return settings.onError === 'show'
      ? { state: 'error-shown', error: failure.error }
      : { state: 'error', error: failure.error, label: i18n.t('page.couldNotCheck') };
  }
  return { state: 'safe', score: worst };
}

/**
 * The rule that covers the image in this display, for the statistics: the NSFW threshold counts as the
 * `nsfw` tag's rule. Null when no verdict covers it.
 */
export function coverRuleOf(display: Display): CoverRule | null {
  switch (display.state) {
    case 'nsfw':
      return 'nsfw';
    case 'hidden':
      return display.by;
    case 'error':
      return 'unchecked';
    default:
      return null;
  }
}

/** The NSFW score: the NSFW model's, or the trained model's when the user chose it for `nsfw`. */
export function nsfwOf(scores: ImageScores, settings: Partial<Pick<Settings, 'tagSources'>>): number {
  const trained = scores.trained?.tags.nsfw;
  return settings.tagSources?.nsfw === 'trained' && trained !== undefined ? trained : nsfwScore(scores.classes);
}
