// Which marked images teach which personal tag. Pure: the options page shows the same counts the
// trainer uses.
//
// - like: liked images are positives, disliked ones negatives (an image with neither says nothing).
// - dislike: the reverse.
// - every other tag learned from feedback (comic, megane, kemono, ..., and the user's own tags): images
//   the user tagged with it are positives; every other marked image is a negative. Marks are made one image at a time, so an
//   image the user marked but did not tag X is taken as "not X"; hard negative mining (src/train/loss.ts)
//   keeps the many easy negatives from drowning the few positives.
//
// Only images whose embedding came from `model` count: embeddings of different models do not mix.
import type { MarkRecord } from '../marks/mark-types';
import type { ModelId } from '../model/catalog';
import { TAGS, isCustomTagId, type AnyTagId, type CustomTagId, type TagId } from '../tags/vocabulary';
import type { PersonalExample } from './train-personal';

/** The tags a personal model learns: those without a pretrained scorer, in vocabulary order. */
export const PERSONAL_TAGS: readonly TagId[] = TAGS.filter((t) => t.source === 'feedback').map((t) => t.id);

/** The user tags any of these records carries, in id order: each is learned like a personal tag. */
export function customTagsIn(records: readonly MarkRecord[]): CustomTagId[] {
  return [...new Set(records.flatMap((r) => r.marks.tags).filter(isCustomTagId))].sort();
}

export function labelsFor(marks: MarkRecord['marks'], custom: readonly CustomTagId[] = []): Partial<Record<AnyTagId, 0 | 1>> {
  const labels: Partial<Record<AnyTagId, 0 | 1>> = {};
  if (marks.like || marks.dislike) {
    labels.like = marks.like ? 1 : 0;
    labels.dislike = marks.dislike ? 1 : 0;
  }
  for (const id of PERSONAL_TAGS) {
    if (id === 'like' || id === 'dislike') continue;
    labels[id] = marks.tags.includes(id) ? 1 : 0;
  }
  for (const id of custom) labels[id] = marks.tags.includes(id) ? 1 : 0;
  return labels;
}

export function personalExamples(records: readonly MarkRecord[], model: ModelId): PersonalExample[] {
  const custom = customTagsIn(records);
  return records
    .filter((r) => r.model?.id === model && r.embedding !== null && r.embedding.length > 0)
    .map((r) => ({
      key: r.url,
      embedding: Array.from(r.embedding as Float32Array),
      labels: labelsFor(r.marks, custom) as Record<string, 0 | 1>,
    }));
}

/** Positives and negatives per personal tag among these records (for the options page before training). */
export function exampleCounts(records: readonly MarkRecord[], model: ModelId): Record<string, { positives: number; negatives: number }> {
  const counts: Record<string, { positives: number; negatives: number }> = {};
  for (const id of [...PERSONAL_TAGS, ...customTagsIn(records)]) counts[id] = { positives: 0, negatives: 0 };
  for (const example of personalExamples(records, model)) {
    for (const [tag, label] of Object.entries(example.labels)) {
      const c = counts[tag];
      if (c) c[label === 1 ? 'positives' : 'negatives']++;
    }
  }
  return counts;
}
