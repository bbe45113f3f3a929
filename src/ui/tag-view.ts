// What the tag controls show and what they write, as pure functions so they are tested without a DOM.
import { i18n } from '#i18n';
import type { ModelState, ModelStatus, PersonalTagSummary } from '../messaging/background-offscreen';
import type { Settings, TagRule, TagDecider } from '../settings/schema';
import { TAGS, customTagSpec, type AnyTagId, type AnyTagSpec, type CustomTag, type Detector, type TagGroup } from '../tags/vocabulary';
import { trainedDecides } from '../tags/tag-rules';
import { percent } from '../util/percent';

export type TagRules = Settings['tags'];

/** The groups in the order the lists show them. */
export const TAG_GROUPS: readonly { group: TagGroup; heading: () => string }[] = [
  { group: 'content', heading: () => i18n.t('tagList.groupContent') },
  { group: 'people', heading: () => i18n.t('tagList.groupPeople') },
  { group: 'animals-food', heading: () => i18n.t('tagList.groupAnimalsFood') },
  { group: 'personal', heading: () => i18n.t('tagList.groupPersonal') },
];

/** A group's tags in vocabulary order; the user's own tags close the personal group. */
export function tagsInGroup(group: TagGroup, customTags: readonly CustomTag[] = []): AnyTagSpec[] {
  return [...TAGS.filter((t) => t.group === group), ...(group === 'personal' ? customTags.map(customTagSpec) : [])];
}

/** A tag id usable in element ids and CSS selectors ("user:rainbows" -> "user-rainbows"). */
export function domId(id: AnyTagId): string {
  return id.replace(/[^a-z0-9_-]/gi, '-');
}

/**
 * Which score a tag's rule reads, by the rule effectiveTags applies to scores (trainedDecides): the
 * trained model's when the user chose it or when Megane has none (a feedback tag the personal model
 * has not learned), Megane's otherwise; 'none' when nothing scores the tag yet, so its rule could
 * hide nothing.
 */
export function tagScorer(
  spec: AnyTagSpec,
  personal: PersonalTagSummary | undefined,
  trainedTags: readonly string[],
  tagSources: Partial<Record<string, TagDecider>> = {},
): 'builtin' | 'trained' | 'none' {
  // Megane scores every tag but the feedback ones the personal model has not learned.
  const megane = spec.source !== 'feedback' || personal?.trained === true;
  if (trainedTags.includes(spec.id) && trainedDecides(spec.id, megane, { tagSources })) return 'trained';
  return megane ? 'builtin' : 'none';
}

/**
 * Why a tag's row is different or costs more: shown under its name. Null when there is nothing to say.
 * `personal` is what the last training of the personal model found for a feedback tag.
 */
export function tagNote(spec: AnyTagSpec, personal?: PersonalTagSummary, detectorsOn = true): string | null {
  if (spec.detectorThreshold !== undefined) {
    if (!detectorsOn) return i18n.t(spec.head ? 'tagList.headOnly' : 'tagList.needsDetector');
    const runs = detectorNote(spec);
    return runs !== null && spec.head ? i18n.t('tagList.drawingsToo', [runs]) : runs;
  }
  return detectorNote(spec) ?? learnedNote(spec, personal);
}

/** What a detector tag runs; null for the other sources. */
function detectorNote(spec: AnyTagSpec): string | null {
  switch (spec.source) {
    case 'face-detector':
      return i18n.t('tagList.runsFaceDetector');
    case 'gender-model':
      return i18n.t('tagList.runsGenderModel');
    case 'object-detector':
      return i18n.t('tagList.runsObjectDetector');
    default:
      return null;
  }
}

/** A feedback tag's state in the personal model; null for the other sources. */
function learnedNote(spec: AnyTagSpec, personal?: PersonalTagSummary): string | null {
  switch (spec.source) {
    case 'feedback':
      if (!personal?.trained) return i18n.t('tagList.learnsFromFeedback');
      return personal.trusted && personal.heldOutAccuracy !== null
        ? i18n.t('tagList.learnedTrusted', [percent(personal.heldOutAccuracy)])
        : i18n.t('tagList.learnedUntrusted');
    default:
      return null;
  }
}

/** The tag's rule, or the "hides nothing" rule a tag without one has. */
export function tagRule(tags: TagRules, id: AnyTagId): TagRule {
  return tags[id] ?? { hide: false };
}

/** The threshold control's caption: 0.4 -> "≥ 40%". */
export function tagThresholdText(threshold: number): string {
  return `≥ ${percent(threshold)}`;
}

/**
 * The tag rules with `id`'s rule replaced. A threshold equal to the tag's default is dropped, and so
 * is a rule that then says nothing (hide off, default threshold), to keep the stored settings small.
 * `nsfw` never gets a rule: the NSFW slider governs it.
 */
export function withTagRule(tags: TagRules, spec: AnyTagSpec, rule: TagRule): TagRules {
  const { [spec.id]: _old, ...rest } = tags;
  if (spec.id === 'nsfw') return rest;
  const custom = rule.threshold !== undefined && rule.threshold !== spec.defaultThreshold;
  if (!rule.hide && !custom) return rest;
  return { ...rest, [spec.id]: custom ? { hide: rule.hide, threshold: rule.threshold } : { hide: rule.hide } };
}

/** How many tags are set to hide (nsfw has no rule, so it is never counted). */
/** The tags, the user's own included, whose rule hides something, in list order; NSFW (the slider's) left out. */
export function hidingTags(tags: TagRules, customTags: readonly CustomTag[] = []): AnyTagSpec[] {
  return TAG_GROUPS.flatMap(({ group }) => tagsInGroup(group, customTags)).filter((t) => t.id !== 'nsfw' && tags[t.id]?.hide === true);
}

/** A detector's name for people. */
export function detectorName(detector: Detector): string {
  return detector === 'faces' ? i18n.t('tagList.faceDetector') : i18n.t('tagList.objectDetector');
}

/** A detector's state, or null when the background did not say (an older worker, or no answer yet). */
export function detectorStatus(status: ModelStatus | null, detector: Detector): { state: ModelState; error?: string } | null {
  // The popup checks the status' shape loosely (use-popup-status.ts), so `detectors` may be missing.
  const detectors: Partial<ModelStatus['detectors']> | undefined = status?.detectors;
  return detectors?.[detector] ?? null;
}

/** Starts with the state's own words, like modelStateText. */
export function detectorStateText(detector: { state: ModelState; error?: string } | null): string {
  if (detector === null) return i18n.t('common.state.unknown');
  switch (detector.state) {
    case 'idle':
      return i18n.t('common.state.notLoaded');
    case 'loading':
      return i18n.t('common.state.loading');
    case 'ready':
      return i18n.t('common.state.ready');
    case 'failed':
      return detector.error ? i18n.t('common.state.failedWith', [detector.error]) : i18n.t('common.state.failed');
  }
}
