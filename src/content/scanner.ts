// One frame's images from discovery to what is shown: image-discovery.ts finds which elements paint
// which URLs, this module asks for their scores, verdict-store.ts keeps what each element got and
// decides, presenter.ts shows it, and page-input.ts turns the user's clicks and hovers into reveals
// and mark buttons. Covering before paint is done by CSS (cover-style.ts) and precover.ts, which start
// earlier.
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import type { MarkAction } from '../marks/mark-types';
import { type BackgroundToContent, type BackgroundToContentReplies, isBackgroundToContent } from '../messaging/background-content';
import { type Handlers, dispatch } from '../messaging/protocol';
import type { ClassifyResult, FrameStats } from '../messaging/content-background';
import type { Settings } from '../settings/schema';
import { neededDetectors } from '../tags/tag-rules';
import { CANVAS_KEY_PREFIX } from './canvas-fingerprint';
import { startCanvasWatch } from './canvas-watch';
import { type ClassifyClient, UNREADABLE } from './classify-client';
import { startImageDiscovery, type Painted } from './image-discovery';
import { routeOf } from './image-sources';
import { type CheckPlan, planCheck } from './own-pixels';
import { listenToPageInput } from './page-input';
import { createPresenter } from './presenter';
import { DROPPED, createRequestQueue } from './request-queue';
import { createVerdictStore, type Tracked } from './verdict-store';
import { sampleVideo } from './video-sampler';
import { nextSegment } from './video-sources';
import { watchNear, watchViewportTiers } from './viewport-tiers';
import { decide, isCoveredState } from './decide';

/**
 * How long an image may wait for its verdict unlabelled: after this it says "Still checking — click to
 * show" (a hung server or backend, or a long queue), so nothing stays blurred without a way out.
 */
export const STILL_CHECKING_MS = 4_000;

/**
 * Checks in flight at once from one frame, of which at most FAR_LIMIT for images far from the viewport:
 * enough to keep the model host's fetch slots and batches full, few enough that a newly visible image
 * is next (request-queue.ts).
 */
const IN_FLIGHT = 16;
const FAR_LIMIT = 8;
/**
 * Images far from the viewport wait until the page has loaded, or this long: the page's own loading
 * goes first. Measured on a 1,000-photo gallery (`npm run bench:profile`): the page loaded in 9.9–11.6 s
 * while Megane checked far images too, 7.8 s with none (5.3 s without Megane).
 */
const FAR_WAITS_FOR_LOAD_MS = 10_000;

/** What a check of the page's pixels answers when the element no longer shows the picture. */
const GONE = Symbol('gone');

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

