// What canvas-watch.ts needs to tell when a page redrew a canvas, kept pure for table tests: a
// fingerprint is the canvas drawn down to FINGERPRINT_SIDE x FINGERPRINT_SIDE RGBA pixels, and a
// drawing's key (the "URL" the verdict store and the classify client know it by) is a hash of its
// fingerprint: a redraw gives a new key, and a drawing shown again (a reader going back a page) keeps
// its verdict and the user's reveal. Sampling is bounded: a canvas on screen is
// looked at every VISIBLE_SAMPLE_MS, one off screen every HIDDEN_SAMPLE_MS, and for INPUT_BURST_MS
// after the user's own input (a reader turns its page on a click, a key or a swipe) one on screen
// every INPUT_SAMPLE_MS.

/** Side of the fingerprint in pixels: 32 x 32 RGBA is 4 KiB per canvas. */
export const FINGERPRINT_SIDE = 32;
/** How often a canvas on screen is sampled for a redraw. */
export const VISIBLE_SAMPLE_MS = 500;
/** How often a canvas on screen is sampled in the moments after the user's input. */
export const INPUT_SAMPLE_MS = 100;
/** How long after the user's input canvases on screen are sampled at INPUT_SAMPLE_MS. */
export const INPUT_BURST_MS = 1500;
/** How often a canvas off screen (or not laid out) is sampled: pre-rendered pages are shown later. */
export const HIDDEN_SAMPLE_MS = 2000;
/**
 * How long a blank canvas stays covered waiting for its drawing, from when it was first read blank:
 * a reader that draws its page within this is covered from the first paint; a canvas that stays blank
 * (never drawn, or WebGL, whose pixels read as blank once shown) is then let go.
 */
export const BLANK_GRACE_MS = 3000;
/** Prefix of every canvas key; no URL the pipeline fetches starts with it. */
export const CANVAS_KEY_PREFIX = 'canvas:';

/** Whether nothing is drawn: every pixel fully transparent (a new canvas, or one cleared). */
export function isBlank(rgba: ArrayLike<number>): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 0) return false;
  return true;
}

/** The key of a drawing: two 32-bit FNV-1a hashes of its fingerprint (different seeds), in hex. */
export function drawingKey(rgba: ArrayLike<number>): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ rgba.length;
  for (let i = 0; i < rgba.length; i++) {
    const byte = rgba[i] ?? 0;
    a = Math.imul(a ^ byte, 0x01000193);
    b = Math.imul(b ^ byte, 0x5bd1e995) ^ (b >>> 15);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `${CANVAS_KEY_PREFIX}${hex(a)}${hex(b)}`;
}

/** The key of a canvas whose pixels cannot be read (tainted): one per canvas, as it can never be compared. */
export function unreadableKey(canvasId: number): string {
  return `${CANVAS_KEY_PREFIX}unreadable:${canvasId}`;
}

/**
 * Whether a canvas last sampled at `sampledAt` is due for another look at `now`; `inputAt` is when the
 * user last clicked, pressed a key, scrolled or touched (-Infinity for never).
 */
export function isDue(sampledAt: number, now: number, visible: boolean, inputAt = Number.NEGATIVE_INFINITY): boolean {
  if (!visible) return now - sampledAt >= HIDDEN_SAMPLE_MS;
  const afterInput = now - inputAt < INPUT_BURST_MS;
  return now - sampledAt >= (afterInput ? INPUT_SAMPLE_MS : VISIBLE_SAMPLE_MS);
}

/**
 * Whether a canvas is too small to check, like an image: both sides of its laid-out box under `min`
 * CSS pixels, or, when it is not laid out (display: none, a page not yet shown), both sides of its
 * bitmap.
 */
export function isTinyCanvas(box: { width: number; height: number }, bitmap: { width: number; height: number }, min: number): boolean {
  if (min <= 0) return false;
  const { width, height } = box.width > 0 || box.height > 0 ? box : bitmap;
  return width < min && height < min;
}
