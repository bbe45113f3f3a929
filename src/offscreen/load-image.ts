// Fetches an image with the extension's own host permissions (so cross-origin images need no CORS
// headers) within the fetch limits (fetch-limits.ts), refuses it if its header declares more pixels
// than the cap (image-header.ts), and decodes it straight to the model's input size in a decode
// worker that is terminated when its time runs out (decode-workers.ts). Every failure is a thrown
// Error whose message says only what kind of failure it was ("fetch failed", "no answer", "too
// large", "decode failed: ..."): the page chose the URL, so the HTTP status and sizes go to this
// document's console only.
import { browser } from 'wxt/browser';
import { headOf } from './blob-head';
import { type DecodeRequest, decodeBitmap, bitmapOptions, NSFW_RESIZE_QUALITY } from './decode-bitmap';
import { createDecodeWorkers } from './decode-workers';
import { FETCH_LIMITS, FetchError, type LimitedResponse, limitedFetch } from './fetch-limits';
import { HEADER_BYTES, imageSize, MAX_PIXELS, withinPixelCap } from './image-header';

export { NSFW_RESIZE_QUALITY };

/** Larger downloads are refused: no real image on a page needs more, and it bounds memory. */
export const MAX_IMAGE_BYTES = FETCH_LIMITS.maxBytes;

export async function fetchImage(url: string, signal: AbortSignal): Promise<Blob> {
  return readImage(await request(url, signal, false), url);
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
 * recognised by its bytes, within the image size cap). An `anonymous` job (ImageJob.anonymous) reads a
 * video whole too, within the same cap: a longer one is "couldn't check" and stays covered.
 */
export async function fetchSource(url: string, signal: AbortSignal, anonymous = false): Promise<Blob | RemoteVideo> {
  const started = await request(url, signal, anonymous);
  // A media element would ask with the browser's cookies: an anonymous job reads the video whole instead.
  if (!anonymous && /^video\//i.test(started.response.headers.get('content-type') ?? '')) {
    started.cancel();
    return new RemoteVideo(url.split('#')[0] ?? url);
  }
  return readImage(started, url);
}

/** The console line for a failure; the thrown Error keeps only its kind. */
function noted(url: string, error: unknown): Error {
  if (!(error instanceof FetchError)) return error as Error;
  console.info(`[Megane] couldn't check ${url.slice(0, 200)}: ${error.message} (${error.detail})`);
  return new Error(error.message);
}

async function request(url: string, signal: AbortSignal, anonymous: boolean): Promise<LimitedResponse> {
  try {
    return await limitedFetch(url, signal, FETCH_LIMITS, anonymous);
  } catch (error) {
    throw noted(url, error);
  }
}

async function readImage(started: LimitedResponse, url: string): Promise<Blob> {
  let blob: Blob;
  try {
    blob = await started.read();
  } catch (error) {
    throw noted(url, error);
  }
  if (blob.size === 0) throw noted(url, new FetchError('fetch returned no data', 'an empty body'));
  // Refused before anything decodes it: a small file can declare a huge bitmap.
  const size = imageSize(await headOf(blob, HEADER_BYTES));
  if (!withinPixelCap(size)) {
    throw noted(url, new FetchError('too large', `${size?.width} x ${size?.height} px, over the cap of ${MAX_PIXELS}`));
  }
  return blob;
}

let workers: ReturnType<typeof createDecodeWorkers> | null = null;

/** The decode workers, started on first use from the extension's own URL. */
function decodeWorkers() {
  workers ??= createDecodeWorkers(() => new Worker(browser.runtime.getURL('/decode-worker.js')));
  return workers;
}

/**
 * Decodes straight to the size a model needs. 'stretch' gives exactly size x size (what the NSFW
 * models expect); 'contain' gives `size` wide with the aspect ratio kept (the detectors letterbox).
 * createImageBitmap resizes while decoding (cheap, and the full image never reaches the model
 * backend), with NSFW_RESIZE_QUALITY unless asked otherwise. SVG cannot go through createImageBitmap
 * from a blob, so it is rasterised via an <img>. With a `signal`, an image decodes in a decode
 * worker that the signal's abort terminates. A VideoFrame is one frame of an animated image
 * (animation-frames.ts), scaled the same way.
 */
export async function decodeAtSize(
  source: Blob | VideoFrame,
  size: number,
  fit: 'stretch' | 'contain' = 'stretch',
  quality: 'low' | 'high' = NSFW_RESIZE_QUALITY,
  signal?: AbortSignal,
): Promise<ImageBitmap> {
  const request: DecodeRequest = { size, fit, quality };
  if (source instanceof Blob && source.type.includes('svg')) return rasteriseSvg(source, bitmapOptions(request));
  // A whole image decodes in a worker, so a decode past its limit is stopped; an animation's frame is
  // decoded already and only scaled here.
  if (source instanceof Blob && signal) return decodeWorkers().decode(source, request, signal);
  return decodeBitmap(source, request);
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
