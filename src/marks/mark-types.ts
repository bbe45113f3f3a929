// What the user said about one image, and everything needed to keep it as a training sample after the
// image is gone from the web. Stored in IndexedDB by mark-store.ts, exported by dataset-zip.ts.
import type { ModelId } from '../model/catalog';
import type { AnyTagId, FaceBox } from '../tags/vocabulary';

/** A correction of Megane's decision for one image URL: it should have been hidden, or shown. */
export type Verdict = 'hide' | 'show';

export interface Marks {
  /** Like and dislike exclude each other. */
  like: boolean;
  dislike: boolean;
  verdict: Verdict | null;
  /**
   * Tags the user put on the image: unique, in vocabulary (TAG_IDS) order. Never 'like' or 'dislike':
   * those two vocabulary tags are the booleans above, so there is one place that says it.
   */
  tags: AnyTagId[];
}

export type MarkAction =
  /** Toggles like (and clears dislike when it turns like on). */
  | { kind: 'like' }
  /** Toggles dislike (and clears like when it turns dislike on). */
  | { kind: 'dislike' }
  | { kind: 'clear-rating' }
  /** Sets the verdict; null removes it. */
  | { kind: 'verdict'; verdict: Verdict | null }
  /** Sets or removes one tag. 'like' and 'dislike' set the rating instead. */
  | { kind: 'tag'; tag: AnyTagId; on: boolean };

export interface MarkScores {
  /** Probabilities in NSFW_CLASSES order (src/model/catalog.ts). */
  classes: number[];
  /** Tag scores from every source that ran; a tag that was not scored is absent. */
  tags: Partial<Record<AnyTagId, number>>;
  /** The NSFW score (src/model/scores.ts nsfwScore). */
  nsfw: number;
}

export interface MarkThumbnail {
  /** MIME type of `bytes`, normally 'image/jpeg'. */
  type: string;
  bytes: Uint8Array;
  /** Pixel size of the thumbnail (at most 256 on the long side). */
  width: number;
  height: number;
}

export interface MarkRecord {
  /** The image URL; the key. */
  url: string;
  /** The page the image was marked on. */
  pageUrl: string;
  /** ms since the epoch. */
  createdAt: number;
  updatedAt: number;
  marks: Marks;
  /** The model that scored the image; null if it could not be scored. */
  model: { id: ModelId; version: string } | null;
  scores: MarkScores | null;
  /** The model's embedding of the image, when it has one. */
  embedding: Float32Array | null;
  /** Faces found (boxes are 0..1 fractions of the image); empty when none were found or the detector did not run. */
  faces: FaceBox[];
  thumbnail: MarkThumbnail | null;
  /** Original image size in pixels when known. */
  imageSize: { width: number; height: number } | null;
}
