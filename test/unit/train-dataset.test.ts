import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '../../src/marks/dataset-zip';
import type { MarkRecord, Marks } from '../../src/marks/mark-types';
import {
  augmentationFor,
  batchPixels,
  checkTagNames,
  DatasetError,
  decodePixels,
  epochOrder,
  isValidation,
  labelFor,
  readTrainingData,
  type TrainingExample,
} from '../../scripts/train/dataset';
import { isHeldOut } from '../../src/personal/train-personal';
import type { TagId } from '../../src/tags/vocabulary';
import { colourThumbnail, exportZip, markRecord } from './train-fixtures';

const marks = (m: Partial<Marks>): Marks => ({ like: false, dislike: false, verdict: null, tags: [], ...m });

describe('labelFor', () => {
  it.each<[TagId, Partial<Marks>, 0 | 1 | null]>([
    ['like', { like: true }, 1],
    ['like', { dislike: true }, 0],
    ['like', { tags: ['cat'] }, null], // neither liked nor disliked: says nothing
    ['dislike', { dislike: true }, 1],
    ['dislike', { like: true }, 0],
    ['dislike', { verdict: 'hide' }, null],
    ['nsfw', { tags: ['nsfw'] }, 1],
    ['nsfw', { tags: ['nsfw'], verdict: 'hide' }, 1],
    ['nsfw', { verdict: 'hide' }, null], // hidden for some reason, not necessarily nsfw
    ['nsfw', { verdict: 'show' }, 0],
    ['nsfw', { like: true }, 0],
    ['cat', { tags: ['cat', 'photo'] }, 1],
    ['cat', { tags: ['dog'] }, 0], // marked, not tagged cat
    ['cat', { verdict: 'hide' }, 0],
  ])('%s for %o is %s', (tag, m, label) => {
    expect(labelFor(tag, marks(m))).toBe(label);
  });
});

