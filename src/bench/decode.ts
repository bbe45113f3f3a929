// The two ways an image reaches the model: ours (createImageBitmap decodes straight to the model's size,
// src/offscreen/load-image.ts) and nsfwjs's (the page's full-size <img>, then tf.image.resizeBilinear
// inside classify). Plus our path with the other resizeQuality settings, to compare them.
import * as tf from '@tensorflow/tfjs';
import { normalizeImage } from '../model/preprocess';
import { decodeAtSize, fetchImage, NSFW_RESIZE_QUALITY } from '../offscreen/load-image';

export const RESIZE_QUALITIES = ['high', 'medium', 'low', 'pixelated'] as const satisfies readonly ResizeQuality[];

/** Fetches an image the way the offscreen host does (extension host permissions, fetch limits, no HTTP cache). */
export function fetchBlob(url: string): Promise<Blob> {
  return fetchImage(url, AbortSignal.timeout(30_000));
}

/** Our path. NSFW_RESIZE_QUALITY is exactly what ships (decodeAtSize); the others change only resizeQuality. */
export function decodeAtQuality(blob: Blob, size: number, quality: ResizeQuality): Promise<ImageBitmap> {
  if (quality === NSFW_RESIZE_QUALITY) return decodeAtSize(blob, size);
  return createImageBitmap(blob, {
    resizeWidth: size,
    resizeHeight: size,
    resizeQuality: quality,
    colorSpaceConversion: 'default',
    premultiplyAlpha: 'none',
  });
}

/**
 * nsfwjs's input: a decoded full-size <img>. Loaded from a blob: URL (same origin) so tf can read its
 * pixels; the URL is revoked once decoded, the element keeps its pixels.
 */
export async function decodeFullSize(blob: Blob): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Our path up to predict's input, as the model host does it: bitmap at model size -> [size, size, 3] int32. */
export async function decodeToPixels(blob: Blob, size: number, quality: ResizeQuality = NSFW_RESIZE_QUALITY): Promise<tf.Tensor3D> {
  const bitmap = await decodeAtQuality(blob, size, quality);
  try {
    return tf.browser.fromPixels(bitmap);
  } finally {
    bitmap.close();
  }
}

/**
 * Either source as the model's input image ([size, size, 3] float 0..1): /255, plus nsfwjs's bilinear
 * resize (alignCorners) when the source is not size x size. Waits for the values so GPU work is counted.
 */
export async function toInputImage(source: ImageBitmap | HTMLImageElement, size: number): Promise<void> {
  const input = tf.tidy(() => normalizeImage(tf.browser.fromPixels(source), size));
  try {
    await input.data();
  } finally {
    input.dispose();
  }
}
