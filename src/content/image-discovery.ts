// Which elements of a frame paint which image URLs. A mutation observer and the load events of images
// and stylesheets only queue elements; the look at each one runs later in time-budgeted slices and
// ends in one call of `found`. What is done with an element's images is the caller's business.
// Covering before paint is done by CSS (cover-style.ts) and precover.ts, which start earlier.
import { cssImageUrls, elementUrl, kindOf, namesAnImage } from './image-sources';
import { noteLookedAt, onRestyled } from './precover';
import { noteShadowRoot, onShadowRoot } from './shadow-roots';
import { createSliceRunner } from './slice-runner';
import { VIDEO_SEGMENT_S } from '../offscreen/video-times';
import { videoUrls } from './video-sources';

/** How long after a resize responsive images are compared each frame. */
const RESIZE_WATCH_MS = 2000;
/** How much longer the comparison goes on while one of them is still loading. */
const RESPONSIVE_LOAD_WATCH_MS = 30_000;

/** An <img> whose picture the browser picks (srcset candidates, <picture> sources), and can change. */
function isResponsive(img: HTMLImageElement): boolean {
  return img.hasAttribute('srcset') || img.parentElement?.localName === 'picture';
}

/** Attributes whose change can change the image an element shows. */
const WATCHED_ATTRIBUTES = ['src', 'srcset', 'sizes', 'style', 'class', 'poster', 'href', 'xlink:href', 'type', 'data'];

/**
 * What an element paints now: 'gone' once it left the document, 'loading' while an <img> loads a new
 * source (its load event looks again), else the image URLs Megane checks: empty for an element without
 * an image, or with one smaller than the minimum size.
 */
export type Painted = 'gone' | 'loading' | readonly string[];

export interface DiscoveryOptions {
  /** Images smaller than this (both sides, CSS pixels) are left alone; 0 checks every image. */
  minImageSize: () => number;
  /** Called for each element looked at, with what it paints. */
  found: (el: Element, painted: Painted) => void;
  /** Called after each batch of DOM changes (labels follow their elements). */
  changed?: () => void;
}

export interface ImageDiscovery {
  /** Looks at every element of the document again. */
  lookAgain(): void;
}

