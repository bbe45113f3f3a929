// Fetches an image with the extension's own host permissions (so cross-origin images need no CORS
// headers) and decodes it straight to the model's input size. Every failure is a thrown Error with
// a message a person can read in the "couldn't check" label's tooltip and the console.

/** Larger downloads are refused: no real image on a page needs more, and it bounds memory. */
import { thumbnailSize } from './thumbnail-size';

export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

/**
 * The resizeQuality that ships for the NSFW models and detectors: the filter closest to the bilinear
 * resize nsfwjs (and our heads' training) use. `npm run bench` compares every quality against nsfwjs
 * and labels this one "shipped" (numbers: docs/benchmark.md, "Agreement with nsfwjs").
 */
export const NSFW_RESIZE_QUALITY = 'low' satisfies ResizeQuality;

export async function fetchImage(url: string, signal: AbortSignal): Promise<Blob> {
  return readImage(await request(url, signal), signal);
}

/**
 * A video file the offscreen document plays from its URL (video-frames.ts): the media element asks
 * for the byte ranges the frames it seeks to need, so neither the whole file nor a size cap applies.
 * An extension page with host permissions reads the frames of a video from another origin.
 */
export class RemoteVideo {
  constructor(readonly url: string) {}
}

/**
 * What the model host scores at `url`: a video the server labels as one (`video/*`) is not downloaded
 * here but played from its URL; anything else is read whole, as an image (a mislabelled video is then
 * recognised by its bytes, within the image size cap).
 */
export async function fetchSource(url: string, signal: AbortSignal): Promise<Blob | RemoteVideo> {
  const response = await request(url, signal);
  if (/^video\//i.test(response.headers.get('content-type') ?? '')) {
    void response.body?.cancel().catch(() => {});
    return new RemoteVideo(url.split('#')[0] ?? url);
  }
  return readImage(response, signal);
}

async function request(url: string, signal: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal, credentials: 'include', cache: 'force-cache' });
  } catch (error) {
    if (signal.aborted) throw new Error(`fetch timed out`);
    throw new Error(`fetch failed: ${(error as Error).message}`);
  }
  if (!response.ok) throw new Error(`fetch failed: HTTP ${response.status}`);
  return response;
}

async function readImage(response: Response, signal: AbortSignal): Promise<Blob> {
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_IMAGE_BYTES) {
    void response.body?.cancel().catch(() => {});
    throw new Error(`image too large (${length} bytes)`);
  }
  const blob = await response.blob().catch((error: Error) => {
    throw new Error(signal.aborted ? 'fetch timed out' : `fetch failed: ${error.message}`);
  });
  if (blob.size === 0) throw new Error('fetch returned no data');
  if (blob.size > MAX_IMAGE_BYTES) throw new Error(`image too large (${blob.size} bytes)`);
  return blob;
}

/**
 * Decodes straight to the size a model needs. 'stretch' gives exactly size x size (what the NSFW
 * models expect); 'contain' gives `size` wide with the aspect ratio kept (the detectors letterbox).
 * createImageBitmap resizes while decoding (cheap, and the full image never reaches the model
 * backend), with NSFW_RESIZE_QUALITY unless asked otherwise. SVG cannot go through createImageBitmap
 * from a blob, so it is rasterised via an <img>. A VideoFrame is one frame of an animated image
 * (animation-frames.ts), scaled the same way.
 */
export async function decodeAtSize(
  source: Blob | VideoFrame,
  size: number,
  fit: 'stretch' | 'contain' = 'stretch',
  quality: 'low' | 'high' = NSFW_RESIZE_QUALITY,
): Promise<ImageBitmap> {
  const options: ImageBitmapOptions = {
    resizeWidth: size,
    ...(fit === 'stretch' ? { resizeHeight: size } : {}),
    resizeQuality: quality,
    colorSpaceConversion: 'default',
    premultiplyAlpha: 'none',
  };
  if (source instanceof Blob && source.type.includes('svg')) return rasteriseSvg(source, options);
  try {
    if (quality === 'high' && fit === 'stretch') return await viaThumbnail(source, size);
    return await createImageBitmap(source, options);
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

async function rasteriseSvg(blob: Blob, options: ImageBitmapOptions): Promise<ImageBitmap> {
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.src = url;
    await img.decode().catch(() => {
      throw new Error('decode failed: invalid SVG');
    });
    // An SVG without intrinsic size still draws at the requested size.
    return await createImageBitmap(img, options);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Rejects with `message` if `work` has not settled within `ms`, and aborts it. */
export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>, message: string): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(message));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
