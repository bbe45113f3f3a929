// A dataset export ZIP (src/marks/dataset-zip.ts, docs/dataset-format.md) as training examples
// for model3: each marked image's thumbnail bytes and one label per chosen tag. Node only (sharp decodes).
//
// Labels, per tag (labelFor):
// - like: 1 for a liked image, 0 for a disliked one; unknown (null) when the image has neither.
// - dislike: the reverse.
// - nsfw: 1 when the user tagged the image "nsfw" (Tag as > NSFW). A verdict of "hide" does NOT make it
//   1 (an image is hidden for many reasons: a tag rule, a dislike, a site), but it does not make it 0
//   either: a hidden image the user did not tag is unknown for nsfw. Every other image is 0.
// - every other tag: 1 when the user tagged the image with it, else 0. Marks are made one image at a
//   time, so an image the user marked but did not tag X is taken as "not X" (the same rule as the
//   personal heads, src/personal/personal-examples.ts); hard negative mining keeps the many easy
//   negatives from drowning the few positives.
// The user's own tags (user:<slug>, named in the dataset's tags.json) follow the same rule as every other
// tag, and their names travel into megane-model.json (customTags) so the extension can label them.
// An unknown label leaves that image out of that tag's loss and metrics. The models' scores in the
// manifest are not used as labels: they are what the user was correcting.
//
// Checks, before any training: the file is a Megane dataset ZIP with a manifest; no manifest line is
// unusable (bad JSON, bad marks) and no listed image file is missing (a damaged export: fix it or export
// again); every chosen tag is a vocabulary tag or one of the dataset's own tags, with positive and
// negative examples; every image decodes.
// Lines whose image could not be captured (file: null) are left out with a warning.
//
// Split: an image is in the validation set when isValidation(its URL, fraction, seed): a stable hash (the
// same as the personal heads' isHeldOut), so the split does not change between runs, and an image held out
// at one fraction is held out at every larger one.
// No tfjs here: the CLI checks a dataset before it loads TensorFlow.js.
// Pixels (decodePixels): the thumbnail stretched to size x size RGB, as the extension decodes at inference
// (createImageBitmap to 256x256, aspect ratio not kept); bilinear, like the browser's default resize.
// Augmentation (training only, seeded by seed, epoch and URL): stretch to round(1.1 * size), crop a
// random size x size window, and flip left-right half of the time.
import { strFromU8, unzipSync } from 'fflate';
import sharp from 'sharp';
import { importDataset } from '../../src/marks/dataset-zip';
import { hash32, isHeldOut } from '../../src/util/hash32';
import type { Marks } from '../../src/marks/mark-types';
import { isCustomTagId, isTagId, TAG_IDS, type AnyTagId, type CustomTag } from '../../src/tags/vocabulary';
import { errorText } from '../../src/util/checks';

export type Label = 0 | 1 | null;

export interface TrainingExample {
  /** The image URL: the key of the split and of augmentation. */
  key: string;
  /** The image's path in the ZIP (images/<id>.jpg), for messages. */
  file: string;
  /** The thumbnail file's bytes (JPEG, PNG, ...). */
  bytes: Uint8Array;
  /** One label per tag of the training set, in its tag order. */
  labels: Label[];
}

export interface LabelCounts {
  positives: number;
  negatives: number;
  unknown: number;
}

export interface TrainingData {
  /** The file name the data came from, for messages. */
  source: string;
  tags: AnyTagId[];
  /** The names of the user's own tags among `tags` (from the dataset's tags.json). */
  customTags: CustomTag[];
  /** Marked images with a usable image (train + validation). */
  images: number;
  train: TrainingExample[];
  validation: TrainingExample[];
  /** Per tag: label counts in the training and the validation split. */
  counts: Record<string, { train: LabelCounts; validation: LabelCounts }>;
  /** Things that did not stop training but may matter (one line each). */
  warnings: string[];
}

export interface ReadOptions {
  /** Names the file in messages, e.g. "export.zip". */
  source: string;
  /**
   * Tags to train, in output order. Default: every tag with positive and negative examples, in
   * vocabulary order, then the dataset's own tags.
   */
  tags?: readonly string[];
  /** Share of images held out for validation, in [0, 1). Default 0.2. */
  validationFraction?: number;
  /** Changes the split. Default ''. */
  seed?: string;
}