export function startImageDiscovery(doc: Document, options: DiscoveryOptions, signal: AbortSignal): ImageDiscovery {
  const loadListeners = new WeakSet<Element>();
  const runner = createSliceRunner<Element>(
    (el) => {
      noteShadowRoot(el);
      options.found(el, paintedBy(el));
    },
    signal,
    { budgetMs: 6, maxItems: 400 },
  );
  const queueTree = (root: Element | ShadowRoot) => {
    if (root.nodeType === Node.ELEMENT_NODE) runner.push(root as Element);
    for (const el of root.querySelectorAll('*')) runner.push(el);
  };
  const roots = new Set<ShadowRoot>();
  const lookAgain = () => {
    queueTree(doc.documentElement);
    for (const root of roots) if (root.host.isConnected) queueTree(root);
  };

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') {
        // A class can give the element's descendants other backgrounds (precover.ts covers them first).
        if (record.attributeName === 'class' && record.target instanceof Element) queueTree(record.target);
        else if (record.target instanceof Element) runner.push(record.target);
      } else {
        for (const node of record.addedNodes) if (node instanceof Element) queueTree(node);
      }
    }
    options.changed?.();
  });
  const observed = { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES };
  observer.observe(doc, observed);
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  queueTree(doc.documentElement);
  // A stylesheet that loads gives elements backgrounds without a mutation: look at the tree again.
  const onSheetLoad = (event: Event) => {
    if (event.target instanceof HTMLLinkElement || event.target instanceof HTMLStyleElement) lookAgain();
  };
  doc.addEventListener('load', onSheetLoad, { capture: true, signal });
  // Each shadow root is watched like the document (its load events do not leave it).
  onShadowRoot(
    doc,
    (root) => {
      if (roots.has(root)) return;
      roots.add(root);
      observer.observe(root, observed);
      root.addEventListener('load', onSheetLoad, { capture: true, signal });
      queueTree(root);
    },
    signal,
  );

  // Pictures that changed with no mutation (:hover, a media query, an animation, a CSSOM edit):
  // precover.ts covered the element already; it is looked at at once, before the paint, so an
  // answer already known (the cup again after the pointer leaves) shows in the same frame.
  onRestyled(doc, (el) => options.found(el, paintedBy(el)), signal);

  // attributeFilter never reports a namespaced attribute (xlink:href set with setAttributeNS), so each
  // SVG <image> gets an observer of its own without a filter; it looks at once, before the new
  // picture can load and paint.
  const svgImages = new WeakSet<Element>();
  const svgObserver = new MutationObserver((records) => {
    for (const { target } of records) if (target instanceof Element) options.found(target, paintedBy(target));
  });
  signal.addEventListener('abort', () => svgObserver.disconnect(), { once: true });

  // An image left alone as tiny is checked once it grows past the minimum size: a ResizeObserver
  // callback runs after layout and before the paint, and the style it sets is applied in that frame.
  const tinyOnes = new WeakSet<Element>();
  const tinyObserver = new ResizeObserver((entries) => {
    for (const { target } of entries) if (target.isConnected && !isTiny(target)) options.found(target, paintedBy(target));
  });
  signal.addEventListener('abort', () => tinyObserver.disconnect(), { once: true });

  // A <source media> or a srcset candidate that starts to apply after a resize (or a zoom) changes the
  // picture of an <img> with no mutation, and Chromium paints the new picture a frame or more before
  // its load event. So after a resize, and while a responsive <img> is still loading, each animation
  // frame (it runs before the paint) compares what each responsive <img> shows with what it was
  // looked at for, and looks again at once when they differ.
  const responsive = new Map<HTMLImageElement, string>();
  const view = doc.defaultView;
  let watchUntil = 0;
  let watching = false;
  const watchFrame = () => {
    watching = false;
    if (signal.aborted || !view) return;
    let loading = false;
    for (const [img, seen] of responsive) {
      if (!img.isConnected) responsive.delete(img);
      else if (img.currentSrc !== seen) options.found(img, paintedBy(img));
      else if (!img.complete) loading = true;
    }
    const now = performance.now();
    if (now < watchUntil || (loading && now < watchUntil + RESPONSIVE_LOAD_WATCH_MS)) watchResponsive(0);
  };
  const watchResponsive = (forMs: number) => {
    if (forMs > 0) watchUntil = Math.max(watchUntil, performance.now() + forMs);
    if (watching || !view || responsive.size === 0) return;
    watching = true;
    view.requestAnimationFrame(watchFrame);
  };
  view?.addEventListener('resize', () => watchResponsive(RESIZE_WATCH_MS), { signal });

  /**
   * A responsive <img> is looked at once, not in a later slice: a <source media> or srcset candidate
   * that applies after a resize gives it a new picture with no mutation, and it may be shown for its
   * old one. Any other <img> got its new source by a mutation, which covered it already.
   */
  function onLoad(event: Event): void {
    const el = event.currentTarget;
    if (!(el instanceof Element)) return;
    if (el instanceof HTMLImageElement && isResponsive(el)) options.found(el, paintedBy(el));
    else runner.push(el);
  }

  function paintedBy(el: Element): Painted {
    if (!el.isConnected) return 'gone';
    const urls = imageUrlsOf(el);
    if (urls === 'loading') return urls;
    if (urls.length === 0) return [];
    if (isTiny(el)) {
      if (!tinyOnes.has(el)) {
        tinyOnes.add(el);
        tinyObserver.observe(el);
      }
      return [];
    }
    if (tinyOnes.delete(el)) tinyObserver.unobserve(el);
    return urls;
  }

  /**
   * A <video> can start to play something else with no mutation (a srcObject, a <source> chosen, a
   * preload="none" video started): its media events look again at once, before its first frame.
   */
  const mediaListeners = new WeakSet<Element>();
  const onMediaChange = (event: Event) => {
    if (event.currentTarget instanceof Element) options.found(event.currentTarget, paintedBy(event.currentTarget));
  };
  // A long file is checked a segment at a time: playback (or a seek) into the next one looks again.
  const segmentPlaying = new WeakMap<Element, number>();
  const onTimeUpdate = (event: Event) => {
    const video = event.currentTarget;
    if (!(video instanceof HTMLVideoElement)) return;
    const segment = Math.floor(video.currentTime / VIDEO_SEGMENT_S);
    if (segmentPlaying.get(video) === segment) return;
    segmentPlaying.set(video, segment);
    options.found(video, paintedBy(video));
  };

  /** The URLs an element shows, 'loading' while an <img> is still loading (its load event re-queues it). */
  function imageUrlsOf(el: Element): readonly string[] | 'loading' {
    const kind = kindOf(el);
    if (kind === 'video') {
      if (!mediaListeners.has(el)) {
        mediaListeners.add(el);
        for (const type of ['loadstart', 'emptied', 'play']) el.addEventListener(type, onMediaChange, { signal });
        // 'seeking' comes before the frame sought is decoded: a seek ahead covers before it shows.
        for (const type of ['timeupdate', 'seeking']) el.addEventListener(type, onTimeUpdate, { signal });
      }
      return videoUrls(el as HTMLVideoElement);
    }
    if (kind === 'img' || kind === 'input') {
      const img = el as HTMLImageElement;
      if (!loadListeners.has(el)) {
        loadListeners.add(el);
        el.addEventListener('load', onLoad, { signal });
        el.addEventListener('error', onLoad, { signal });
      }
      if (kind === 'img' && isResponsive(img)) {
        responsive.set(img, img.currentSrc);
        if (!img.complete) watchResponsive(RESIZE_WATCH_MS);
      }
      if (kind === 'img' && !img.complete) return 'loading';
      // A broken <img> shows no pixels, but what the server sent still gets a defined outcome.
      if (kind === 'img' && !img.currentSrc && !namesAnImage(img)) return [];
    }
    if (kind === 'svg-image' && !svgImages.has(el)) {
      svgImages.add(el);
      svgObserver.observe(el, { attributes: true });
    }
    if (kind) {
      const url = elementUrl(el, kind);
      return url ? [url] : [];
    }
    if (!(el instanceof HTMLElement) && !(el instanceof SVGElement)) return [];
    const view = doc.defaultView;
    const urls = view ? cssImageUrls(view, el) : [];
    noteLookedAt(el, urls);
    return urls;
  }

  function isTiny(el: Element): boolean {
    const min = options.minImageSize();
    if (min <= 0) return false;
    const rect = el.getBoundingClientRect();
    if (rect.width > 0 || rect.height > 0) return rect.width < min && rect.height < min;
    // Not laid out (display: none, a closed carousel, just moved into a shadow root): judge by the
    // image itself so it is checked before it can appear. An image of no known size is not tiny: it is
    // checked (an element moved into a shadow root reads 0 x 0 with naturalWidth 0 for a moment, and
    // calling it tiny uncovered an image its verdict covers).
    if (el instanceof HTMLImageElement && (el.naturalWidth > 0 || el.naturalHeight > 0)) {
      return el.naturalWidth < min && el.naturalHeight < min;
    }
    return false;
  }

  return { lookAgain };
}
