import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { loadLocale, lookUp } from '../../test/setup/locale-messages';
import { TAG_IDS } from '../tags/vocabulary';
import { emptyMarks } from './apply-mark';
import { DatasetRefused, datasetFileTooLarge, datasetSizeRefusal, exportDataset, importDataset, urlId, ZIP_LIMITS } from './dataset-zip';
import { zipBomb } from '../../test/unit/zip-bomb';
import type { MarkRecord } from './mark-types';
import { validateAnnotation } from './region-cropper';

const opts = { exportedAt: Date.UTC(2025, 5, 1, 12), extensionVersion: '0.1.0' };
const jpeg = (n: number) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, n, n + 1, n + 2, 0xff, 0xd9]);

function record(url: string, patch: Partial<MarkRecord> = {}): MarkRecord {
  return {
    url,
    pageUrl: 'https://example.com/gallery?page=2',
    createdAt: 1_717_000_000_000,
    updatedAt: 1_717_000_100_000,
    marks: { ...emptyMarks(), like: true },
    model: { id: 'mobilenet_v2_mid', version: 'nsfwjs-4.3.0' },
    scores: { classes: [0.1, 0.05, 0.8, 0.03, 0.02], tags: { nsfw: 0.1, photo: 0.93, face: 0.88 }, nsfw: 0.1 },
    embedding: new Float32Array([0.1, -2.5, 3.25, 1e-8, -0, 65504.5]),
    faces: [{ left: 0.1, top: 0.15, right: 0.35, bottom: 0.5, score: 0.91, female: 0.8 }],
    thumbnail: { type: 'image/jpeg', bytes: jpeg(1), width: 256, height: 192 },
    imageSize: { width: 1600, height: 1200 },
    ...patch,
  };
}

