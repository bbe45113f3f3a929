// Test images: the CC0/public-domain photos and drawings in test/fixtures/gallery/, decoded with sharp to
// raw RGB so Node tests feed models the same pixels a browser's fromPixels would.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import sharp from 'sharp';

/** MEGANE_GALLERY points tests (and measurements) at another folder of images, e.g. a private set. */
export const GALLERY_DIR = resolve(process.env.MEGANE_GALLERY ?? resolve(import.meta.dirname, '..', 'fixtures', 'gallery'));

const IMAGE_EXT = /\.(jpe?g|png|webp|gif|avif|tiff?)$/i;

/** Image files under the gallery (recursively), sorted for stable test order; [] if it does not exist. */
export function galleryFiles(dir: string = GALLERY_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && IMAGE_EXT.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export interface RgbImage {
  /** Path relative to the gallery, for messages. */
  name: string;
  width: number;
  height: number;
  /** Row-major RGB bytes, length width * height * 3. */
  data: Uint8Array;
}

/**
 * Decodes an image to 8-bit sRGB without alpha. `maxSide` shrinks big photos first (keeping them larger
 * than any model input, so the model's own resize still runs) to keep tests fast.
 */
export async function decodeRgb(file: string, maxSide = 640): Promise<RgbImage> {
  const { data, info } = await sharp(file, { animated: false })
    .rotate() // honour EXIF orientation, as browsers do
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${file}: decoded to ${info.channels} channels`);
  return { name: relative(GALLERY_DIR, file), width: info.width, height: info.height, data: new Uint8Array(data) };
}
