// Which tags hide an image under the user's settings, and which detectors those rules need. Pure.
import type { ImageScores } from '../model/scores';
import type { Settings } from '../settings/schema';
import { TAGS, detectorFor, isTagId, tagSpec, type AnyTagId, type Detector } from './vocabulary';

/**
 * The tag rules, the user's own tags (a rule for a user tag that was removed hides nothing), and which
 * source decides a tag both Megane and an imported trained model score.
 */
export type TagSettings = Pick<Settings, 'tags'> & Partial<Pick<Settings, 'customTags' | 'tagSources' | 'useDetectors'>>;

/**
 * The scores the rules read: Megane's own, with the trained model's for the tags Megane does not score
 * and for those the user set to 'trained'. Pure, so changing the source re-applies without inference.
 */
export function effectiveTags(scores: ImageScores, settings: Pick<TagSettings, 'tagSources'>): ImageScores['tags'] {
  if (!scores.trained) return scores.tags;
  const merged = { ...scores.tags };
  for (const [id, score] of Object.entries(scores.trained.tags) as [AnyTagId, number][]) {
    if (trainedDecides(id, merged[id] !== undefined, settings)) merged[id] = score;
  }
  return merged;
}

/** For a tag the trained model scores: whether its score decides (Megane has none, or the user chose it). */
export function trainedDecides(id: AnyTagId, megane: boolean, settings: Pick<TagSettings, 'tagSources'>): boolean {
  return !megane || settings.tagSources?.[id] === 'trained';
}

/** A user tag's default threshold (they are learned like the vocabulary's personal tags). */
const CUSTOM_DEFAULT_THRESHOLD = 0.5;

/** The threshold a tag hides at: the user's, else the tag's default. */
export function tagThreshold(id: AnyTagId, settings: TagSettings): number {
  return settings.tags[id]?.threshold ?? (isTagId(id) ? tagSpec(id).defaultThreshold : CUSTOM_DEFAULT_THRESHOLD);
}

/** The tags set to hide (`nsfw` is not among them: the NSFW slider governs it), user tags last. */
export function hiddenTagIds(settings: TagSettings): AnyTagId[] {
  return [
    ...TAGS.filter((t) => t.id !== 'nsfw' && settings.tags[t.id]?.hide === true).map((t) => t.id),
    ...(settings.customTags ?? []).filter((t) => settings.tags[t.id]?.hide === true).map((t) => t.id),
  ];
}

/**
 * The detectors the enabled tag rules need, in a stable order. Empty when only NSFW is on, and when the
 * user turned detectors off (the heads then score those tags alone).
 */
export function neededDetectors(settings: TagSettings): Detector[] {
  if (settings.useDetectors === false) return [];
  const needed = new Set<Detector>();
  for (const id of hiddenTagIds(settings)) {
    const detector = isTagId(id) ? detectorFor(tagSpec(id).source) : null;
    if (detector) needed.add(detector);
  }
  return [...needed].sort();
}

/**
 * Whether a tag set to hide is learned from the user's marks (a feedback tag or the user's own), so
 * a newly trained personal model can change what a page shows.
 */
export function hidesLearnedTags(settings: TagSettings): boolean {
  return hiddenTagIds(settings).some((id) => !isTagId(id) || tagSpec(id).source === 'feedback');
}

/** The hidden tags that match these scores, strongest first. */
export function matchingTags(scores: ImageScores, settings: TagSettings): { id: AnyTagId; score: number }[] {
  const tags = effectiveTags(scores, settings);
  return hiddenTagIds(settings)
    .map((id) => ({ id, score: tags[id] }))
    .filter((t): t is { id: AnyTagId; score: number } => t.score !== undefined && t.score >= tagThreshold(t.id, settings))
    .sort((a, b) => b.score - a.score);
}

/** The strongest scored tags, for the hover display. */
export function topTags(scores: ImageScores, count = 3, settings: Pick<TagSettings, 'tagSources'> = {}): { id: AnyTagId; score: number }[] {
  return (Object.entries(effectiveTags(scores, settings)) as [AnyTagId, number][])
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, count);
}
