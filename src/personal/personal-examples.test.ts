import { describe, expect, it } from 'vitest';
import { emptyMarks } from '../marks/apply-mark';
import type { MarkRecord, Marks } from '../marks/mark-types';
import { PERSONAL_TAGS, exampleCounts, labelsFor, personalExamples } from './personal-examples';

const record = (
  url: string,
  marks: Partial<Marks>,
  model: 'mobilenet_v2_mid' | 'inception_v3' | null = 'mobilenet_v2_mid',
): MarkRecord => ({
  url,
  pageUrl: 'https://page.test/',
  createdAt: 1,
  updatedAt: 1,
  marks: { ...emptyMarks(), ...marks },
  model: model === null ? null : { id: model, version: 'test' },
  scores: null,
  embedding: model === null ? null : new Float32Array([1, 2, 3]),
  faces: [],
  thumbnail: null,
  imageSize: null,
});

describe('personal examples', () => {
  it('learns the tags without a pretrained scorer', () => {
    expect(PERSONAL_TAGS).toEqual([
      'original_art',
      'like',
      'comic',
      'megane',
      'school_uniform',
      'blazer_uniform',
      'sailor_uniform',
      'gl',
      'kemono',
      'bl',
      'dislike',
    ]);
  });

  it.each([
    ['liked', { like: true }, { like: 1, dislike: 0, comic: 0 }],
    ['disliked', { dislike: true }, { like: 0, dislike: 1, comic: 0 }],
    ['tagged comic only', { tags: ['comic'] }, { comic: 1, megane: 0 }],
    ['hidden by hand', { verdict: 'hide' }, { comic: 0 }],
  ] as const)('%s', (_name, marks, expected) => {
    const labels = labelsFor({ ...emptyMarks(), ...marks, tags: [...(('tags' in marks ? marks.tags : []) as [])] });
    expect(labels).toMatchObject(expected);
    if (!('like' in marks) && !('dislike' in marks)) expect(labels.like).toBeUndefined();
  });

  it("learns the user's own tags found on the marks, like the vocabulary's personal tags", () => {
    const records = [record('a', { tags: ['user:rainbows'] }), record('b', { like: true })];
    const examples = personalExamples(records, 'mobilenet_v2_mid');
    expect(examples.map((e) => e.labels['user:rainbows'])).toEqual([1, 0]);
    expect(exampleCounts(records, 'mobilenet_v2_mid')['user:rainbows']).toEqual({ positives: 1, negatives: 1 });
  });

  it('uses only images scored by the current model, and counts per tag', () => {
    const records = [
      record('a', { like: true, tags: ['comic'] }),
      record('b', { dislike: true }),
      record('c', { like: true }, 'inception_v3'),
      record('d', { like: true }, null),
    ];
    expect(personalExamples(records, 'mobilenet_v2_mid').map((e) => e.key)).toEqual(['a', 'b']);
    const counts = exampleCounts(records, 'mobilenet_v2_mid');
    expect(counts.like).toEqual({ positives: 1, negatives: 1 });
    expect(counts.comic).toEqual({ positives: 1, negatives: 1 });
    expect(counts.megane).toEqual({ positives: 0, negatives: 2 });
  });
});
