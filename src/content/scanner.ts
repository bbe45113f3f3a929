// Finds every image in this frame, keeps it covered until it has a verdict, and applies verdicts.
// The mutation observer only queues elements; the checks run in time-budgeted slices.
// Covering before paint is done by CSS (cover-style.ts) and precover.ts, which start earlier.
import { browser } from 'wxt/browser';
import { applyMark, emptyMarks } from '../marks/apply-mark';
import type { MarkAction, Marks, Verdict } from '../marks/mark-types';
import { isBackgroundToContent } from '../messaging/background-content';
import type { ClassifyResult, FrameStats } from '../messaging/content-background';
import type { Settings } from '../settings/schema';
import type { ClassifyClient } from './classify-client';
import { SKIP_STATE, STATE_ATTR, clearStates } from './cover-style';
import { decide, percent, type Display } from './decide';
import { IMAGE_ELEMENT_SELECTOR, cssImageUrls, elementUrl, kindOf, routeOf } from './image-sources';
import { createLabelLayer } from './labels';
import { createMarkControls } from './mark-controls';
import { createSliceRunner } from './slice-runner';
import { neededDetectors, topTags } from '../tags/tag-rules';
import { tagLabel } from '../tags/vocabulary';

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
  /** Checks every image again from scratch (model, detectors or size rule changed). */
  rescan(settings: Settings): void;
  /**
   * Asks for every image's scores again without covering it meanwhile (a new personal model scores
   * the learned tags anew); each answer re-decides its image, and a failed one keeps the old scores.
   */
  refresh(settings: Settings): void;
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
  /** The user's marks per image URL: from the background with each answer, and from marking here. */
  const marksByUrl = new Map<string, Marks>();
  const controls = createMarkControls(doc, (el, action) => mark(el, action), () => settings.customTags, signal);

  const runner = createSliceRunner<Element>(inspect, signal, { budgetMs: 6, maxItems: 400 });
  const queueTree = (root: Element) => {
    runner.push(root);
    for (const el of root.querySelectorAll('*')) runner.push(el);
  };

  // The observer only queues; precover.ts covers stylesheet backgrounds before they paint.
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') {
        if (record.target instanceof Element) runner.push(record.target);
      } else {
        for (const node of record.addedNodes) if (node instanceof Element) queueTree(node);
      }
    }
    labels.update();
  });
  observer.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
  queueTree(doc.documentElement);
  // A stylesheet that loads gives elements backgrounds without a mutation: look at the tree again.
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
      if (state === 'nsfw' || state === 'hidden' || state === 'error') {
        event.preventDefault();
        event.stopImmediatePropagation();
        reveal(target);
        return;
      }
    }
  };
  doc.defaultView?.addEventListener('click', onClick, { capture: true, signal });

  // Hovering a checked image can show its top tags (a setting, off by default) and the mark buttons
  // (a setting, on by default).
  const onPointerOver = (event: Event) => {
    for (const target of event.composedPath()) {
      if (!(target instanceof Element)) continue;
      const entry = tracked.get(target);
      if (!entry) continue;
      if (settings.showTagsOnHover) {
        const scores = entry.results.find((r) => r?.ok);
        labels.hint(target, scores?.ok ? topTags(scores.scores, 3, settings).map((t) => `${tagLabel(t.id, settings.customTags)} ${percent(t.score)}`).join(' · ') : '');
      }
      if (settings.showMarkControls && entry.display.state !== 'pending') controls.show(target, marksOf(entry), isCovered(entry));
      return;
    }
  };
  const onPointerOut = (event: Event) => {
    labels.hint(null);
    if (event.composedPath().some((t) => t instanceof Element && tracked.has(t))) controls.leave();
  };
  doc.addEventListener('pointerover', onPointerOver, { capture: true, passive: true, signal });
  doc.addEventListener('pointerout', onPointerOut, { capture: true, passive: true, signal });

  // A mark made from the context menu arrives from the background; apply it here at once.
  const onMessage = (message: unknown) => {
    if (!isBackgroundToContent(message)) return;
    marksByUrl.set(message.url, message.marks);
    if (message.marks.verdict === 'hide') revealedUrls.delete(message.url);
    showUrl(message.url);
  };
  browser.runtime.onMessage.addListener(onMessage);
  signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onMessage), { once: true });

  signal.addEventListener('abort', () => {
    observer.disconnect();
    clearStates(doc);
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
    requestScores(el, entry);
  }

  /** Classifies each of the entry's URLs and shows the element again as each answer arrives. */
  function requestScores(el: Element, entry: Tracked, keepOnFailure = false): void {
    entry.urls.forEach((url, i) => {
      classify(el, url).then((result) => {
        // A newer entry (the element's image changed meanwhile) makes this answer stale.
        if (signal.aborted || tracked.get(el) !== entry) return;
        if (!result.ok && keepOnFailure && entry.results[i]?.ok) return;
        if (!result.ok) console.info(`[Megane] couldn't check ${url.slice(0, 200)}: ${result.error}`);
        if (result.marks && !marksByUrl.has(url)) marksByUrl.set(url, result.marks);
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
    return view ? cssImageUrls(view, el) : [];
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
        return client.classifyUrl(url, neededDetectors(settings));
      case 'rasterise':
        return el instanceof HTMLImageElement
          ? client.classifyElementPixels(url, el, settings, neededDetectors(settings))
          : Promise.resolve({ ok: false, error: 'blob: image outside an <img> element' });
      case 'unsupported':
        return Promise.resolve({ ok: false, error: `can't fetch ${url.slice(0, url.indexOf(':') + 1)} images` });
    }
  }

  function show(el: Element, entry: Tracked): void {
    const revealed = entry.urls.some((u) => revealedUrls.has(u));
    entry.display = decide(entry.results, settings, revealed, verdictOf(entry));
    el.setAttribute(STATE_ATTR, entry.display.state);
    const { display } = entry;
    if (display.state === 'nsfw' || display.state === 'hidden') labels.set(el, display.label, 'Click to show this image');
    else if (display.state === 'error') labels.set(el, display.label, display.error);
    else labels.remove(el);
    controls.refresh(el, marksOf(entry), isCovered(entry));
    reportSoon();
  }

  /** The marks of the element's image (its first, for an element with several background layers). */
  function marksOf(entry: Tracked): Marks | undefined {
    return marksByUrl.get(entry.urls[0] ?? '');
  }

  /** Hide wins over show when an element's layers disagree. */
  function verdictOf(entry: Tracked): Verdict | null {
    const verdicts = entry.urls.map((u) => marksByUrl.get(u)?.verdict ?? null);
    return verdicts.includes('hide') ? 'hide' : verdicts.includes('show') ? 'show' : null;
  }

  function isCovered(entry: Tracked): boolean {
    return !['safe', 'error-shown', 'revealed'].includes(entry.display.state);
  }

  function showUrl(url: string): void {
    for (const [el, entry] of tracked) if (entry.urls.includes(url) && el.isConnected) show(el, entry);
  }

  /** Applies a mark at once (so a correction shows immediately), then stores it; a failed save is undone. */
  function mark(el: Element, action: MarkAction): void {
    const entry = tracked.get(el);
    const url = entry?.urls[0];
    if (!entry || !url) return;
    const before = marksByUrl.get(url);
    marksByUrl.set(url, applyMark(before ?? emptyMarks(), action));
    // Saying "hide" takes back a click-to-reveal on this page.
    if (action.kind === 'verdict' && action.verdict === 'hide') entry.urls.forEach((u) => revealedUrls.delete(u));
    showUrl(url);
    void client.mark(url, doc.location.href, action).then((reply) => {
      if (signal.aborted) return;
      if (reply.ok) marksByUrl.set(url, reply.marks);
      else {
        if (before) marksByUrl.set(url, before);
        else marksByUrl.delete(url);
        console.warn(`[Megane] ${reply.error}`);
        controls.note(`Not saved: ${reply.error}`);
      }
      showUrl(url);
    });
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
    refresh(next) {
      settings = next;
      client.clear();
      for (const [el, entry] of tracked) {
        if (el.isConnected) requestScores(el, entry, true);
        else forget(el);
      }
    },
    stats() {
      const stats: FrameStats = { checked: 0, covered: 0, failed: 0, pending: 0 };
      for (const [el, { results, display }] of tracked) {
        if (!el.isConnected) {
          forget(el);
          continue;
        }
        if (display.state === 'pending') stats.pending++;
        if (display.state === 'nsfw' || display.state === 'hidden' || display.state === 'error') stats.covered++;
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
