// Canvases (the `checkCanvases` setting, off by default): comic and manga readers draw their pages on
// <canvas>, which no URL names. Image discovery hands each canvas here while the setting is on; each is
// read, never written: drawn down into a small canvas of Megane's own (the page's canvas keeps its
// context and its pixels), and the fingerprint says whether anything is drawn and whether it changed.
// A drawn canvas goes to the scanner under its drawing's key (canvas-fingerprint.ts), so it is covered
// at once and its pixels are checked at model size like a blob: image (classify-client.ts); a redraw
// gives a new key, covered at once and checked again. A tainted canvas (a cross-origin image drawn
// without CORS) cannot be read: it is "couldn't check", by the onError policy. A blank canvas is
// covered for a grace period (BLANK_GRACE_MS), so a page's first drawing is covered from its first
// paint, then let go if still blank (WebGL canvases read as blank: they are not checked).
// Redraws make no event the content script can see, so canvases are sampled at a bounded rate, on
// screen more often than off and more often still just after the user's input (canvas-fingerprint.ts),
// within a time budget per tick, least recently sampled first. With the setting off no canvas is
// read or marked: the scanner hands none over.
import {
  BLANK_GRACE_MS,
  FINGERPRINT_SIDE,
  INPUT_SAMPLE_MS,
  drawingKey,
  isBlank,
  isDue,
  isTinyCanvas,
  unreadableKey,
} from './canvas-fingerprint';
import { COVERED, STATE_ATTR } from './cover-style';
import type { Painted } from './image-discovery';

/** Milliseconds one sampling tick may spend reading canvases; the rest wait for the next tick. */
const TICK_BUDGET_MS = 8;
/** How often the sampling tick runs; each canvas is read only when due (canvas-fingerprint.ts). */
const TICK_MS = INPUT_SAMPLE_MS;
/** The user's own input after which a reader may turn its page. */
const INPUT_EVENTS = ['pointerup', 'keydown', 'wheel', 'touchend'] as const;
/**
 * A canvas discovery hands over again within this many milliseconds of its last read (a page
 * animating its style) is told what it painted then, without another read.
 */
const REREAD_AFTER_MS = 100;

export interface CanvasWatchOptions {
  minImageSize: () => number;
  /**
   * What a canvas paints now, as image discovery reports an element: its drawing's key; [] for nothing
   * to check (tiny, or blank for longer than the grace period); 'loading' while it is blank and
   * covered, waiting for its first drawing; 'gone'.
   */
  found: (canvas: HTMLCanvasElement, painted: Painted) => void;
}

export interface CanvasWatch {
  /** Looks at a canvas now and from now on watches it for redraws (image discovery found it). */
  look(canvas: HTMLCanvasElement): void;
  /** Stops watching every canvas and lets each go as painting nothing (the setting was switched off). */
  release(): void;
}

/** What the scanner was last told of a canvas: a drawing's key, or one of these. */
type Told = string | 'blank' | 'nothing';

interface Watched {
  id: number;
  told: Told | null;
  /** When it was first read blank since its last drawing; null while it shows one. */
  blankSince: number | null;
  tainted: boolean;
  visible: boolean;
  sampledAt: number;
}