const records: MarkRecord[] = [
  record('https://img.example.com/a.jpg'),
  record('https://img.example.com/b.jpg', {
    embedding: null,
    marks: { like: false, dislike: true, verdict: 'hide', tags: ['nsfw', 'megane', 'cat'] },
    thumbnail: { type: 'image/jpeg', bytes: jpeg(7), width: 120, height: 256 },
  }),
  record('https://img.example.com/c.png', {
    faces: [],
    thumbnail: null,
    imageSize: null,
    marks: { ...emptyMarks(), verdict: 'show' },
  }),
  record('https://img.example.com/d.webp?x=1&y=ß', {
    model: null,
    scores: null,
    embedding: null,
    faces: [
      { left: 0, top: 0, right: 0.5, bottom: 0.5, score: 0.7 },
      { left: 0.5, top: 0.5, right: 1, bottom: 1, score: 0.6, female: 0.1 },
    ],
    marks: { ...emptyMarks(), tags: ['face', 'school_uniform'] },
    thumbnail: { type: 'image/png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]), width: 64, height: 64 },
  }),
];

/** The files of a ZIP as text (or bytes for images). */
function files(zip: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(zip);
}

/** The export with its manifest lines (or other files) changed. */
function altered(change: (files: Record<string, Uint8Array>, manifest: string[]) => void): Uint8Array {
  const all = files(exportDataset(records, opts));
  const lines = strFromU8(all['manifest.jsonl']!).trimEnd().split('\n');
  change(all, lines);
  all['manifest.jsonl'] = strToU8(lines.join('\n'));
  return zipSync(all as Zippable);
}

describe('exportDataset / importDataset', () => {
  it('round-trips every record exactly', () => {
    const { records: back, problems } = importDataset(exportDataset(records, opts));
    expect(problems).toEqual([]);
    expect(back).toEqual(records);
    expect(back[0]?.embedding).toBeInstanceOf(Float32Array);
    expect(Object.is(back[0]?.embedding?.[4], -0)).toBe(true);
    expect(back[0]?.thumbnail?.bytes).toBeInstanceOf(Uint8Array);
    expect(back[3]?.faces[0]).not.toHaveProperty('female');
  });

  it('round-trips an empty dataset', () => {
    expect(importDataset(exportDataset([], opts))).toEqual({ records: [], problems: [], customTags: [] });
  });

  it("round-trips the user's own tags: marks, label ids from 20 on, and their names", () => {
    const own = {
      ...records[0]!,
      marks: { ...records[0]!.marks, tags: ['megane' as const, 'user:rainbows' as const, 'user:zz-old' as const] },
    };
    const zip = exportDataset([own], { ...opts, customTags: [{ id: 'user:rainbows', label: 'Rainbows' }] });
    const all = files(zip);
    const tags = JSON.parse(strFromU8(all['tags.json']!)) as { index: number; id: string; label: string }[];
    expect(tags.slice(20)).toEqual([
      { index: 20, id: 'user:rainbows', label: 'Rainbows' },
      { index: 21, id: 'user:zz-old', label: 'zz-old' },
    ]);
    const annotationFile = Object.keys(all).find((f) => f.startsWith('annotations/'));
    if (annotationFile) {
      const annotation = JSON.parse(strFromU8(all[annotationFile]!)) as { regions: { label: number }[] };
      expect(annotation.regions.map((r) => r.label)).toEqual(expect.arrayContaining([8, 20, 21]));
      expect(validateAnnotation(annotation, tags.length)).toEqual([]);
    }
    const back = importDataset(zip);
    expect(back.records[0]?.marks.tags).toEqual(['megane', 'user:rainbows', 'user:zz-old']);
    expect(back.customTags).toEqual([
      { id: 'user:rainbows', label: 'Rainbows' },
      { id: 'user:zz-old', label: 'zz-old' },
    ]);
  });

  it('writes the documented files', () => {
    const all = files(exportDataset(records, opts));
    const ids = records.map((r) => urlId(r.url));
    expect(Object.keys(all).sort()).toEqual(
      [
        'README.txt',
        'dataset.json',
        'tags.json',
        'manifest.jsonl',
        `images/${ids[0]}.jpg`,
        `images/${ids[1]}.jpg`,
        `images/${ids[3]}.png`,
        `annotations/${ids[0]}.json`,
        `annotations/${ids[1]}.json`,
        `annotations/${ids[3]}.json`,
      ].sort(),
    );
    expect(JSON.parse(strFromU8(all['dataset.json']!))).toEqual({
      format: 'megane-dataset',
      version: 1,
      exportedAt: opts.exportedAt,
      extensionVersion: '0.1.0',
      count: 4,
    });
    const tags = JSON.parse(strFromU8(all['tags.json']!)) as { index: number; id: string; label: string }[];
    expect(tags.map((t) => t.id)).toEqual([...TAG_IDS]);
    expect(tags[6]).toEqual({ index: 6, id: 'face', label: 'Face' });
    expect(strFromU8(all['README.txt']!)).toContain('Region Cropper');

    const lines = strFromU8(all['manifest.jsonl']!)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatchObject({ id: ids[2], file: null, annotation: null, thumbnail: null });
    expect(lines[0]).toMatchObject({
      id: ids[0],
      file: `images/${ids[0]}.jpg`,
      annotation: `annotations/${ids[0]}.json`,
      thumbnail: { type: 'image/jpeg', width: 256, height: 192 },
      embedding: { dtype: 'float32le', length: 6 },
    });
    expect(all[`images/${ids[1]}.jpg`]).toEqual(jpeg(7));
  });

  it('writes a valid Region Cropper annotation for every thumbnail, in its pixels', () => {
    const all = files(exportDataset(records, opts));
    const annotations = Object.entries(all).filter(([name]) => name.startsWith('annotations/'));
    expect(annotations).toHaveLength(3);
    for (const [name, bytes] of annotations) {
      const json = JSON.parse(strFromU8(bytes)) as { file_name: string };
      expect(validateAnnotation(json), name).toEqual([]);
      expect(all[`images/${json.file_name}`], name).toBeDefined();
    }
    const first = JSON.parse(strFromU8(all[`annotations/${urlId(records[0]!.url)}.json`]!));
    expect(first).toEqual({
      generator: 'Region Cropper',
      file_name: `${urlId(records[0]!.url)}.jpg`,
      regions: [
        { probability: 0.91, label: 6, rect: { left: 25.6, top: 28.8, right: 89.6, bottom: 96 } },
        { probability: 1, label: 2, rect: { left: 0, top: 0, right: 256, bottom: 192 } },
      ],
    });
  });

  it('gives the same bytes for the same input', () => {
    expect(exportDataset(records, opts)).toEqual(exportDataset(records, opts));
    // A time stamp ZIP cannot hold still exports.
    expect(exportDataset(records, { ...opts, exportedAt: 0 })).toEqual(exportDataset(records, { ...opts, exportedAt: 0 }));
  });

  it('names the vocabulary tags in English whatever the browser language', async () => {
    const ja = await loadLocale('ja');
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((name: string, subs?: string | string[]) => lookUp(ja, name, subs));
    try {
      const tags = JSON.parse(strFromU8(unzipSync(exportDataset(records, opts))['tags.json']!)) as { id: string; label: string }[];
      expect(tags.find((t) => t.id === 'megane')?.label).toBe('Glasses (megane)');
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('hashes URLs with 64-bit FNV-1a', () => {
    expect(urlId('')).toBe('cbf29ce484222325');
    expect(urlId('a')).toBe('af63dc4c8601ec8c');
    expect(urlId('foobar')).toBe('85944171f73967e8');
    expect(urlId('https://img.example.com/a.jpg')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives clashing ids a suffix; the importer keeps the first of two lines for one URL', () => {
    const twice = [
      record('https://x/1.jpg'),
      record('https://x/1.jpg', { thumbnail: { type: 'image/jpeg', bytes: jpeg(9), width: 10, height: 10 } }),
    ];
    const zip = exportDataset(twice, opts);
    const id = urlId('https://x/1.jpg');
    expect(files(zip)[`images/${id}-2.jpg`]).toEqual(jpeg(9));
    const { records: back, problems } = importDataset(zip);
    expect(back).toEqual([twice[0]]);
    expect(problems).toEqual(['manifest.jsonl line 2: https://x/1.jpg is already on line 1; skipped']);
  });
});

describe('importDataset on bad input', () => {
  it.each([
    ['empty bytes', new Uint8Array()],
    ['random bytes', Uint8Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) % 256)],
    ['text', strToU8('manifest.jsonl\n{"url": "x"}')],
    ['a gzip header', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])],
  ])('throws a clear error for %s', (_name, bytes) => {
    expect(() => importDataset(bytes)).toThrow(/^Not a Megane dataset: the file is not a ZIP archive/);
  });

  it('throws for something that is not bytes', () => {
    expect(() => importDataset('hello' as unknown as Uint8Array)).toThrow(/^Not a Megane dataset: expected the bytes/);
  });

  it('throws for a ZIP without a manifest', () => {
    expect(() => importDataset(zipSync({ 'hello.txt': strToU8('hi') }))).toThrow('Not a Megane dataset: the ZIP has no manifest.jsonl');
  });

  it('throws for a ZIP of another format', () => {
    const zip = zipSync({ 'dataset.json': strToU8('{"format":"other"}'), 'manifest.jsonl': strToU8('') });
    expect(() => importDataset(zip)).toThrow('Not a Megane dataset: dataset.json says format "other", expected "megane-dataset"');
  });

  it('reads a manifest without dataset.json and says so', () => {
    const zip = altered((all) => delete all['dataset.json']);
    const { records: back, problems } = importDataset(zip);
    expect(back).toEqual(records);
    expect(problems).toEqual(['dataset.json: missing; reading manifest.jsonl as version 1']);
  });

  it('reads what it can from a newer version', () => {
    const zip = altered((all) => {
      all['dataset.json'] = strToU8(JSON.stringify({ format: 'megane-dataset', version: 9 }));
    });
    expect(importDataset(zip).problems).toEqual(['dataset.json: version 9 is newer than this Megane reads (1); reading what it can']);
  });

  type Line = Record<string, unknown>;
  const edit = (n: number, change: (line: Line) => void) =>
    altered((_all, lines) => {
      const line = JSON.parse(lines[n]!) as Line;
      change(line);
      lines[n] = JSON.stringify(line);
    });

  it.each<[string, () => Uint8Array, number, string[]]>([
    [
      'a line that is not JSON',
      () => altered((_all, lines) => (lines[1] = '{"url": "https://img.example.com/b.jpg",')),
      3,
      [/^manifest\.jsonl line 2: not valid JSON \(.+\); skipped$/.source],
    ],
    [
      'a line that is not an object',
      () => altered((_all, lines) => (lines[2] = '[1, 2]')),
      3,
      ['manifest.jsonl line 3: expected an object, got [1,2]; skipped'],
    ],
    ['a line without url', () => edit(0, (l) => delete l.url), 3, ['manifest.jsonl line 1: url undefined is not a URL; skipped']],
    [
      'a bad createdAt',
      () => edit(0, (l) => (l.createdAt = 'yesterday')),
      3,
      ['manifest.jsonl line 1: createdAt "yesterday" is not a time; skipped'],
    ],
    [
      'an unknown tag (dropped, the record kept)',
      () => edit(1, (l) => ((l.marks as Line).tags = ['nsfw', 'spaceship', 'cat'])),
      4,
      ['manifest.jsonl line 2: unknown tag "spaceship" in marks.tags; dropped'],
    ],
    [
      'only an unknown tag (nothing left to keep)',
      () => edit(3, (l) => ((l.marks as Line).tags = ['spaceship'])),
      3,
      ['manifest.jsonl line 4: unknown tag "spaceship" in marks.tags; dropped', 'manifest.jsonl line 4: no marks left; skipped'],
    ],
    [
      'an unknown tag score',
      () => edit(0, (l) => ((l.scores as { tags: Line }).tags.spaceship = 0.5)),
      4,
      ['manifest.jsonl line 1: unknown tag "spaceship" in scores.tags; dropped'],
    ],
    [
      'a bad verdict',
      () => edit(2, (l) => ((l.marks as Line).verdict = 'maybe')),
      3,
      ['manifest.jsonl line 3: marks.verdict "maybe" is not "hide", "show" or null; skipped'],
    ],
    [
      'like and dislike both set',
      () => edit(0, (l) => ((l.marks as Line).dislike = true)),
      3,
      ['manifest.jsonl line 1: marked both like and dislike; keeping neither', 'manifest.jsonl line 1: no marks left; skipped'],
    ],
    [
      'a missing image file',
      () => altered((all) => delete all[`images/${urlId(records[1]!.url)}.jpg`]),
      4,
      [`manifest.jsonl line 2: images/${urlId(records[1]!.url)}.jpg is missing from the ZIP; the thumbnail is dropped`],
    ],
    [
      'a file name that is not a file',
      () => edit(0, (l) => (l.file = '__proto__')),
      4,
      ['manifest.jsonl line 1: __proto__ is missing from the ZIP; the thumbnail is dropped'],
    ],
    [
      'an embedding that is not base64',
      () => edit(0, (l) => ((l.embedding as Line).base64 = '***')),
      4,
      ['manifest.jsonl line 1: embedding is not valid base64; dropped'],
    ],
    [
      'an embedding of the wrong length',
      () => edit(0, (l) => ((l.embedding as Line).length = 7)),
      4,
      ['manifest.jsonl line 1: embedding has 24 bytes, expected 28 for 7 floats; dropped'],
    ],
    [
      'an unknown model',
      () => edit(0, (l) => ((l.model as Line).id = 'resnet')),
      4,
      [
        'manifest.jsonl line 1: model {"id":"resnet","version":"nsfwjs-4.3.0"} is not a model this Megane knows; its scores and embedding are dropped',
      ],
    ],
    [
      'a bad face',
      () => edit(3, (l) => ((l.faces as unknown[])[1] = { left: 'x' })),
      4,
      ['manifest.jsonl line 4: faces[1] {"left":"x"} is not a face box; dropped'],
    ],
    [
      'a bad thumbnail size',
      () => edit(0, (l) => ((l.thumbnail as Line).width = 0)),
      4,
      ['manifest.jsonl line 1: thumbnail {"width":0,"height":192} is not {width, height} in whole pixels; dropped'],
    ],
    ['blank lines and CRLF', () => altered((_all, lines) => lines.splice(0, lines.length, '', ...lines.map((l) => `${l}\r`), '  ')), 4, []],
  ])('reports %s', (_name, make, count, expected) => {
    const { records: back, problems } = importDataset(make());
    expect(back).toHaveLength(count);
    expect(problems).toHaveLength(expected.length);
    problems.forEach((problem, i) => {
      const want = expected[i]!;
      if (want.startsWith('^')) expect(problem).toMatch(new RegExp(want));
      else expect(problem).toBe(want);
    });
  });

  it('never throws anything but a clear Error on damaged bytes', () => {
    const good = exportDataset(records, opts);
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 300; round += 1) {
      const bad = good.slice();
      const flips = 1 + Math.floor(random() * 8);
      for (let i = 0; i < flips; i += 1) bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
      try {
        const result = importDataset(round % 10 === 0 ? bad.subarray(0, Math.floor(random() * bad.length)) : bad);
        expect(Array.isArray(result.records)).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(/^Not (a Megane dataset|imported): /);
      }
    }
  });
});

