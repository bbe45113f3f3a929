// One score set for an animated image from its frames' score sets: the worst frame decides, per tag
// and per class, so the image is hidden when any scored frame should be.
import { nsfwScore } from '../model/scores';
import type { FaceBox, TagId } from '../tags/vocabulary';

export type FrameTags = Partial<Record<TagId, number>>;

/** What the host knows about one frame (or a still image, its only frame). */
export interface FrameScores {
  classes: number[];
  embedding: number[];
  /** Every tag scored on this frame: the model's, the personal model's and the detectors'. */
  tags: FrameTags;
  faces?: FaceBox[];
  /** The imported trained model's tags, when one ran. */
  trained: FrameTags | null;
}

/**
 * Combines an animation's frames into one score set:
 * - each tag (and each trained-model tag) is its highest score over the frames, so a rule that hides
 *   a tag hides the image when any frame has it;
 * - the NSFW classes and the embedding come together from the frame with the highest NSFW score: the
 *   classes must stay one frame's distribution (they sum to 1, and the NSFW rule reads them), and the
 *   embedding (kept with a mark for the personal model) from the frame that decided them;
 * - the face boxes are the frame's with the most faces (they go with a mark into the dataset).
 * Ties go to the earlier frame, so a one-frame list comes back as it went in.
 */
export function worstFrame(frames: readonly FrameScores[]): FrameScores {
  const [first, ...rest] = frames;
  if (!first) throw new Error('no frame to combine');
  if (rest.length === 0) return first;
  const worst = frames.reduce((a, b) => (nsfwScore(b.classes) > nsfwScore(a.classes) ? b : a));
  const withFaces = frames.filter((f) => f.faces !== undefined);
  const faces = withFaces.reduce<FaceBox[] | undefined>(
    (a, f) => (a === undefined || (f.faces?.length ?? 0) > a.length ? f.faces : a),
    undefined,
  );
  const trained = frames.some((f) => f.trained !== null) ? maxTags(frames.map((f) => f.trained ?? {})) : null;
  return {
    classes: worst.classes,
    embedding: worst.embedding,
    tags: maxTags(frames.map((f) => f.tags)),
    ...(faces !== undefined ? { faces } : {}),
    trained,
  };
}

/** Each tag's highest score over the sets it appears in. */
export function maxTags(sets: readonly FrameTags[]): FrameTags {
  const out: FrameTags = {};
  for (const set of sets) {
    for (const [tag, score] of Object.entries(set) as [TagId, number][]) {
      const seen = out[tag];
      if (seen === undefined || score > seen) out[tag] = score;
    }
  }
  return out;
}
