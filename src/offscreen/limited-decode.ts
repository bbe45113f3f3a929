// Fetches an image and decodes it at the sizes the models need, within limits that keep one bad image
// or server from holding anything up: fetch slots per host and in total (a host that never answers
// holds only its own share while its requests time out), decode slots that only a fetched image takes
// (so no server can hold one), a backstop on the fetch and a decode time limit counted from the last
// decoded frame, and a bound on the images decoded and not yet scored (`maxDecodedImages`): their
// pixels wait in memory for the models, so when the models fall behind (twenty tabs, a slow detector)
// the next images wait as downloads, in order, instead of piling up as bitmaps. A job cancelled from
// outside stops wherever it is and throws CANCELLED.
import { CANCELLED } from '../messaging/background-offscreen';
import { createHostSlots, hostOf } from './fetch-limits';
import type { Fit, ModelHostDeps, ModelHostOptions, ResizeQuality } from './model-host';

export type DecodeDeps<Source, Pixels> = Pick<ModelHostDeps<Source, Pixels>, 'loadSource' | 'toPixels' | 'eachFrame' | 'release'>;
export type DecodeLimits = Pick<
  ModelHostOptions,
  'decodeTimeoutMs' | 'fetchTimeoutMs' | 'maxConcurrentFetches' | 'maxFetchesPerHost' | 'maxConcurrentDecodes' | 'maxDecodedImages'
>;

/** An image's pixels: per frame, one per size asked for. `done()` once the models have them (or they were released). */
export interface Decoded<Pixels> {
  frames: Pixels[][];
  done(): void;
}

/** One size an image is decoded at, for one model. */
export interface DecodeSize {
  size: number;
  fit: Fit;
  quality?: ResizeQuality;
}

export function createLimitedDecoder<Source, Pixels>(deps: DecodeDeps<Source, Pixels>, options: DecodeLimits) {
  const fetchSlots = createHostSlots(options.maxFetchesPerHost, options.maxConcurrentFetches);
  const decodeSlots = createHostSlots(options.maxConcurrentDecodes, options.maxConcurrentDecodes);
  const decodedSlots = createHostSlots(options.maxDecodedImages, options.maxDecodedImages);

  /**
   * Fetches the image (within the fetch limits) and decodes each of its frames (one for a still image)
   * once per size needed, within the decode limit: per frame, its pixels in the order of `sizes`.
   */
  const decode = async (
    { url, anonymous = false }: { url: string; anonymous?: boolean },
    sizes: DecodeSize[],
    cancel: AbortSignal | undefined,
    priority: () => number = () => 0,
  ): Promise<Decoded<Pixels>> => {
    const controller = new AbortController();
    // A cancelled job stops wherever it is: waiting for a slot, downloading or decoding.
    let cancelled: (error: Error) => void = () => {};
    const onCancel = () => {
      controller.abort();
      cancelled(new Error(CANCELLED));
    };
    if (cancel?.aborted) throw new Error(CANCELLED);
    cancel?.addEventListener('abort', onCancel, { once: true });
    try {
      return await decodeWithin(url, anonymous, sizes, controller, (reject) => (cancelled = reject), priority);
    } finally {
      cancel?.removeEventListener('abort', onCancel);
    }
  };

  const decodeWithin = async (
    url: string,
    anonymous: boolean,
    sizes: DecodeSize[],
    controller: AbortController,
    onCancel: (reject: (error: Error) => void) => void,
    priority: () => number,
  ): Promise<Decoded<Pixels>> => {
    const releaseFetch = await fetchSlots.acquire(hostOf(url), controller.signal, priority);
    let releaseDecode = () => {};
    let releaseDecoded = () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const decoded: Pixels[] = [];
    const atSizes = async (frame: Source): Promise<Pixels[]> => {
      const pixels: Pixels[] = [];
      try {
        for (const { size, fit, quality } of sizes) {
          if (controller.signal.aborted) throw new Error('timed out');
          pixels.push(await deps.toPixels(frame, size, fit, quality, controller.signal));
        }
      } catch (error) {
        pixels.forEach((p) => deps.release(p));
        throw error;
      }
      decoded.push(...pixels); // released if the image fails later
      return pixels;
    };
    // The time limit counts from the last progress: each decoded frame of a video or an animation
    // starts it anew, so a long clip that decodes steadily is not cut off, and a stalled one is.
    let timedOut: (error: Error) => void = () => {};
    const arm = (ms = options.decodeTimeoutMs) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        controller.abort();
        timedOut(new Error(`timed out after ${Math.round(ms / 1000)} s`));
      }, ms);
    };
    const frameDone = async (frame: Source): Promise<Pixels[]> => {
      const pixels = await atSizes(frame);
      arm();
      return pixels;
    };
    const limit = new Promise<never>((_, reject) => {
      timedOut = reject;
      onCancel(reject);
    });
    try {
      // The fetch runs on its own limits; the decode limit starts once the image is here.
      arm(options.fetchTimeoutMs);
      const source = await Promise.race([deps.loadSource(url, controller.signal, anonymous), limit]);
      clearTimeout(timer);
      // The fetch slot is kept until a decode slot is free, so fetched images waiting are bounded too;
      // first a place among the decoded images (no time limit: the models free them as they score).
      releaseDecoded = await Promise.race([decodedSlots.acquire('', controller.signal, priority), limit]);
      releaseDecode = await decodeSlots.acquire('', controller.signal);
      releaseFetch();
      arm();
      const work = (async () => {
        const frames = deps.eachFrame ? await deps.eachFrame(source, controller.signal, frameDone, url) : null;
        return frames ?? [await atSizes(source)];
      })();
      // The place goes with the pixels; the models free it once they have scored them.
      return { frames: await Promise.race([work, limit]), done: releaseDecoded };
    } catch (error) {
      decoded.forEach((p) => deps.release(p));
      releaseDecoded();
      throw error;
    } finally {
      clearTimeout(timer);
      releaseFetch();
      releaseDecode();
    }
  };

  return decode;
}
