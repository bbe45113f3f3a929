// Decoding with createImageBitmap straight to a model's size, without the DOM, so the same code runs
// in the offscreen document (an animation's frames) and in the decode worker (whole images,
// decode-worker.ts).
import { thumbnailSize } from './thumbnail-size';

export type Fit = 'stretch' | 'contain';
export type Quality = 'low' | 'high';

/**
 * The resizeQuality that ships for the NSFW models and detectors: the filter closest to the bilinear
 * resize nsfwjs (and our heads' training) use. `npm run bench` compares every quality against nsfwjs
 * and labels this one "shipped" (numbers: docs/benchmark.md, "Agreement with nsfwjs").
 */
export const NSFW_RESIZE_QUALITY = 'low' satisfies ResizeQuality;

/** What to decode an image to: see decodeAtSize in load-image.ts. */
export interface DecodeRequest {
  size: number;
  fit: Fit;
  quality: Quality;
}

export function bitmapOptions({ size, fit, quality }: DecodeRequest): ImageBitmapOptions {
  return {
    resizeWidth: size,
    ...(fit === 'stretch' ? { resizeHeight: size } : {}),
    resizeQuality: quality,
    colorSpaceConversion: 'default',
    premultiplyAlpha: 'none',
  };
}

/** Decodes `source` as `request` says; throws a readable Error. */
export async function decodeBitmap(source: Blob | VideoFrame, request: DecodeRequest): Promise<ImageBitmap> {
  try {
    if (request.quality === 'high' && request.fit === 'stretch') return await viaThumbnail(source, request.size);
    return await createImageBitmap(source, bitmapOptions(request));
  } catch (error) {
    throw new Error(`decode failed: ${(error as Error).message || 'not an image'}`);
  }
}

/**
 * The route a trained model's images took: the image as a mark's thumbnail (at most 256 px on the long
 * side, smoothed), then stretched to the model's input, as the trainer decodes it.
 */
async function viaThumbnail(source: Blob | VideoFrame, size: number): Promise<ImageBitmap> {
  const full = await createImageBitmap(source, { colorSpaceConversion: 'default', premultiplyAlpha: 'none' });
  try {
    const { width, height } = thumbnailSize(full.width, full.height);
    const thumb = await createImageBitmap(full, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
    try {
      return await createImageBitmap(thumb, { resizeWidth: size, resizeHeight: size, resizeQuality: 'medium' });
    } finally {
      thumb.close();
    }
  } finally {
    full.close();
  }
}
