// The content script's side of the classify channel: one request per distinct URL in this frame,
// one retry when the service worker was restarted mid-request, and a defined error otherwise (in the
// user's language: a label's tooltip or a note under the mark buttons shows it).
import { isEmptyTally, type Tally } from '../stats/daily-stats';
import { i18n } from '#i18n';
import type { MarkAction } from '../marks/mark-types';
import {
  ASK_AGAIN,
  sendContentToBackground,
  type ClassifyResult,
  type ContentToBackground,
  type FrameStats,
  type MarkReply,
  type Place,
} from '../messaging/content-background';
import { MODELS } from '../model/catalog';
import type { Settings } from '../settings/schema';
import type { Detector } from '../tags/vocabulary';
import { errorText } from '../util/checks';
import { fitWithin, pixelSide } from './own-pixels';

type ClassifyRequest = Extract<ContentToBackground, { type: 'classify-url' | 'classify-pixels' }>;

/** What the settings say about the size the pixels are rasterised at. */
type SizeSettings = Pick<Settings, 'model' | 'trainedModel'>;

/** What classifyOwnPixels answers when the canvas is tainted: the caller downloads the image instead. */
export const UNREADABLE = Symbol('unreadable');

export function createClassifyClient(send: typeof sendContentToBackground = sendContentToBackground) {
  const results = new Map<string, Promise<ClassifyResult>>();
  /** The keys of `results` whose answer has come. */
  const answered = new Set<string>();
  const ownResults = new Map<string, Promise<ClassifyResult | typeof UNREADABLE>>();

  async function request(msg: ClassifyRequest): Promise<ClassifyResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        const reply = await send(msg);
        if (reply && typeof reply === 'object' && 'ok' in reply) {
          // The check is still on its way (a message may not wait over 5 minutes): ask again.
          if (!reply.ok && reply.error === ASK_AGAIN) {
            attempt = -1;
            continue;
          }
          return reply;
        }
        throw new Error(i18n.t('page.errors.noAnswer'));
      } catch (error) {
        if (attempt >= 1) return { ok: false, error: i18n.t('page.errors.extensionUnavailable', [errorText(error)]) };
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }

  async function classifyPixels(
    key: string,
    source: CanvasImageSource,
    settings: SizeSettings,
    detectors: Detector[],
  ): Promise<ClassifyResult> {
    let dataUrl: string;
    try {
      dataUrl = await rasterise(source, sideFor(settings, detectors));
    } catch (error) {
      return { ok: false, error: i18n.t('page.errors.unreadablePixels', [errorText(error)]) };
    }
    return request({ channel: 'content->background', type: 'classify-pixels', key, dataUrl, detectors });
  }

  const memo = (key: string, make: () => Promise<ClassifyResult>) => {
    let result = results.get(key);
    if (!result) {
      const made = make();
      result = made;
      results.set(key, made);
      void made.then(() => {
        if (results.get(key) === made) answered.add(key);
      });
    }
    return result;
  };

  return {
    /** `place`: where the image is now, which orders the check among other tabs' (check-priority.ts). */
    classifyUrl(url: string, detectors: Detector[], place?: Place): Promise<ClassifyResult> {
      return memo(`${detectors.join()}|${url}`, () =>
        request({ channel: 'content->background', type: 'classify-url', url, detectors, ...(place === undefined ? {} : { place }) }),
      );
    },
    /** Whether classifyUrl has this URL's answer already (it then costs no request and no wait). */
    answered(url: string, detectors: Detector[]): boolean {
      return answered.has(`${detectors.join()}|${url}`);
    },
    /**
     * This frame no longer wants the answer classifyUrl is waiting for: the background is told (the
     * check stops unless another frame waits for it), and the next classifyUrl asks afresh.
     */
    cancel(url: string, detectors: Detector[]): void {
      const key = `${detectors.join()}|${url}`;
      if (answered.has(key) || !results.delete(key)) return;
      send({ channel: 'content->background', type: 'cancel-check', url }).catch(() => {});
    },
    /**
     * blob: URLs cannot be fetched from another origin, and a canvas has no URL: rasterise the loaded
     * element here (see rasterise). A tainted canvas answers "couldn't read the image's pixels".
     */
    classifyElementPixels(key: string, source: CanvasImageSource, settings: SizeSettings, detectors: Detector[]): Promise<ClassifyResult> {
      return memo(`${detectors.join()}|${key}`, () => classifyPixels(key, source, settings, detectors));
    },
    /**
     * The picture an <img> shows at `url`, read from the page's own decoded pixels (own-pixels.ts) so
     * the check sees what the page shows; answered under `url`, for the marks. UNREADABLE when the
     * pixels cannot be read (a tainted canvas: a redirect to another origin, say): the caller
     * downloads the image instead.
     */
    classifyOwnPixels(
      url: string,
      img: HTMLImageElement,
      settings: SizeSettings,
      detectors: Detector[],
      place?: Place,
    ): Promise<ClassifyResult | typeof UNREADABLE> {
      const id = `${detectors.join()}|${url}`;
      let result = ownResults.get(id);
      if (!result) {
        result = (async () => {
          let dataUrl: string;
          try {
            // Decoded off the main thread first, so the draw does not decode a large picture in a page task.
            await img.decode().catch(() => {});
            dataUrl = await rasterise(img, sideFor(settings, detectors));
          } catch {
            return UNREADABLE;
          }
          return request({
            channel: 'content->background',
            type: 'classify-pixels',
            key: url,
            dataUrl,
            detectors,
            ...(place === undefined ? {} : { place }),
          });
        })();
        ownResults.set(id, result);
      }
      return result;
    },
    /**
     * One frame of a video stream only the page can read, as it shows now: not remembered, since the
     * next frame under the same key shows something else.
     */
    classifyVideoFrame(key: string, video: HTMLVideoElement, settings: SizeSettings, detectors: Detector[]): Promise<ClassifyResult> {
      return classifyPixels(`${key}#${video.currentTime}`, video, settings, detectors);
    },
    /** Forgets every answer (the model or the detectors changed). */
    clear(): void {
      results.clear();
      answered.clear();
      ownResults.clear();
    },
    /** Stores a mark; answers with the image's marks as stored, or a readable error. */
    async mark(url: string, pageUrl: string, action: MarkAction): Promise<MarkReply> {
      try {
        const reply = await send({ channel: 'content->background', type: 'mark-image', url, pageUrl, action });
        return reply && typeof reply === 'object' && 'ok' in reply ? reply : { ok: false, error: i18n.t('page.errors.noAnswer') };
      } catch (error) {
        return { ok: false, error: i18n.t('page.errors.extensionUnavailable', [errorText(error)]) };
      }
    },
    /** The frame's counts, and what was answered since the last report (left out when nothing was). */
    reportStats(stats: FrameStats, tally: Tally): void {
      const more = isEmptyTally(tally) ? {} : { tally };
      send({ channel: 'content->background', type: 'frame-stats', stats, ...more }).catch(() => {});
    },
  };
}

