// Which tags hide an image under the user's settings, and which detectors those rules need. Pure.
import type { ImageScores } from '../model/scores';
import type { Settings } from '../settings/schema';
import { TAGS, detectorFor, tagSpec, type Detector, type TagId } from './vocabulary';

export type TagSettings = Pick<Settings, 'tags'>;

/** The threshold a tag hides at: the user's, else the tag's default. */
export function tagThreshold(id: TagId, settings: TagSettings): number {
  return settings.tags[id]?.threshold ?? tagSpec(id).defaultThreshold;
}

/** The tags set to hide (`nsfw` is not among them: the NSFW slider governs it). */
export function hiddenTagIds(settings: TagSettings): TagId[] {
  return TAGS.filter((t) => t.id !== 'nsfw' && settings.tags[t.id]?.hide === true).map((t) => t.id);
}

/** The detectors the enabled tag rules need, in a stable order. Empty when only NSFW is on. */
export function neededDetectors(settings: TagSettings): Detector[] {
  const needed = new Set<Detector>();
  for (const id of hiddenTagIds(settings)) {
    const detector = detectorFor(tagSpec(id).source);
    if (detector) needed.add(detector);
  }
  return [...needed].sort();
}

/** The hidden tags that match these scores, strongest first. */
export function matchingTags(scores: ImageScores, settings: TagSettings): { id: TagId; score: number }[] {
  return hiddenTagIds(settings)
    .map((id) => ({ id, score: scores.tags[id] }))
    .filter((t): t is { id: TagId; score: number } => t.score !== undefined && t.score >= tagThreshold(t.id, settings))
    .sort((a, b) => b.score - a.score);
}

/** The strongest scored tags, for the hover display. */
export function topTags(scores: ImageScores, count = 3): { id: TagId; score: number }[] {
  return (Object.entries(scores.tags) as [TagId, number][])
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, count);
}
