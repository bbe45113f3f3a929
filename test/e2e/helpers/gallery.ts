// The gallery fixtures as tests see them: test/fixtures/gallery/index.json, read once.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../fixtures');
export const GALLERY_DIR = join(FIXTURES_DIR, 'gallery');

export interface GalleryImage {
  /** File name, served at `${imageOrigin}/${file}` by the demo server. */
  file: string;
  kind: 'photo' | 'drawing';
  subject: string;
}

let cached: GalleryImage[] | undefined;

/** Every gallery image (all ordinary, safe-for-work pictures). */
export function galleryImages(): GalleryImage[] {
  cached ??= JSON.parse(readFileSync(join(GALLERY_DIR, 'index.json'), 'utf8')) as GalleryImage[];
  return cached;
}