export type ClassifyClient = ReturnType<typeof createClassifyClient>;

/** The long side pixels are rasterised at for these settings (own-pixels.ts). */
const sideFor = (settings: SizeSettings, detectors: readonly Detector[]) =>
  pixelSide(MODELS[settings.model].inputSize, detectors.length, settings.trainedModel !== null);

/** The source's own size in pixels (0 x 0 when it has none to tell). */
function sizeOf(source: CanvasImageSource): { width: number; height: number } {
  if (source instanceof HTMLImageElement) return { width: source.naturalWidth, height: source.naturalHeight };
  if (source instanceof HTMLVideoElement) return { width: source.videoWidth, height: source.videoHeight };
  if (source instanceof HTMLCanvasElement || source instanceof OffscreenCanvas || source instanceof ImageBitmap) {
    return { width: source.width, height: source.height };
  }
  if (typeof VideoFrame !== 'undefined' && source instanceof VideoFrame)
    return { width: source.displayWidth, height: source.displayHeight };
  return { width: 0, height: 0 };
}

/**
 * The source's pixels now, as a PNG data: URL: aspect ratio kept, the long side at most `side` (the
 * largest input of the models that read it), never upscaled; the offscreen document resizes it like
 * any image (the detectors letterbox it, where a stretched square distorted them). Only the draw is
 * synchronous (it takes the frame a video shows at this moment); the PNG is encoded off the main
 * thread (convertToBlob), where a synchronous toDataURL held the page for up to tens of milliseconds
 * per sample, and a page of playing streams sampled together in one task stalled for most of a second.
 */
async function rasterise(source: CanvasImageSource, side: number): Promise<string> {
  const own = sizeOf(source);
  const { width, height } = fitWithin(own.width, own.height, side);
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, 0, 0, width, height);
  const png = await canvas.convertToBlob({ type: 'image/png' });
  return new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the encoded pixels'));
    reader.readAsDataURL(png);
  });
}