export function startScanner(doc: Document, initialSettings: Settings, client: ClassifyClient, signal: AbortSignal): Scanner {
  let settings = initialSettings;
  const store = createVerdictStore<Element>();
  const presenter = createPresenter(doc, () => settings, { reveal, mark }, signal);
  const tiers = watchViewportTiers(doc, () => queue.moved(), signal);
  const started = Date.now();
  const queue = createRequestQueue<Element>({
    limit: IN_FLIGHT,
    farLimit: FAR_LIMIT,
    farPaused: () => doc.readyState !== 'complete' && Date.now() - started < FAR_WAITS_FOR_LOAD_MS,
    slotMs: STILL_CHECKING_MS,
    graceMs: 250,
    tierOf: tiers.tierOf,
    settled: (el) => tiers.unobserve(el),
  });
  signal.addEventListener('abort', () => queue.clear(), { once: true });
  if (doc.readyState !== 'complete') {
    // A page's own 'load' events cannot start anything early: farPaused reads readyState.
    doc.defaultView?.addEventListener('load', () => queue.moved(), { once: true, signal });
    const timer = setTimeout(() => queue.moved(), FAR_WAITS_FOR_LOAD_MS);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  }
  const minImageSize = () => settings.minImageSize;
  // With `checkCanvases` on, canvases are canvas-watch.ts's: it reads them and reports their drawings.
  const canvases = startCanvasWatch(doc, { minImageSize, found }, signal);
  const discovered = (el: Element, painted: Painted) =>
    settings.checkCanvases && el instanceof HTMLCanvasElement ? canvases.look(el) : found(el, painted);
  const discovery = startImageDiscovery(doc, { minImageSize, found: discovered, changed: presenter.changed }, signal);
  const pageInput = listenToPageInput(
    doc,
    {
      entryOf: (el) => store.get(el),
      reveal,
      hover: (el, entry) => presenter.hover(el, entry, store.marksOf(entry)),
      pointerLeft: presenter.pointerLeft,
    },
    signal,
  );

  // A mark made from the context menu arrives from the background; apply it here at once.
  const handlers: Handlers<BackgroundToContent, BackgroundToContentReplies> = {
    'marks-changed': async (message) => {
      store.receiveMarks(message.url, message.marks);
      showUrl(message.url);
      return undefined;
    },
    // The shortcut: the frame the pointer is in reveals the covered image under it.
    'reveal-under-pointer': async () => {
      pageInput.revealUnderPointer();
      return undefined;
    },
  };
  // The frame answers nothing, so the listener never keeps the channel open.
  const onMessage = (message: unknown) => {
    if (isBackgroundToContent(message)) void dispatch(handlers, message);
  };
  browser.runtime.onMessage.addListener(onMessage);
  signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onMessage), { once: true });

  // Stopping leaves every state as it is: only the caller, on the user's settings, uncovers.
  signal.addEventListener('abort', () => store.clear(), { once: true });

  let statsTimer: ReturnType<typeof setTimeout> | undefined;
  const reportNow = () => {
    clearTimeout(statsTimer);
    statsTimer = undefined;
    if (!signal.aborted) client.reportStats(scanner.stats(), store.takeTally());
  };
  const reportSoon = () => {
    if (statsTimer === undefined && !signal.aborted) statsTimer = setTimeout(reportNow, 300);
  };
  // A report still waiting when the page goes away is sent now: its tally would be lost with it.
  doc.defaultView?.addEventListener('pagehide', () => statsTimer !== undefined && reportNow(), { signal });

  function found(el: Element, painted: Painted): void {
    look(el, painted);
    // The next segment of a long video file is checked while this one plays (the client remembers it).
    const next = el instanceof HTMLVideoElement && Array.isArray(painted) ? nextSegment(el) : null;
    if (next) void client.classifyUrl(next, neededDetectors(settings));
  }

  function look(el: Element, painted: Painted): void {
    if (painted === 'gone') {
      forget(el);
      return;
    }
    if (painted === 'loading') {
      // A new src is loading: whatever was decided for the old one no longer holds.
      forget(el);
      presenter.unsettle(el);
      return;
    }
    if (painted.length === 0) {
      forget(el);
      presenter.leaveAlone(el);
      return;
    }
    const plans = painted.map((url) => planOf(el, url));
    const entry = store.track(el, painted, plans.filter((p) => p === 'both').length);
    if (!entry) {
      // Same pictures as before: precover.ts may have covered it again meanwhile; show what it has.
      const known = store.get(el);
      if (known && !presenter.reflects(el, known)) show(el, known);
      return;
    }
    // A request still waiting for the element's old picture is not sent, nor is it labelled early.
    queue.drop(el);
    slowNear.unobserve(el);
    checkPlans.set(entry, plans);
    show(el, entry);
    requestScores(el, entry);
    labelIfSlow(el, entry);
  }

  /**
   * Labels the entry "Still checking" if it is still the element's and still pending after a while,
   * while it is near the viewport (slowNear), so thousands of waiting images do not all carry a label.
   */
  function labelIfSlow(el: Element, entry: Tracked): void {
    setTimeout(() => {
      if (signal.aborted || store.get(el) !== entry || entry.display.state !== 'pending') return;
      slowNear.observe(el);
    }, STILL_CHECKING_MS);
  }

  const slowNear = watchNear(
    doc,
    (el, near) => {
      const entry = store.get(el);
      if (entry?.display.state !== 'pending') {
        slowNear.unobserve(el);
        return;
      }
      if (entry.slow === near) return;
      entry.slow = near;
      show(el, entry);
    },
    signal,
  );

  /** How each tracked entry's pictures are checked (own-pixels.ts), as decided when it was tracked. */
  const checkPlans = new WeakMap<Tracked, readonly CheckPlan[]>();

  const planOf = (el: Element, url: string): CheckPlan => planCheck(el instanceof HTMLImageElement ? el : null, url, doc.location.origin);

  /**
   * Classifies each of the entry's URLs and shows the element again as each answer arrives. A picture
   * the page can read is checked from its own pixels; one that may be animated by its download too,
   * its answer in a slot past the URLs' (verdict-store.ts), so the worse of the two holds.
   */
  function requestScores(el: Element, entry: Tracked, keepOnFailure = false): void {
    const plans = checkPlans.get(entry) ?? [];
    let extra = entry.urls.length;
    const record = (index: number, url: string, pending: Promise<ClassifyResult>) =>
      pending.then((result) => {
        if (signal.aborted) return;
        // A newer entry (the element's image changed meanwhile) makes this answer stale.
        if (store.answer(el, entry, index, result, keepOnFailure) !== 'recorded') return;
        if (!result.ok) console.info(`[Megane] couldn't check ${url.slice(0, 200)}: ${result.error}`);
        show(el, entry);
      });
    entry.urls.forEach((url, i) => {
      const plan = plans[i] ?? 'url';
      record(i, url, plan === 'pixels' ? ownPixels(el, url) : classify(el, url));
      if (plan === 'both') record(extra++, url, ownPixels(el, url));
    });
  }

  /**
   * The picture the <img> shows at `url`, from its own pixels, in the queue like a download. A canvas
   * that turns out tainted (a redirect to another origin) is no failure: the image is downloaded as
   * before (joining the download a 'both' plan sent anyway).
   */
  async function ownPixels(el: Element, url: string): Promise<ClassifyResult> {
    const detectors = neededDetectors(settings);
    tiers.observe(el);
    const result = await queue.add(
      `pixels|${detectors.join()}|${url}`,
      el,
      (): Promise<ClassifyResult | typeof UNREADABLE | typeof GONE> =>
        // Still this picture, loaded: the queue may start it a moment after the element changed.
        el instanceof HTMLImageElement && planOf(el, url) !== 'url'
          ? client.classifyOwnPixels(url, el, settings, detectors, tiers.tierOf(el))
          : Promise.resolve(GONE),
    );
    if (result === DROPPED || result === GONE) return { ok: false, error: i18n.t('page.errors.noLongerShown') };
    return result === UNREADABLE ? classify(el, url) : result;
  }

  function classify(el: Element, url: string): Promise<ClassifyResult> {
    if (el instanceof HTMLCanvasElement && url.startsWith(CANVAS_KEY_PREFIX))
      return client.classifyElementPixels(url, el, settings, neededDetectors(settings));
    switch (routeOf(url)) {
      case 'fetch':
        return queued(el, url);
      case 'rasterise':
        if (el instanceof HTMLVideoElement) return sampleStream(el, url);
        return el instanceof HTMLImageElement
          ? client.classifyElementPixels(url, el, settings, neededDetectors(settings))
          : Promise.resolve({ ok: false, error: i18n.t('page.errors.blobOutsideImage') });
      case 'unsupported':
        return Promise.resolve({ ok: false, error: i18n.t('page.errors.unsupportedScheme', [url.slice(0, url.indexOf(':') + 1)]) });
    }
  }

  /**
   * A URL whose answer the client does not have yet waits in the queue, nearest the user first (or
   * joins the request in flight for it); a request no element wants any more is cancelled.
   */
  async function queued(el: Element, url: string): Promise<ClassifyResult> {
    const detectors = neededDetectors(settings);
    if (client.answered(url, detectors)) return client.classifyUrl(url, detectors);
    tiers.observe(el);
    const result = await queue.add(
      `${detectors.join()}|${url}`,
      el,
      () => client.classifyUrl(url, detectors, tiers.tierOf(el)),
      () => client.cancel(url, detectors),
    );
    // Dropped: the element no longer shows this picture, so store.answer finds the answer stale.
    return result === DROPPED ? { ok: false, error: i18n.t('page.errors.noLongerShown') } : result;
  }

  /** One sampler per video: a new one (the video was looked at anew) replaces the old. */
  const samplers = new WeakMap<Element, AbortController>();

  /** A stream only the page can read: sampled while it plays; its first frame answers. */
  function sampleStream(video: HTMLVideoElement, key: string): Promise<ClassifyResult> {
    samplers.get(video)?.abort();
    const sampler = new AbortController();
    samplers.set(video, sampler);
    signal.addEventListener('abort', () => sampler.abort(), { once: true, signal: sampler.signal });
    return sampleVideo(
      video,
      key,
      {
        classifyFrame: (v, k) => client.classifyVideoFrame(k, v, settings, neededDetectors(settings)),
        current: (v, k) => store.get(v)?.urls.includes(k) ?? false,
        later: laterFrame,
      },
      sampler.signal,
    );
  }

  /**
   * A later frame of a sampled stream: one that should be hidden covers the video at once and keeps
   * it covered (it replaces the answer the video has); one that is fine changes nothing, and a failed
   * one keeps what the video had.
   */
  function laterFrame(video: Element, key: string, result: ClassifyResult): void {
    const entry = store.get(video);
    const index = entry?.urls.indexOf(key) ?? -1;
    if (!entry || index < 0 || !result.ok) return;
    if (entry.results[index]?.ok && !isCoveredState(decide([result], settings).state)) return;
    if (store.answer(video, entry, index, result) === 'recorded') show(video, entry);
  }

  function show(el: Element, entry: Tracked): void {
    if (store.redecide(entry, settings).state !== 'pending') slowNear.unobserve(el);
    presenter.show(el, entry, store.marksOf(entry));
    reportSoon();
  }

  function showUrl(url: string): void {
    for (const el of store.showing(url)) {
      const entry = store.get(el);
      if (entry && el.isConnected) show(el, entry);
    }
  }

  /** Applies a mark at once (so a correction shows immediately), then stores it; a failed save is undone. */
  function mark(el: Element, action: MarkAction): void {
    const entry = store.get(el);
    const applied = entry && store.applyMark(entry, action);
    if (!applied) return;
    const { url, undo } = applied;
    showUrl(url);
    void client.mark(url, doc.location.href, action).then((reply) => {
      if (signal.aborted) return;
      if (reply.ok) store.setMarks(url, reply.marks);
      else {
        undo();
        console.warn(`[Megane] ${reply.error}`);
        presenter.note(i18n.t('page.notSaved', [reply.error]));
      }
      showUrl(url);
    });
  }

  function reveal(el: Element): void {
    const entry = store.get(el);
    if (!entry) return;
    store.reveal(entry);
    show(el, entry);
  }

  function forget(el: Element): void {
    queue.drop(el);
    tiers.unobserve(el);
    slowNear.unobserve(el);
    if (store.forget(el)) {
      presenter.forget(el);
      reportSoon();
    }
  }

  /** Drops elements that left the document. */
  function prune(): void {
    for (const [el] of store.entries()) if (!el.isConnected) forget(el);
  }

  /** Switching `checkCanvases` lets every canvas go (off), or has discovery hand them over (on). */
  function followCanvasSetting(next: Settings): void {
    const was = settings.checkCanvases;
    settings = next;
    if (was === next.checkCanvases) return;
    if (next.checkCanvases) discovery.lookAgain();
    else canvases.release();
  }

  const scanner: Scanner = {
    reapply(next) {
      followCanvasSetting(next);
      for (const [el, entry] of store.entries()) {
        if (el.isConnected) show(el, entry);
        else forget(el);
      }
    },
    rescan(next) {
      followCanvasSetting(next);
      client.clear();
      queue.clear();
      store.clear();
      discovery.lookAgain();
    },
    refresh(next) {
      settings = next;
      client.clear();
      for (const [el, entry] of store.entries()) {
        if (el.isConnected) requestScores(el, entry, true);
        else forget(el);
      }
    },
    stats() {
      prune();
      return store.stats();
    },
  };
  return scanner;
}