/** A dataset that cannot be trained on; the message names the file and every problem found. */
export class DatasetError extends Error {
  constructor(
    message: string,
    /** 'usage' when the problem is in the options (e.g. an unknown tag name), 'data' when it is in the file. */
    readonly kind: 'usage' | 'data' = 'data',
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** How much of a message list to show before "and N more". */
const MAX_LISTED = 20;

/** The label of `tag` for an image with these marks (see the header). */
export function labelFor(tag: AnyTagId, marks: Marks): Label {
  if (tag === 'like') return marks.like ? 1 : marks.dislike ? 0 : null;
  if (tag === 'dislike') return marks.dislike ? 1 : marks.like ? 0 : null;
  if (marks.tags.includes(tag)) return 1;
  if (tag === 'nsfw' && marks.verdict === 'hide') return null;
  return 0;
}

/**
 * Checks tag names (e.g. from --tags): unknown or repeated names throw a 'usage' DatasetError listing the
 * known tags. The user's own tags (user:<slug>) pass here; readTrainingData checks the dataset has them.
 */
export function checkTagNames(names: readonly string[]): AnyTagId[] {
  const unknown = names.filter((name) => !isTagId(name) && !isCustomTagId(name));
  if (unknown.length > 0) {
    const list = unknown.map((n) => `'${n}'`).join(', ');
    throw new DatasetError(
      `unknown tag${unknown.length > 1 ? 's' : ''} ${list} in --tags; known tags: ${TAG_IDS.join(', ')}, and your own tags as user:<name>`,
      'usage',
    );
  }
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) throw new DatasetError(`tag '${twice[0]}' is listed twice in --tags`, 'usage');
  if (names.length === 0) throw new DatasetError('--tags lists no tags', 'usage');
  return names as AnyTagId[];
}

/**
 * Reads and checks an export ZIP and splits it (see the header). Throws a DatasetError naming the file and
 * every problem when it cannot be trained on. Images are decoded once here to find broken files early.
 */
export async function readTrainingData(bytes: Uint8Array, options: ReadOptions): Promise<TrainingData> {
  const { source } = options;
  const fraction = options.validationFraction ?? 0.2;
  const seed = options.seed ?? '';
  if (!(fraction >= 0 && fraction < 1)) throw new DatasetError(`validation fraction must be in [0, 1), got ${fraction}`, 'usage');
  const chosen = options.tags === undefined ? undefined : checkTagNames(options.tags);

  let imported: ReturnType<typeof importDataset>;
  try {
    imported = importDataset(bytes);
  } catch (error) {
    throw new DatasetError(`${source}: ${errorText(error)}`);
  }
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const problem of imported.problems) {
    // A whole line lost, or an image named in the manifest but not usable: the export is damaged.
    if (problem.endsWith('; skipped') || problem.endsWith('the thumbnail is dropped')) errors.push(problem);
    else warnings.push(problem);
  }
  if (errors.length > 0) {
    throw new DatasetError(listed(`${source} is damaged; fix it or export the dataset again`, errors));
  }
  if (imported.records.length === 0) throw new DatasetError(`${source}: the dataset has no marked images`);

  const files = manifestFiles(bytes);
  const withImage = imported.records.filter((r) => r.thumbnail !== null);
  const noImage = imported.records.length - withImage.length;
  if (noImage > 0) {
    warnings.push(
      `${noImage} marked image${noImage > 1 ? 's have' : ' has'} no image file in ${source} (the image could not be read when it was marked) and ${noImage > 1 ? 'are' : 'is'} left out`,
    );
  }
  if (withImage.length === 0) throw new DatasetError(`${source}: none of the ${imported.records.length} marked images has an image file`);