describe('importDataset limits', () => {
  /** Bytes held by ArrayBuffers now: what an inflated entry would add to. */
  const buffers = () => process.memoryUsage().arrayBuffers;

  it('reads a small bomb as the real thing it is (the helper makes honest ZIPs)', async () => {
    const all = unzipSync(await zipBomb(['a.bin', 'b.bin'], 1_000_000));
    expect(Object.keys(all)).toEqual(['a.bin', 'b.bin']);
    expect(all['b.bin']?.length).toBe(1_000_000);
    expect(all['b.bin']?.every((b) => b === 0)).toBe(true);
  });

  it('refuses a file that unpacks to 600 MB before inflating it', async () => {
    const bomb = await zipBomb(['manifest.jsonl'], 600_000_000);
    expect(bomb.length).toBeLessThan(1_000_000);
    const before = buffers();
    expect(() => importDataset(bomb)).toThrow(
      /^Not imported: manifest\.jsonl unpacks to 600 MB, more than the 500 MB one file may\. .*ZIP bomb/,
    );
    expect(buffers() - before).toBeLessThan(20_000_000);
  });

  it('refuses overlapping entries that unpack to more than 1,000 MB together, inflating none', async () => {
    // Three names for one 400 MB file: each under the per-file limit, 1.2 GB together.
    const bomb = await zipBomb(['manifest.jsonl', 'images/a.jpg', 'images/b.jpg'], 400_000_000);
    const before = buffers();
    expect(() => importDataset(bomb)).toThrow(/^Not imported: its files unpack to more than 1,000 MB\./);
    expect(buffers() - before).toBeLessThan(20_000_000);
  });

  it('does not count annotations/, which it never inflates', async () => {
    const bomb = await zipBomb(['annotations/a.json', 'annotations/b.json', 'annotations/c.json'], 400_000_000);
    expect(() => importDataset(bomb)).toThrow('Not a Megane dataset: the ZIP has no manifest.jsonl');
  });

  it('refuses more entries than the limit', () => {
    const files: Zippable = { 'manifest.jsonl': strToU8('') };
    for (let i = 0; i < 10; i += 1) files[`images/${i}.jpg`] = jpeg(i);
    expect(() => importDataset(zipSync(files), { ...ZIP_LIMITS, entries: 10 })).toThrow(/^Not imported: it has more than 10 files\./);
    expect(importDataset(zipSync(files), { ...ZIP_LIMITS, entries: 11 }).records).toEqual([]);
  });

  it('refuses a file larger than the limit without reading it', () => {
    expect(datasetFileTooLarge(ZIP_LIMITS.fileBytes)).toBeNull();
    expect(datasetFileTooLarge(1_500_000_000)).toMatch(/^Not imported: the file is 1,500 MB, more than 1,000 MB\./);
    expect(() => importDataset(exportDataset(records, opts), { ...ZIP_LIMITS, fileBytes: 100 })).toThrow(/^Not imported: the file is/);
  });

  it('says why it refused as data too, for the options page to word', () => {
    expect(datasetSizeRefusal(1_500_000_000)).toEqual({ kind: 'file-too-large', size: '1,500 MB', limit: '1,000 MB' });
    const refused = (() => {
      try {
        importDataset(zipSync({ 'readme.txt': strToU8('hi') }));
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(DatasetRefused);
    expect((refused as DatasetRefused).refusal).toEqual({ kind: 'no-manifest' });
  });
});
