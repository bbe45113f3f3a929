// Shared by the train-*.test.ts files: mark records with real image thumbnails, exported with the
// extension's own exportDataset, so the trainer reads exactly what the options page writes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { exportDataset } from '../../src/marks/dataset-zip';
import type { MarkRecord, Marks } from '../../src/marks/mark-types';

export const GALLERY = resolve(import.meta.dirname, '..', 'fixtures', 'gallery');

export function markRecord(url: string, marks: Partial<Marks>, thumbnail: MarkRecord['thumbnail']): MarkRecord {
  return {
    url,
    pageUrl: 'https://example.com/page',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    marks: { like: false, dislike: false, verdict: null, tags: [], ...marks },
    model: null,
    scores: null,
    embedding: null,
    faces: [],
    thumbnail,
    imageSize: thumbnail ? { width: thumbnail.width, height: thumbnail.height } : null,
  };
}

/** A plain-colour JPEG thumbnail. */
export async function colourThumbnail(
  r: number,
  g: number,
  b: number,
  width = 32,
  height = 24,
): Promise<NonNullable<MarkRecord['thumbnail']>> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .jpeg()
    .toBuffer();
  return { type: 'image/jpeg', bytes: new Uint8Array(bytes), width, height };
}

/** A gallery image as the extension stores it: JPEG, at most `maxSide` px on the long side. */
export async function galleryThumbnail(file: string, maxSide = 256): Promise<NonNullable<MarkRecord['thumbnail']>> {
  const { data, info } = await sharp(readFileSync(join(GALLERY, file)))
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer({ resolveWithObject: true });
  return { type: 'image/jpeg', bytes: new Uint8Array(data), width: info.width, height: info.height };
}

export function exportZip(records: readonly MarkRecord[]): Uint8Array {
  return exportDataset(records, { exportedAt: 1_700_000_000_000, extensionVersion: 'test' });
}

/** The gallery's files by kind (index.json), sorted. */
export function galleryByKind(): { photos: string[]; drawings: string[] } {
  const index = JSON.parse(readFileSync(join(GALLERY, 'index.json'), 'utf8')) as Array<{ file: string; kind: string }>;
  const files = (kind: string) =>
    index
      .filter((e) => e.kind === kind)
      .map((e) => e.file)
      .sort();
  return { photos: files('photo'), drawings: files('drawing') };
}