  // Tags: the chosen ones must have both kinds of example; by default every tag that has both.
  const total = (tag: AnyTagId) => countLabels(withImage.map((r) => labelFor(tag, r.marks)));
  const own = imported.customTags;
  let tags: AnyTagId[];
  if (chosen) {
    for (const tag of chosen) {
      if (isCustomTagId(tag) && !own.some((t) => t.id === tag)) {
        const names = own.length > 0 ? own.map((t) => t.id).join(', ') : 'none';
        errors.push(`tag '${tag}' is not one of the own tags in ${source} (it has: ${names})`);
        continue;
      }
      const c = total(tag);
      if (c.positives === 0) errors.push(`tag '${tag}' has no positive examples in ${source}; mark some images or drop it from --tags`);
      else if (c.negatives === 0) {
        errors.push(
          `tag '${tag}' has no negative examples in ${source} (every image with a label for it has it); mark some images without it or drop it from --tags`,
        );
      }
    }
    if (errors.length > 0) throw new DatasetError(errors.join('\n'));
    tags = [...chosen];
  } else {
    tags = [...TAG_IDS, ...own.map((t) => t.id)].filter((tag) => {
      const c = total(tag);
      if (c.positives > 0 && c.negatives === 0)
        warnings.push(`tag '${tag}' is left out: every image with a label for it has it (no negative examples)`);
      return c.positives > 0 && c.negatives > 0;
    });
    if (tags.length === 0) {
      throw new DatasetError(`${source}: no tag has both positive and negative examples; mark more images (like and dislike, or "Tag as")`);
    }
  }

  const examples: TrainingExample[] = withImage.map((r) => ({
    key: r.url,
    file: files.get(r.url) ?? '(image)',
    bytes: (r.thumbnail as NonNullable<typeof r.thumbnail>).bytes,
    labels: tags.map((tag) => labelFor(tag, r.marks)),
  }));

  const broken = await undecodable(examples);
  if (broken.length > 0) throw new DatasetError(listed(`${source}: some images cannot be decoded`, broken));

  const train: TrainingExample[] = [];
  const validation: TrainingExample[] = [];
  for (const example of examples) (isValidation(example.key, fraction, seed) ? validation : train).push(example);
  if (train.length === 0) {
    throw new DatasetError(
      `${source}: all ${examples.length} images fell in the validation split; use a smaller --val-fraction or mark more images`,
      'usage',
    );
  }
  if (validation.length === 0)
    warnings.push(`the validation split is empty (${examples.length} images, fraction ${fraction}): no validation loss or metrics`);

  const counts: TrainingData['counts'] = {};
  tags.forEach((tag, j) => {
    counts[tag] = {
      train: countLabels(train.map((e) => e.labels[j] ?? null)),
      validation: countLabels(validation.map((e) => e.labels[j] ?? null)),
    };
    const c = counts[tag];
    if (c && validation.length > 0 && c.validation.positives === 0) {
      warnings.push(`tag '${tag}' has no positive examples in the validation split: its recall and AP cannot be measured`);
    }
    if (c && c.train.positives === 0) warnings.push(`tag '${tag}' has no positive examples in the training split`);
  });

  const customTags = own.filter((t) => tags.includes(t.id));
  return { source, tags, customTags, images: examples.length, train, validation, counts, warnings };
}

/** Whether image `key` is in the validation share `fraction` (0..1) for this seed: the same split as the personal heads' held-out set. */
export const isValidation = isHeldOut;

export function countLabels(labels: readonly Label[]): LabelCounts {
  const c: LabelCounts = { positives: 0, negatives: 0, unknown: 0 };
  for (const l of labels) {
    if (l === 1) c.positives++;
    else if (l === 0) c.negatives++;
    else c.unknown++;
  }
  return c;
}

// ---- pixels

export interface Augmentation {
  /** Side of the stretched image the crop is taken from. */
  scaledSize: number;
  left: number;
  top: number;
  flip: boolean;
}

/** Scale factor of the augmentation's stretch before the crop. */
export const AUGMENT_SCALE = 1.1;

/** The augmentation of image `key` in `epoch` for this seed: a pure function of its arguments. */
export function augmentationFor(seed: string, epoch: number, key: string, size: number): Augmentation {
  const scaledSize = Math.round(size * AUGMENT_SCALE);
  const room = scaledSize - size + 1;
  const unit = (what: string) => hash32(`${seed}\u0000augment\u0000${epoch}\u0000${what}\u0000${key}`) / 2 ** 32;
  return {
    scaledSize,
    left: Math.floor(unit('left') * room),
    top: Math.floor(unit('top') * room),
    flip: unit('flip') < 0.5,
  };
}

