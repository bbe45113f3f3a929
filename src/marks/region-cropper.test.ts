import { describe, expect, it } from 'vitest';
import { TAG_IDS } from '../tags/vocabulary';
import { blankRecord, emptyMarks } from './apply-mark';
import type { MarkRecord } from './mark-types';
import { annotationFor, validateAnnotation } from './region-cropper';

const record = (patch: Partial<MarkRecord> = {}): MarkRecord => ({
  ...blankRecord('https://img/a.jpg', 'https://example.com/', 1),
  updatedAt: 2,
  ...patch,
});

describe('annotationFor', () => {
  it('uses the vocabulary indices of face, like and dislike', () => {
    expect([TAG_IDS.indexOf('face'), TAG_IDS.indexOf('like'), TAG_IDS.indexOf('dislike')]).toEqual([6, 2, 19]);
  });

  it.each([
    ['nothing marked, no faces', record(), []],
    [
      'a like',
      record({ marks: { ...emptyMarks(), like: true } }),
      [{ probability: 1, label: 2, rect: { left: 0, top: 0, right: 200, bottom: 100 } }],
    ],
    [
      'a dislike and two tags, in vocabulary order',
      record({ marks: { like: false, dislike: true, verdict: 'hide', tags: ['megane', 'cat'] } }),
      [
        { probability: 1, label: 8, rect: { left: 0, top: 0, right: 200, bottom: 100 } },
        { probability: 1, label: 16, rect: { left: 0, top: 0, right: 200, bottom: 100 } },
        { probability: 1, label: 19, rect: { left: 0, top: 0, right: 200, bottom: 100 } },
      ],
    ],
    [
      'faces first, scaled to the given pixel size, with the detector score',
      record({
        faces: [
          { left: 0.1, top: 0.2, right: 0.3, bottom: 0.6, score: 0.87 },
          { left: 0.5, top: 0, right: 0.75, bottom: 0.5, score: 0.6, female: 0.9 },
        ],
        marks: { ...emptyMarks(), tags: ['face'] },
      }),
      [
        { probability: 0.87, label: 6, rect: { left: 20, top: 20, right: 60, bottom: 60 } },
        { probability: 0.6, label: 6, rect: { left: 100, top: 0, right: 150, bottom: 50 } },
        { probability: 1, label: 6, rect: { left: 0, top: 0, right: 200, bottom: 100 } },
      ],
    ],
    [
      'a face box past the edge is clipped to the image',
      record({ faces: [{ left: -0.1, top: 0.5, right: 1.2, bottom: 1.01, score: 1.2 }] }),
      [{ probability: 1, label: 6, rect: { left: 0, top: 50, right: 200, bottom: 100 } }],
    ],
  ])('%s', (_name, rec, regions) => {
    const annotation = annotationFor(rec, 'abc.jpg', 200, 100);
    expect(annotation).toEqual({ generator: 'Region Cropper', file_name: 'abc.jpg', regions });
    expect(validateAnnotation(annotation)).toEqual([]);
  });

  it('writes pixels without float noise', () => {
    const a = annotationFor(record({ faces: [{ left: 0.3, top: 0.1, right: 0.7, bottom: 0.3, score: 0.5 }] }), 'a.jpg', 256, 170);
    expect(a.regions[0]?.rect).toEqual({ left: 76.8, top: 17, right: 179.2, bottom: 51 });
  });
});

describe('validateAnnotation', () => {
  const valid = {
    generator: 'Region Cropper',
    file_name: 'haruki_g17.png',
    regions: [{ probability: 1.0, label: 2, rect: { left: 97.0, top: 251.0, right: 285.0, bottom: 383.0 } }],
  };
  const withRegion = (region: unknown) => ({ ...valid, regions: [region] });
  const region = valid.regions[0]!;

  it.each<[string, unknown, string[]]>([
    ['the example from docs/origin.md', valid, []],
    ['no regions', { ...valid, regions: [] }, []],
    ['not an object', 'hello', ['annotation: expected an object, got "hello"']],
    ['null', null, ['annotation: expected an object, got null']],
    ['an array', [], ['annotation: expected an object, got []']],
    ['wrong generator', { ...valid, generator: 'Other' }, ['generator: expected "Region Cropper", got "Other"']],
    ['missing file_name', { ...valid, file_name: undefined }, ['file_name: expected a file name, got undefined']],
    ['empty file_name', { ...valid, file_name: '' }, ['file_name: expected a file name, got ""']],
    ['regions not an array', { ...valid, regions: {} }, ['regions: expected an array, got {}']],
    ['region not an object', withRegion(3), ['regions[0]: expected an object, got 3']],
    ['probability above 1', withRegion({ ...region, probability: 1.5 }), ['regions[0].probability: expected a number in 0..1, got 1.5']],
    ['probability NaN', withRegion({ ...region, probability: NaN }), ['regions[0].probability: expected a number in 0..1, got NaN']],
    ['probability a string', withRegion({ ...region, probability: '1' }), ['regions[0].probability: expected a number in 0..1, got "1"']],
    ['label not an integer', withRegion({ ...region, label: 2.5 }), ['regions[0].label: expected an integer in 0..19, got 2.5']],
    ['label 20', withRegion({ ...region, label: 20 }), ['regions[0].label: expected an integer in 0..19, got 20']],
    ['label -1', withRegion({ ...region, label: -1 }), ['regions[0].label: expected an integer in 0..19, got -1']],
    [
      'label 0 and 19 are fine',
      {
        ...valid,
        regions: [
          { ...region, label: 0 },
          { ...region, label: 19 },
        ],
      },
      [],
    ],
    ['no rect', withRegion({ probability: 1, label: 2 }), ['regions[0].rect: expected an object, got undefined']],
    [
      'rect side missing',
      withRegion({ ...region, rect: { left: 0, top: 0, right: 1 } }),
      ['regions[0].rect.bottom: expected a number, got undefined'],
    ],
    [
      'rect side infinite',
      withRegion({ ...region, rect: { left: 0, top: 0, right: Infinity, bottom: 1 } }),
      ['regions[0].rect.right: expected a number, got Infinity'],
    ],
    [
      'left > right and top > bottom',
      withRegion({ ...region, rect: { left: 10, top: 20, right: 5, bottom: 10 } }),
      ['regions[0].rect: left 10 is right of right 5', 'regions[0].rect: top 20 is below bottom 10'],
    ],
    ['a zero-size rect is allowed', withRegion({ ...region, rect: { left: 5, top: 5, right: 5, bottom: 5 } }), []],
    [
      'problems in several regions are all reported',
      { ...valid, regions: [{ ...region, label: 99 }, region, { ...region, probability: -0.1 }] },
      ['regions[0].label: expected an integer in 0..19, got 99', 'regions[2].probability: expected a number in 0..1, got -0.1'],
    ],
  ])('%s', (_name, json, problems) => {
    expect(validateAnnotation(json)).toEqual(problems);
  });
});