describe('checkTagNames', () => {
  it('accepts vocabulary tags in the given order', () => {
    expect(checkTagNames(['like', 'nsfw'])).toEqual(['like', 'nsfw']);
  });
  it('names unknown tags and lists the known ones', () => {
    const error = (() => {
      try {
        checkTagNames(['nsfw', 'kitten', 'Cat']);
      } catch (e) {
        return e as DatasetError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(
      /^unknown tags 'kitten', 'Cat' in --tags; known tags: original_art, nsfw, like, .*, dislike, and your own tags as user:<name>$/,
    );
  });
  it("accepts the user's own tags (the dataset is checked for them when it is read)", () => {
    expect(checkTagNames(['cat', 'user:red_glasses'])).toEqual(['cat', 'user:red_glasses']);
  });
  it('refuses a repeated tag', () => {
    expect(() => checkTagNames(['cat', 'cat'])).toThrow("tag 'cat' is listed twice in --tags");
  });
});

describe('readTrainingData', () => {
  let records: MarkRecord[];
  let good: Uint8Array;

  beforeAll(async () => {
    const red = await colourThumbnail(220, 30, 30);
    const blue = await colourThumbnail(30, 30, 220);
    records = [];
    for (let i = 0; i < 12; i++) {
      const cat = i % 2 === 0;
      records.push(
        markRecord(
          `https://img.example/${i}.jpg`,
          cat ? { tags: ['cat'], like: i % 4 === 0 } : { tags: ['dog'], dislike: true },
          cat ? red : blue,
        ),
      );
    }
    good = exportZip(records);
  });

  const read = (bytes: Uint8Array, tags?: string[]) =>
    readTrainingData(bytes, { source: 'export.zip', tags, validationFraction: 0.25, seed: 's' });

  /** The good export with its files changed. */
  const edited = (change: (files: Record<string, Uint8Array>) => void): Uint8Array => {
    const files = unzipSync(good);
    change(files);
    return zipSync(files);
  };

  it('reads labels for the chosen tags, in that order', async () => {
    const data = await read(good, ['dog', 'like', 'cat']);
    expect(data.tags).toEqual(['dog', 'like', 'cat']);
    expect(data.images).toBe(12);
    expect(data.train.length + data.validation.length).toBe(12);
    const byKey = new Map([...data.train, ...data.validation].map((e) => [e.key, e]));
    expect(byKey.get('https://img.example/0.jpg')?.labels).toEqual([0, 1, 1]); // cat, liked
    expect(byKey.get('https://img.example/2.jpg')?.labels).toEqual([0, null, 1]); // cat, neither liked nor disliked
    expect(byKey.get('https://img.example/1.jpg')?.labels).toEqual([1, 0, 0]); // dog, disliked
    expect(byKey.get('https://img.example/1.jpg')?.file).toMatch(/^images\/[0-9a-f]{16}\.jpg$/);
    expect(data.warnings).toEqual([]);
  });

  it('picks every tag with positives and negatives by default', async () => {
    const data = await read(good);
    // cat 6/6, dog 6/6, like 3 liked vs 6 disliked, dislike the reverse; nsfw and the rest have no positives
    expect(data.tags).toEqual(['like', 'cat', 'dog', 'dislike']);
  });

  it('refuses a file that is not a ZIP', async () => {
    await expect(read(strToU8('just text'))).rejects.toThrow(/^export.zip: Not a Megane dataset: the file is not a ZIP archive/);
  });

  it('refuses a ZIP without a manifest', async () => {
    await expect(read(zipSync({ 'notes.txt': strToU8('hello') }))).rejects.toThrow(
      'export.zip: Not a Megane dataset: the ZIP has no manifest.jsonl',
    );
  });

  it('refuses a manifest with a bad JSON line, naming the line', async () => {
    const bytes = edited((files) => {
      files['manifest.jsonl'] = strToU8(`${new TextDecoder().decode(files['manifest.jsonl'])}{"url": oops\n`);
    });
    await expect(read(bytes)).rejects.toThrow(
      /^export.zip is damaged; fix it or export the dataset again:\n {2}manifest.jsonl line 13: not valid JSON \(.*\); skipped$/,
    );
  });

  it('refuses a record whose image file is missing, naming the file', async () => {
    let removed = '';
    const bytes = edited((files) => {
      removed = Object.keys(files).find((name) => name.startsWith('images/')) as string;
      delete files[removed];
    });
    await expect(read(bytes)).rejects.toThrow(`manifest.jsonl line 1: ${removed} is missing from the ZIP; the thumbnail is dropped`);
  });

  it('refuses an image that does not decode, naming the file and URL', async () => {
    const bytes = edited((files) => {
      const name = Object.keys(files).find((n) => n.startsWith('images/')) as string;
      files[name] = strToU8('not a jpeg');
    });
    await expect(read(bytes)).rejects.toThrow(
      /^export.zip: some images cannot be decoded:\n {2}images\/[0-9a-f]{16}\.jpg \(https:\/\/img.example\/0.jpg\) could not be decoded: /,
    );
  });

  it('refuses unknown tags in --tags as a usage error', async () => {
    await expect(read(good, ['cat', 'kitten'])).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/^unknown tag 'kitten' in --tags; known tags: /),
    });
  });

  it('refuses a chosen tag without positive examples', async () => {
    await expect(read(good, ['cat', 'food'])).rejects.toThrow(
      "tag 'food' has no positive examples in export.zip; mark some images or drop it from --tags",
    );
  });

  it('refuses a chosen tag without negative examples', async () => {
    const allCats = exportZip(records.filter((_, i) => i % 2 === 0));
    await expect(read(allCats, ['cat'])).rejects.toThrow(/^tag 'cat' has no negative examples in export.zip .*drop it from --tags$/);
  });

  it('leaves out marked images without an image file, with a warning', async () => {
    const bytes = exportZip([...records, markRecord('https://img.example/gone.jpg', { tags: ['cat'] }, null)]);
    const data = await read(bytes, ['cat']);
    expect(data.images).toBe(12);
    expect(data.warnings).toContain(
      '1 marked image has no image file in export.zip (the image could not be read when it was marked) and is left out',
    );
  });

  it("trains the user's own tags like the others, under the names the dataset gives them", async () => {
    const red = await colourThumbnail(200, 0, 0);
    const own = [markRecord('https://img.example/own.jpg', { tags: ['cat', 'user:red_glasses'] }, red)];
    const bytes = exportDataset([...records, ...own], {
      exportedAt: 1_700_000_000_000,
      extensionVersion: 'test',
      customTags: [{ id: 'user:red_glasses', label: 'Red glasses' }],
    });
    const data = await read(bytes);
    expect(data.tags.at(-1)).toBe('user:red_glasses');
    expect(data.customTags).toEqual([{ id: 'user:red_glasses', label: 'Red glasses' }]);
    const j = data.tags.indexOf('user:red_glasses');
    const labels = [...data.train, ...data.validation].map((e) => [e.key, e.labels[j]]);
    expect(labels.filter(([, l]) => l === 1)).toEqual([['https://img.example/own.jpg', 1]]);
    expect(labels.filter(([, l]) => l === 0)).toHaveLength(labels.length - 1);

    const chosen = await read(bytes, ['user:red_glasses', 'cat']);
    expect(chosen.tags).toEqual(['user:red_glasses', 'cat']);
    await expect(read(bytes, ['cat', 'user:bats'])).rejects.toThrow(
      "tag 'user:bats' is not one of the own tags in export.zip (it has: user:red_glasses)",
    );
  });

  it('refuses a dataset where no tag can be learned', async () => {
    const only = exportZip(records.filter((_, i) => i % 2 === 0).map((r) => ({ ...r, marks: { ...r.marks, like: false } })));
    await expect(read(only)).rejects.toThrow(
      'export.zip: no tag has both positive and negative examples; mark more images (like and dislike, or "Tag as")',
    );
  });

  it('splits by a stable hash of the URL and the seed', async () => {
    const keys = (d: { validation: TrainingExample[] }) => d.validation.map((e) => e.key).sort();
    const a = await readTrainingData(good, { source: 'x', tags: ['cat'], validationFraction: 0.3, seed: 'one' });
    const b = await readTrainingData(good, { source: 'x', tags: ['cat'], validationFraction: 0.3, seed: 'one' });
    expect(keys(b)).toEqual(keys(a));
    // Record order does not matter.
    const reversed = await readTrainingData(exportZip([...records].reverse()), {
      source: 'x',
      tags: ['cat'],
      validationFraction: 0.3,
      seed: 'one',
    });
    expect(keys(reversed)).toEqual(keys(a));
    // A larger fraction keeps every image held out at the smaller one.
    const more = await readTrainingData(good, { source: 'x', tags: ['cat'], validationFraction: 0.6, seed: 'one' });
    expect(keys(more)).toEqual(expect.arrayContaining(keys(a)));
    // Another seed, another split (for these 12 URLs).
    const other = await readTrainingData(good, { source: 'x', tags: ['cat'], validationFraction: 0.3, seed: 'two' });
    expect(keys(other)).not.toEqual(keys(a));
  });
});