/**
 * The image as size x size x 3 RGB bytes: stretched (no augmentation) or stretched, cropped and maybe
 * flipped (see augmentationFor). Errors name the file.
 */
export async function decodePixels(
  example: Pick<TrainingExample, 'bytes' | 'file' | 'key'>,
  size: number,
  augmentation?: Augmentation,
): Promise<Uint8Array> {
  try {
    const scaled = augmentation?.scaledSize ?? size;
    let image = sharp(example.bytes, { animated: false })
      .rotate() // EXIF orientation, as createImageBitmap applies it
      .toColourspace('srgb')
      .removeAlpha()
      .resize(scaled, scaled, { fit: 'fill', kernel: 'linear' });
    if (augmentation) {
      // extract after resize crops the resized image; sharp mirrors (flop) before resizing, which picks
      // the mirrored window: the same distribution of crops.
      image = image.extract({ left: augmentation.left, top: augmentation.top, width: size, height: size });
      if (augmentation.flip) image = image.flop();
    }
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== size || info.height !== size) {
      throw new Error(`decoded to ${info.width}x${info.height}x${info.channels}, expected ${size}x${size}x3`);
    }
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } catch (error) {
    throw new Error(`${example.file} (${example.key}) could not be decoded: ${errorText(error)}`);
  }
}

/**
 * The pixels of several images back to back (count x size x size x 3), decoded in parallel. With `epoch`,
 * training augmentation for that epoch; without, the plain stretch used for validation and inference.
 */
export async function batchPixels(
  examples: readonly TrainingExample[],
  size: number,
  augment?: { seed: string; epoch: number },
): Promise<Uint8Array> {
  const images = await Promise.all(
    examples.map((e) => decodePixels(e, size, augment ? augmentationFor(augment.seed, augment.epoch, e.key, size) : undefined)),
  );
  const out = new Uint8Array(examples.length * size * size * 3);
  images.forEach((pixels, i) => out.set(pixels, i * size * size * 3));
  return out;
}

/** The examples in this epoch's order: a seeded shuffle, the same for the same seed, epoch and keys. */
export function epochOrder<T extends { key: string }>(examples: readonly T[], seed: string, epoch: number): T[] {
  const rank = new Map(examples.map((e) => [e, hash32(`${seed}\u0000order\u0000${epoch}\u0000${e.key}`)]));
  return [...examples].sort((a, b) => (rank.get(a) as number) - (rank.get(b) as number) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// ---- helpers

/** url -> "images/<id>.jpg" from the manifest, for messages (lines importDataset already reported are ignored). */
function manifestFiles(bytes: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const manifest = unzipSync(bytes, { filter: (f) => f.name === 'manifest.jsonl' })['manifest.jsonl'];
    if (!manifest) return out;
    for (const line of strFromU8(manifest).split('\n')) {
      try {
        const json: unknown = JSON.parse(line);
        if (typeof json === 'object' && json !== null) {
          const { url, file } = json as { url?: unknown; file?: unknown };
          if (typeof url === 'string' && typeof file === 'string' && !out.has(url)) out.set(url, file);
        }
      } catch {
        // reported by importDataset
      }
    }
  } catch {
    // reported by importDataset
  }
  return out;
}

async function undecodable(examples: readonly TrainingExample[]): Promise<string[]> {
  const problems: string[] = [];
  // A few at a time: sharp queues the rest on libuv's small thread pool anyway.
  for (let i = 0; i < examples.length; i += 16) {
    const results = await Promise.allSettled(examples.slice(i, i + 16).map((e) => decodePixels(e, 8)));
    for (const r of results) if (r.status === 'rejected') problems.push(errorText(r.reason));
  }
  return problems;
}

function listed(title: string, items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).map((p) => `  ${p}`);
  const more = items.length > MAX_LISTED ? [`  ... and ${items.length - MAX_LISTED} more`] : [];
  return [`${title}:`, ...shown, ...more].join('\n');
}
