// When the page's own decoded pixels are checked instead of a second download (issue #11, "the model
// sees what the page shows"): a second download of a URL that answers a different picture each time
// (a "random image" URL, a server that cloaks) would check another picture than the one shown. The
// pixels can be read when the picture is of the frame's own origin, or was loaded with CORS (an
// <img crossorigin> that loaded at all was approved); anything else taints the canvas.

/** How one picture of an element is checked. */
export type CheckPlan =
  /** Downloaded again by the extension (the only way for pixels the page cannot read). */
  | 'url'
  /** From the element's own pixels only (a JPEG: one frame, the one shown). */
  | 'pixels'
  /** Both, the worse answer holds: the pixels of the frame shown, the download for every frame. */
  | 'both';

/** The little of an <img> the plan reads, so it is table-tested without a DOM. */
export interface ImageShape {
  readonly complete: boolean;
  readonly naturalWidth: number;
  readonly currentSrc: string;
  readonly src: string;
  readonly crossOrigin: string | null;
}

/**
 * How `url`, the picture of `img` (null for an element that is not an <img>), is checked in a frame of
 * origin `frameOrigin`. A picture the page cannot read, or one that is not this element's loaded
 * picture right now, is downloaded as before.
 */
export function planCheck(img: ImageShape | null, url: string, frameOrigin: string): CheckPlan {
  if (!img || !/^https?:/i.test(url) || !img.complete || img.naturalWidth <= 0) return 'url';
  if ((img.currentSrc || img.src) !== url) return 'url';
  if (img.crossOrigin === null && originOf(url) !== frameOrigin) return 'url';
  return mayBeAnimated(url) ? 'both' : 'pixels';
}

/**
 * Whether the picture may have frames the page has not shown yet (GIF, WebP, APNG, AVIF): the drawn
 * element gives one frame, the download gives them all (each-frame.ts). Judged by the URL's path,
 * the only thing known before a download: a JPEG name (.jpg, .jpeg, .jfif) is taken at its word,
 * anything else (no extension at all included) may be animated. A server that sends an animated GIF
 * under a .jpg name is checked on the frame shown only, which is still the picture the page shows.
 */
export function mayBeAnimated(url: string): boolean {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {}
  return !/\.(?:jpe?g|jfif)$/i.test(path);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** The cap on the rasterised picture's long side: the largest input any model reads (detectors: 512). */
export const MAX_PIXEL_SIDE = 512;

/**
 * The long side the page's pixels are rasterised at: the NSFW model's input size alone, or the cap
 * when a detector or a trained model (whose input size the page does not know) reads the picture
 * too. The offscreen document resizes it like any image, letterboxing for the detectors.
 */
export function pixelSide(modelInputSize: number, detectors: number, trained: boolean): number {
  return Math.min(MAX_PIXEL_SIDE, detectors > 0 || trained ? MAX_PIXEL_SIDE : modelInputSize);
}

/** The rasterised size: the long side at most `side`, aspect ratio kept, never upscaled. */
export function fitWithin(width: number, height: number, side: number): { width: number; height: number } {
  if (!(width > 0 && height > 0)) return { width: side, height: side };
  const scale = Math.min(1, side / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
