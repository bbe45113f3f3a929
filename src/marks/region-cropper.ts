// One marked image as a "Region Cropper" annotation, the per-image JSON of the original pipeline
// (docs/origin.md): { generator, file_name, regions: [{ probability, label, rect }] }, where
// label is the tag's index in TAG_IDS and rect is in pixels of the image named by file_name.
import { TAG_IDS, type AnyTagId, type TagId } from '../tags/vocabulary';
import type { MarkRecord } from './mark-types';
import { describeValue, isCount, isFiniteNumber, isRecord } from '../util/checks';

export const REGION_CROPPER = 'Region Cropper';

export interface RegionRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Region {
  /** 1.0 for a region the user made, the detector's confidence otherwise. */
  probability: number;
  /** Index of the tag in TAG_IDS. */
  label: number;
  rect: RegionRect;
}

export interface RegionCropperAnnotation {
  generator: typeof REGION_CROPPER;
  file_name: string;
  regions: Region[];
}

export const labelOf = (tag: TagId): number => TAG_IDS.indexOf(tag);

/**
 * The label ids of a dataset: the 20 vocabulary tags (0..19), then the user's own tags (20, 21, ...) in
 * the order given. Returns a tag's label, or -1 for a tag it does not know.
 */
export function labelsFor(customIds: readonly AnyTagId[]): { ids: AnyTagId[]; labelOf: (tag: AnyTagId) => number } {
  const ids: AnyTagId[] = [...TAG_IDS, ...customIds.filter((id) => !(TAG_IDS as readonly string[]).includes(id))];
  const index = new Map(ids.map((id, i) => [id, i]));
  return { ids, labelOf: (tag) => index.get(tag) ?? -1 };
}

/**
 * The annotation of `record` for the image file `fileName`, which is `imageWidth` x `imageHeight`
 * pixels. In a dataset export that file is the exported thumbnail, not the original image, so the
 * rects are in the thumbnail's pixels (the original's size is in the manifest as imageSize).
 *
 * Regions: one per detected face (label 'face', probability = detector score), then one whole-image
 * region per mark, in vocabulary order (probability 1.0): every tag mark, 'like' and 'dislike'.
 * A verdict (hide/show) is not a tag and has no region; it is in the manifest.
 */
export function annotationFor(
  record: MarkRecord,
  fileName: string,
  imageWidth: number,
  imageHeight: number,
  labels: ReturnType<typeof labelsFor> = labelsFor([]),
): RegionCropperAnnotation {
  const faces: Region[] = record.faces.map((face) => ({
    probability: clamp01(face.score),
    label: labelOf('face'),
    rect: {
      left: px(clamp01(face.left) * imageWidth),
      top: px(clamp01(face.top) * imageHeight),
      right: px(clamp01(face.right) * imageWidth),
      bottom: px(clamp01(face.bottom) * imageHeight),
    },
  }));
  const marked = new Set<AnyTagId>(record.marks.tags);
  if (record.marks.like) marked.add('like');
  if (record.marks.dislike) marked.add('dislike');
  const whole: RegionRect = { left: 0, top: 0, right: imageWidth, bottom: imageHeight };
  const tags: Region[] = labels.ids
    .filter((id) => marked.has(id))
    .map((id) => ({ probability: 1.0, label: labels.labelOf(id), rect: { ...whole } }));
  return { generator: REGION_CROPPER, file_name: fileName, regions: [...faces, ...tags] };
}

/**
 * What is wrong with `json` as a Region Cropper annotation; [] when it is valid. `labelCount` is how
 * many label ids the dataset has (20, plus its user tags).
 */
export function validateAnnotation(json: unknown, labelCount: number = TAG_IDS.length): string[] {
  if (!isRecord(json)) return [`annotation: expected an object, got ${describeValue(json)}`];
  const problems: string[] = [];
  if (json.generator !== REGION_CROPPER) {
    problems.push(`generator: expected "${REGION_CROPPER}", got ${describeValue(json.generator)}`);
  }
  if (typeof json.file_name !== 'string' || json.file_name === '') {
    problems.push(`file_name: expected a file name, got ${describeValue(json.file_name)}`);
  }
  if (!Array.isArray(json.regions)) {
    problems.push(`regions: expected an array, got ${describeValue(json.regions)}`);
    return problems;
  }
  json.regions.forEach((region: unknown, i) => {
    const at = `regions[${i}]`;
    if (!isRecord(region)) {
      problems.push(`${at}: expected an object, got ${describeValue(region)}`);
      return;
    }
    const { probability, label, rect } = region;
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
      problems.push(`${at}.probability: expected a number in 0..1, got ${describeValue(probability)}`);
    }
    if (!isCount(label) || label >= labelCount) {
      problems.push(`${at}.label: expected an integer in 0..${labelCount - 1}, got ${describeValue(label)}`);
    }
    if (!isRecord(rect)) {
      problems.push(`${at}.rect: expected an object, got ${describeValue(rect)}`);
      return;
    }
    let numbers = true;
    for (const side of ['left', 'top', 'right', 'bottom'] as const) {
      const value = rect[side];
      if (!isFiniteNumber(value)) {
        problems.push(`${at}.rect.${side}: expected a number, got ${describeValue(value)}`);
        numbers = false;
      }
    }
    if (!numbers) return;
    const r = rect as unknown as RegionRect;
    if (r.left > r.right) problems.push(`${at}.rect: left ${r.left} is right of right ${r.right}`);
    if (r.top > r.bottom) problems.push(`${at}.rect: top ${r.top} is below bottom ${r.bottom}`);
  });
  return problems;
}

const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
/** Pixels to 1/100 px, so 0.3 * 256 is written 76.8 and not 76.80000000000001. */
const px = (v: number): number => Math.round(v * 100) / 100;