describe('isValidation', () => {
  it("holds out the same images as the personal heads' isHeldOut", () => {
    const keys = Array.from({ length: 500 }, (_, i) => `https://img.example/${i}.jpg`);
    for (const [fraction, seed] of [
      [0.2, ''],
      [0.5, 's'],
      [0.05, 'megane'],
    ] as const) {
      expect(keys.map((k) => isValidation(k, fraction, seed))).toEqual(keys.map((k) => isHeldOut(k, fraction, seed)));
    }
    const share = keys.filter((k) => isValidation(k, 0.2, 'x')).length / keys.length;
    expect(share).toBeGreaterThan(0.14);
    expect(share).toBeLessThan(0.26);
  });
});

describe('augmentation', () => {
  it('is a pure function of seed, epoch and key, inside the scaled image', () => {
    const a = augmentationFor('s', 3, 'https://x/1.jpg', 256);
    expect(augmentationFor('s', 3, 'https://x/1.jpg', 256)).toEqual(a);
    expect(a.scaledSize).toBe(282);
    const all = Array.from({ length: 200 }, (_, i) => augmentationFor('s', i, 'https://x/1.jpg', 256));
    for (const aug of all) {
      expect(aug.left).toBeGreaterThanOrEqual(0);
      expect(aug.left).toBeLessThanOrEqual(282 - 256);
      expect(aug.top).toBeLessThanOrEqual(282 - 256);
    }
    // Over epochs: both flips and many offsets.
    expect(new Set(all.map((x) => x.flip)).size).toBe(2);
    expect(new Set(all.map((x) => x.left)).size).toBeGreaterThan(15);
    expect(augmentationFor('t', 3, 'https://x/1.jpg', 256)).not.toEqual(a);
  });

  it('decodes to the same bytes for the same augmentation, and mirrors with flip', async () => {
    // A left-to-right gradient, so crops and mirrors are easy to tell apart.
    const width = 40;
    const raw = new Uint8Array(width * width * 3).map((_, i) => Math.floor(((i / 3) % width) * 6));
    const { default: sharp } = await import('sharp');
    const png = new Uint8Array(
      await sharp(raw, { raw: { width, height: width, channels: 3 } })
        .png()
        .toBuffer(),
    );
    const example = { key: 'k', file: 'images/k.png', bytes: png };
    const size = 20;
    const aug = { scaledSize: 22, left: 0, top: 1, flip: false };
    const plain = await decodePixels(example, size, aug);
    expect(plain.length).toBe(size * size * 3);
    expect(await decodePixels(example, size, aug)).toEqual(plain);
    // sharp mirrors before cropping: flipped at left L is the mirror of the crop at scaledSize - size - L.
    const flipped = await decodePixels(example, size, { ...aug, left: 2, flip: true });
    const row = (pixels: Uint8Array, y: number) => Array.from({ length: size }, (_, x) => pixels[(y * size + x) * 3] as number);
    expect(row(flipped, 5)).toEqual(row(plain, 5).reverse());
    // Without augmentation: the whole image stretched, the same every time.
    const whole = await decodePixels(example, size);
    expect(row(whole, 0)[0]).toBeLessThan(row(whole, 0)[size - 1] as number);
  });

  it('batchPixels puts the images back to back, augmented per epoch', async () => {
    const red = await colourThumbnail(255, 0, 0);
    const examples: TrainingExample[] = [0, 1].map((i) => ({ key: `k${i}`, file: `f${i}`, bytes: red.bytes, labels: [1] }));
    const batch = await batchPixels(examples, 16, { seed: 's', epoch: 1 });
    expect(batch.length).toBe(2 * 16 * 16 * 3);
    expect(batch[0]).toBeGreaterThan(200);
    expect(await batchPixels(examples, 16, { seed: 's', epoch: 1 })).toEqual(batch);
  });
});

describe('epochOrder', () => {
  const examples = Array.from({ length: 30 }, (_, i) => ({ key: `https://x/${i}` }));
  it('is a seeded shuffle: a permutation, the same for the same seed and epoch', () => {
    const a = epochOrder(examples, 's', 1);
    expect([...a].sort((x, y) => (x.key < y.key ? -1 : 1))).toEqual([...examples].sort((x, y) => (x.key < y.key ? -1 : 1)));
    expect(epochOrder(examples, 's', 1)).toEqual(a);
    expect(epochOrder([...examples].reverse(), 's', 1)).toEqual(a);
    expect(epochOrder(examples, 's', 2)).not.toEqual(a);
    expect(epochOrder(examples, 't', 1)).not.toEqual(a);
  });
});
