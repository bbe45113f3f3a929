// Raw scores as they travel from the model host to the page. The decision (cover or not) is made from
// these with the user's current settings, so changing a threshold needs no inference.
import type { AnyTagId, Detector, FaceBox } from '../tags/vocabulary';
import { NSFW_CLASSES, type ModelId } from './catalog';

export interface ImageScores {
  model: ModelId;
  /** Softmax probabilities in NSFW_CLASSES order: Drawing, Hentai, Neutral, Porn, Sexy. */
  classes: number[];
  /** Tag scores 0..1 from every source that ran (see src/tags/vocabulary.ts), user tags included. */
  tags: Partial<Record<AnyTagId, number>>;
  /** The detectors that ran for these scores; tags of detectors that did not run are absent. */
  detectors: Detector[];
  /** Faces found, when the face detector ran. */
  faces?: FaceBox[];
  /** Tag scores from the imported trained model, when one is active. */
  trained?: { id: string; tags: Partial<Record<AnyTagId, number>> };
}

/**
 * The NSFW score: probability mass the model puts on the three unsafe classes (Hentai + Porn + Sexy),
 * i.e. 1 - (Drawing + Neutral). The model spreads borderline images across the unsafe classes, so any
 * single class under-counts them; the sum is the model's own "not safe" probability.
 */
export function nsfwScore(classes: readonly number[]): number {
  const at = (name: (typeof NSFW_CLASSES)[number]) => classes[NSFW_CLASSES.indexOf(name)] ?? 0;
  return Math.min(1, Math.max(0, at('Hentai') + at('Porn') + at('Sexy')));
}
