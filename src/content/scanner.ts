// Finds every image in this frame, keeps it covered until it has a verdict, and applies verdicts.
// The mutation observer only queues elements; the checks run in time-budgeted slices.
import type { ClassifyResult, FrameStats } from '../messaging/content-background';
import type { Settings } from '../settings/schema';
import type { ClassifyClient } from './classify-client';
import { SKIP_STATE, STATE_ATTR } from './cover-style';
import { decide, type Display } from './decide';
import { IMAGE_ELEMENT_SELECTOR, backgroundUrls, elementUrl, kindOf, routeOf } from './image-sources';
import { createLabelLayer } from './labels';
import { createSliceRunner } from './slice-runner';

/** Milliseconds each mutation callback may spend covering new background-image elements. */
const PRECOVER_BUDGET_MS = 4;

/** Budget for the precover pass over the whole tree when a stylesheet arrives during load. */
const SHEET_PRECOVER_BUDGET_MS = 12;
/** How long after start the per-frame stylesheet check keeps running at least. */
const SHEET_WATCH_MS = 3000;

/** Attributes whose change can change the image an element shows. */
const WATCHED_ATTRIBUTES = ['src', 'srcset', 'sizes', 'style', 'class', 'poster', 'href', 'xlink:href', 'type'];

interface Tracked {
  urls: string[];
  results: (ClassifyResult | undefined)[];
  display: Display;
}

export interface Scanner {
  /** Re-decides every image from its stored scores (threshold or policy changed). */
  reapply(settings: Settings): void;
  /** Checks every image again from scratch (model or size rule changed). */
  rescan(settings: Settings): void;
  stats(): FrameStats;
}