export function startCanvasWatch(doc: Document, options: CanvasWatchOptions, signal: AbortSignal): CanvasWatch {
  const watched = new Map<HTMLCanvasElement, Watched>();
  let nextId = 0;
  const reader = createFingerprintReader();

  const visibility = new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      const entry = watched.get(target as HTMLCanvasElement);
      if (!entry) continue;
      const appeared = isIntersecting && !entry.visible;
      entry.visible = isIntersecting;
      // Drawn while off screen, now shown: look at once rather than at the next tick.
      if (appeared) sample(target as HTMLCanvasElement, entry, false);
    }
  });

  // Only the user's own input: a page cannot make Megane read its canvases faster.
  let inputAt = Number.NEGATIVE_INFINITY;
  const onInput = (event: Event) => {
    if (event.isTrusted) inputAt = performance.now();
  };
  for (const type of INPUT_EVENTS) doc.defaultView?.addEventListener(type, onInput, { capture: true, passive: true, signal });

  let timer: ReturnType<typeof setInterval> | undefined;
  const stopTimer = () => {
    clearInterval(timer);
    timer = undefined;
  };
  signal.addEventListener(
    'abort',
    () => {
      stopTimer();
      visibility.disconnect();
      watched.clear();
    },
    { once: true },
  );

  function tick(): void {
    if (doc.visibilityState === 'hidden') return;
    const now = performance.now();
    const deadline = now + TICK_BUDGET_MS;
    for (const [canvas, entry] of [...watched]) {
      if (performance.now() > deadline) break;
      if (isDue(entry.sampledAt, now, entry.visible, inputAt)) sample(canvas, entry, false);
    }
  }

  /** Reads the canvas and tells the scanner what it paints, if that changed (or always, when `force`). */
  function sample(canvas: HTMLCanvasElement, entry: Watched, force: boolean): void {
    const now = performance.now();
    entry.sampledAt = now;
    // Least recently sampled first: a tick that runs out of time goes on with the others next time.
    watched.delete(canvas);
    if (!canvas.isConnected) {
      visibility.unobserve(canvas);
      if (watched.size === 0) stopTimer();
      options.found(canvas, 'gone');
      return;
    }
    watched.set(canvas, entry);
    const told = look(canvas, entry, now);
    if (told === entry.told && !force) return;
    entry.told = told;
    tell(canvas, told);
  }

  function look(canvas: HTMLCanvasElement, entry: Watched, now: number): Told {
    if (isTinyCanvas(canvas.getBoundingClientRect(), canvas, options.minImageSize())) {
      entry.blankSince = null;
      return 'nothing';
    }
    if (entry.tainted) return unreadableKey(entry.id);
    const print = reader.read(canvas);
    if (print === 'unreadable') {
      entry.tainted = true;
      return unreadableKey(entry.id);
    }
    if (!isBlank(print)) {
      entry.blankSince = null;
      return drawingKey(print);
    }
    // A blank canvas is covered a while (invisible: nothing is drawn) so that the drawing a page makes
    // soon is covered from its first paint; one blank for longer (never drawn, or WebGL, whose pixels
    // read as blank once shown) is let go.
    entry.blankSince ??= now;
    return now - entry.blankSince < BLANK_GRACE_MS ? 'blank' : 'nothing';
  }

  function tell(canvas: HTMLCanvasElement, told: Told): void {
    if (told === 'blank') {
      // As precover.ts does for a CSS background: a page may add cover, and the scanner takes it off.
      if (!canvas.hasAttribute(STATE_ATTR)) canvas.setAttribute(STATE_ATTR, COVERED);
      options.found(canvas, 'loading');
    } else options.found(canvas, told === 'nothing' ? [] : [told]);
  }

  return {
    look(canvas) {
      if (signal.aborted) return;
      let entry = watched.get(canvas);
      if (!entry) {
        if (!canvas.isConnected) return options.found(canvas, 'gone');
        entry = { id: nextId++, told: null, blankSince: null, tainted: false, visible: true, sampledAt: Number.NEGATIVE_INFINITY };
        watched.set(canvas, entry);
        visibility.observe(canvas);
        timer ??= setInterval(tick, TICK_MS);
      }
      if (canvas.isConnected && entry.told !== null && performance.now() - entry.sampledAt < REREAD_AFTER_MS) tell(canvas, entry.told);
      else sample(canvas, entry, true);
    },
    release() {
      stopTimer();
      visibility.disconnect();
      const canvases = [...watched.keys()];
      watched.clear();
      for (const canvas of canvases) options.found(canvas, canvas.isConnected ? [] : 'gone');
    },
  };
}

/** Above this many pixels a canvas is first drawn down to STEP_SIDE with plain bilinear sampling. */
const STEP_ABOVE_PIXELS = 600 * 600;
const STEP_SIDE = 256;

/**
 * Draws a canvas down to its fingerprint in a small canvas of Megane's own. 'unreadable' when the
 * page's canvas is tainted (reading it throws a SecurityError); the small canvases, tainted in turn,
 * are replaced.
 * The last step averages each fingerprint pixel over its area ('medium' smoothing, mipmaps), so a
 * change anywhere in it moves the fingerprint; a large canvas first goes down to 256 px with plain
 * bilinear sampling, since averaging all of a 2000 x 2800 page costs several times as much (the
 * canvas bench). That step reads about one source pixel in ten of such a page: a redraw of the whole
 * page (a reader turning it) always shows, a change to a small part of a large canvas may not.
 */
export function createFingerprintReader(): { read(canvas: HTMLCanvasElement): Uint8ClampedArray | 'unreadable' } {
  let small: OffscreenCanvasRenderingContext2D | null = null;
  let step: OffscreenCanvasRenderingContext2D | null = null;
  const context = (side: number, quality: ImageSmoothingQuality) => {
    const made = new OffscreenCanvas(side, side).getContext('2d', { willReadFrequently: true });
    if (!made) throw new Error('no 2D canvas');
    made.imageSmoothingQuality = quality;
    return made;
  };
  return {
    read(canvas) {
      if (canvas.width === 0 || canvas.height === 0) return new Uint8ClampedArray(FINGERPRINT_SIDE * FINGERPRINT_SIDE * 4);
      small ??= context(FINGERPRINT_SIDE, 'medium');
      try {
        let source: HTMLCanvasElement | OffscreenCanvas = canvas;
        if (canvas.width * canvas.height > STEP_ABOVE_PIXELS) {
          step ??= context(STEP_SIDE, 'low');
          step.clearRect(0, 0, STEP_SIDE, STEP_SIDE);
          step.drawImage(canvas, 0, 0, STEP_SIDE, STEP_SIDE);
          source = step.canvas;
        }
        small.clearRect(0, 0, FINGERPRINT_SIDE, FINGERPRINT_SIDE);
        small.drawImage(source, 0, 0, FINGERPRINT_SIDE, FINGERPRINT_SIDE);
        return small.getImageData(0, 0, FINGERPRINT_SIDE, FINGERPRINT_SIDE).data;
      } catch {
        small = null;
        step = null;
        return 'unreadable';
      }
    },
  };
}
