// Which elements of a frame paint which image URLs. A mutation observer and the load events of images
// and stylesheets only queue elements; the look at each one runs later in time-budgeted slices and
// ends in one call of `found`. What is done with an element's images is the caller's business.
// Covering before paint is done by CSS (cover-style.ts) and precover.ts, which start earlier.
import { cssImageUrls, elementUrl, kindOf } from './image-sources';
import { createSliceRunner } from './slice-runner';

/** Attributes whose change can change the image an element shows. */
const WATCHED_ATTRIBUTES = ['src', 'srcset', 'sizes', 'style', 'class', 'poster', 'href', 'xlink:href', 'type'];

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
  const runner = createSliceRunner<Element>((el) => options.found(el, paintedBy(el)), signal, { budgetMs: 6, maxItems: 400 });
  const queueTree = (root: Element) => {
    runner.push(root);
    for (const el of root.querySelectorAll('*')) runner.push(el);
  };

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') {
        if (record.target instanceof Element) runner.push(record.target);
      } else {
        for (const node of record.addedNodes) if (node instanceof Element) queueTree(node);
      }
    }
    options.changed?.();
  });
  observer.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  queueTree(doc.documentElement);
  // A stylesheet that loads gives elements backgrounds without a mutation: look at the tree again.
  doc.addEventListener(
    'load',
    (event) => {
      if (event.target instanceof HTMLLinkElement || event.target instanceof HTMLStyleElement) queueTree(doc.documentElement);
    },
    { capture: true, signal },
  );

  function paintedBy(el: Element): Painted {
    if (!el.isConnected) return 'gone';
    const urls = imageUrlsOf(el);
    if (urls === 'loading') return urls;
    return urls.length === 0 || isTiny(el) ? [] : urls;
  }

  /** The URLs an element shows, 'loading' while an <img> is still loading (its load event re-queues it). */
  function imageUrlsOf(el: Element): string[] | 'loading' {
    const kind = kindOf(el);
    if (kind === 'img' || kind === 'input') {
      const img = el as HTMLImageElement;
      if (!loadListeners.has(el)) {
        loadListeners.add(el);
        el.addEventListener('load', () => runner.push(el), { signal });
        el.addEventListener('error', () => runner.push(el), { signal });
      }
      if (kind === 'img' && !img.complete) return 'loading';
      // A broken <img> shows no pixels, but what the server sent still gets a defined outcome.
      if (kind === 'img' && !img.getAttribute('src') && !img.getAttribute('srcset')) return [];
    }
    if (kind) {
      const url = elementUrl(el, kind);
      return url ? [url] : [];
    }
    if (!(el instanceof HTMLElement) && !(el instanceof SVGElement)) return [];
    const view = doc.defaultView;
    return view ? cssImageUrls(view, el) : [];
  }

  function isTiny(el: Element): boolean {
    const min = options.minImageSize();
    if (min <= 0) return false;
    const rect = el.getBoundingClientRect();
    if (rect.width > 0 || rect.height > 0) return rect.width < min && rect.height < min;
    // Not laid out (display: none, a closed carousel): judge by the image itself so it is checked
    // before it can appear.
    if (el instanceof HTMLImageElement) return el.naturalWidth < min && el.naturalHeight < min;
    return false;
  }

  return { lookAgain: () => queueTree(doc.documentElement) };
}