export function startScanner(
  doc: Document,
  initialSettings: Settings,
  client: ClassifyClient,
  signal: AbortSignal,
): Scanner {
  let settings = initialSettings;
  const tracked = new Map<Element, Tracked>();
  const revealedUrls = new Set<string>();
  const loadListeners = new WeakSet<Element>();
  const labels = createLabelLayer(doc, (el) => reveal(el), signal);

  const runner = createSliceRunner<Element>(inspect, signal, { budgetMs: 6, maxItems: 400 });
  const queueTree = (root: Element) => {
    runner.push(root);
    for (const el of root.querySelectorAll('*')) runner.push(el);
  };

  // Mutation callbacks run before the next paint. Tag-based images are covered by CSS already; an
  // element whose stylesheet gives it a background image is not, so new elements get a quick
  // background check here (within a small budget; the slices catch the rest) and are covered at once.
  // The budget starts after the first style read: that read pays for the style recalculation the
  // coming paint needs anyway, and must not eat the budget of the checks themselves.
  const precoverer = (budgetMs: number) => {
    let deadline = 0;
    return (el: Element): boolean => {
      if (deadline === 0) {
        if (doc.body) doc.defaultView?.getComputedStyle(doc.body).backgroundImage;
        deadline = performance.now() + budgetMs;
      } else if (performance.now() > deadline) return false;
      if (!el.hasAttribute(STATE_ATTR) && kindOf(el) === null && hasBackgroundImage(el)) el.setAttribute(STATE_ATTR, 'pending');
      return true;
    };
  };
  const precoverTree = () => {
    const precover = precoverer(SHEET_PRECOVER_BUDGET_MS);
    for (const el of doc.querySelectorAll('body *')) if (!precover(el)) break;
  };
  const observer = new MutationObserver((records) => {
    const precover = precoverer(PRECOVER_BUDGET_MS);
    for (const record of records) {
      if (record.type === 'attributes') {
        if (record.target instanceof Element) {
          precover(record.target);
          runner.push(record.target);
        }
      } else {
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          precover(node);
          runner.push(node);
          for (const el of node.querySelectorAll('*')) {
            precover(el);
            runner.push(el);
          }
        }
      }
    }
    labels.update();
  });
  observer.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
  // The page may have parsed (and styled) elements while settings loaded: cover those now.
  precoverTree();
  queueTree(doc.documentElement);
  // A stylesheet that arrives after its elements were parsed gives them background images without
  // any DOM mutation. While the page loads, check before every paint (animation frame callbacks run
  // just before it) whether a stylesheet has arrived, and if so precover the whole tree at once.
  let sheetCount = -1; // the first frame always looks: the page may have run ahead while settings loaded
  const loadStarted = performance.now();
  const watchSheets = () => {
    if (signal.aborted) return;
    if (doc.styleSheets.length !== sheetCount) {
      sheetCount = doc.styleSheets.length;
      precoverTree();
      queueTree(doc.documentElement);
    }
    if (doc.readyState !== 'complete' || performance.now() - loadStarted < SHEET_WATCH_MS) requestAnimationFrame(watchSheets);
  };
  requestAnimationFrame(watchSheets);
  // Later stylesheets (added by scripts) are caught when they load.
  doc.addEventListener(
    'load',
    (event) => {
      if (event.target instanceof HTMLLinkElement || event.target instanceof HTMLStyleElement) queueTree(doc.documentElement);
    },
    { capture: true, signal },
  );

  // One click reveals a covered image, and must not also follow a link the image sits in.
  const onClick = (event: Event) => {
    for (const target of event.composedPath()) {
      if (!(target instanceof Element)) continue;
      const state = tracked.get(target)?.display.state;
      if (state === 'nsfw' || state === 'error') {
        event.preventDefault();
        event.stopImmediatePropagation();
        reveal(target);
        return;
      }
    }
  };
  doc.defaultView?.addEventListener('click', onClick, { capture: true, signal });

  signal.addEventListener('abort', () => {
    observer.disconnect();
    for (const el of doc.querySelectorAll(`[${STATE_ATTR}]`)) el.removeAttribute(STATE_ATTR);
    tracked.clear();
  });

  let statsTimer: ReturnType<typeof setTimeout> | undefined;
  const reportSoon = () => {
    if (statsTimer !== undefined || signal.aborted) return;
    statsTimer = setTimeout(() => {
      statsTimer = undefined;
      if (!signal.aborted) client.reportStats(scanner.stats());
    }, 300);
  };

  function inspect(el: Element): void {
    if (!el.isConnected) {
      forget(el);
      return;
    }
    const urls = imageUrlsOf(el);
    if (urls === 'wait') {
      // A new src is loading: whatever was decided for the old one no longer holds.
      forget(el);
      if (el.hasAttribute(STATE_ATTR)) el.setAttribute(STATE_ATTR, 'pending');
      return;
    }
    if (urls.length === 0 || isTiny(el)) {
      forget(el);
      if (el.hasAttribute(STATE_ATTR) || el.matches(IMAGE_ELEMENT_SELECTOR)) {
        el.setAttribute(STATE_ATTR, SKIP_STATE);
      }
      return;
    }
    const known = tracked.get(el);
    if (known && sameUrls(known.urls, urls)) return;
    const entry: Tracked = {
      urls,
      results: urls.map(() => undefined),
      display: { state: 'pending' },
    };
    tracked.set(el, entry);
    show(el, entry);
    urls.forEach((url, i) => {
      classify(el, url).then((result) => {
        // A newer entry (the element's image changed meanwhile) makes this answer stale.
        if (signal.aborted || tracked.get(el) !== entry) return;
        if (!result.ok) console.info(`[Megane] couldn't check ${url.slice(0, 200)}: ${result.error}`);
        entry.results[i] = result;
        show(el, entry);
      });
    });
  }

  /** The URLs an element shows, 'wait' while an <img> is still loading (its load event re-queues it). */
  function imageUrlsOf(el: Element): string[] | 'wait' {
    const kind = kindOf(el);
    if (kind === 'img' || kind === 'input') {
      const img = el as HTMLImageElement;
      if (!loadListeners.has(el)) {
        loadListeners.add(el);
        el.addEventListener('load', () => runner.push(el), { signal });
        el.addEventListener('error', () => runner.push(el), { signal });
      }
      if (kind === 'img' && !img.complete) return 'wait';
      // A broken <img> shows no pixels, but what the server sent still gets a defined outcome.
      if (kind === 'img' && !img.getAttribute('src') && !img.getAttribute('srcset')) return [];
    }
    if (kind) {
      const url = elementUrl(el, kind);
      return url ? [url] : [];
    }
    if (!(el instanceof HTMLElement) && !(el instanceof SVGElement)) return [];
    const view = doc.defaultView;
    return view ? backgroundUrls(view.getComputedStyle(el).backgroundImage) : [];
  }

  function hasBackgroundImage(el: Element): boolean {
    const view = doc.defaultView;
    return !!view && (el instanceof HTMLElement || el instanceof SVGElement) && view.getComputedStyle(el).backgroundImage.includes('url(');
  }

  function isTiny(el: Element): boolean {
    const min = settings.minImageSize;
    if (min <= 0) return false;
    const rect = el.getBoundingClientRect();
    if (rect.width > 0 || rect.height > 0) return rect.width < min && rect.height < min;
    // Not laid out (display: none, a closed carousel): judge by the image itself so it is checked
    // before it can appear.
    if (el instanceof HTMLImageElement) return el.naturalWidth < min && el.naturalHeight < min;
    return false;
  }

  function classify(el: Element, url: string): Promise<ClassifyResult> {
    switch (routeOf(url)) {
      case 'fetch':
        return client.classifyUrl(url);
      case 'rasterise':
        return el instanceof HTMLImageElement
          ? client.classifyElementPixels(url, el, settings)
          : Promise.resolve({ ok: false, error: 'blob: image outside an <img> element' });
      case 'unsupported':
        return Promise.resolve({ ok: false, error: `can't fetch ${url.slice(0, url.indexOf(':') + 1)} images` });
    }
  }

  function show(el: Element, entry: Tracked): void {
    const revealed = entry.urls.some((u) => revealedUrls.has(u));
    entry.display = decide(entry.results, settings, revealed);
    el.setAttribute(STATE_ATTR, entry.display.state);
    const { display } = entry;
    if (display.state === 'nsfw') labels.set(el, display.label, 'Click to show this image');
    else if (display.state === 'error') labels.set(el, display.label, display.error);
    else labels.remove(el);
    reportSoon();
  }

  function reveal(el: Element): void {
    const entry = tracked.get(el);
    if (!entry) return;
    for (const url of entry.urls) revealedUrls.add(url);
    show(el, entry);
  }

  function forget(el: Element): void {
    if (tracked.delete(el)) {
      labels.remove(el);
      reportSoon();
    }
  }

  const scanner: Scanner = {
    reapply(next) {
      settings = next;
      for (const [el, entry] of tracked) {
        if (el.isConnected) show(el, entry);
        else forget(el);
      }
    },
    rescan(next) {
      settings = next;
      client.clear();
      tracked.clear();
      queueTree(doc.documentElement);
    },
    stats() {
      const stats: FrameStats = { checked: 0, covered: 0, failed: 0, pending: 0 };
      for (const [el, { results, display }] of tracked) {
        if (!el.isConnected) {
          forget(el);
          continue;
        }
        if (display.state === 'pending') stats.pending++;
        if (display.state === 'nsfw' || display.state === 'error') stats.covered++;
        if (results.some((r) => r && !r.ok)) stats.failed++;
        else if (results.every((r) => r?.ok)) stats.checked++;
      }
      return stats;
    },
  };
  return scanner;
}

function sameUrls(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((u, i) => u === b[i]);
}
