// Covers elements whose background image comes from a stylesheet (their own, or that of their
// ::before/::after) before they can paint. Tag-based
// images (img, video poster, ...) are covered by the CSS of cover-style.ts alone; a CSS background
// has no selector, so it needs a look at computed styles, before the next paint:
// - in mutation callbacks (they run before the next paint), for added or restyled elements;
// - on each animation frame while the page loads (callbacks run just before the paint) when a
//   stylesheet has arrived, as it can give existing elements backgrounds without any mutation.
// Each look has a time budget. What a look could not reach stays in a backlog that the next
// animation frame goes on with, so a busy machine delays a cover by a frame instead of skipping
// the rest of the page.
// This starts at document_start, before settings are read, so nothing slips through meanwhile.
// It only marks elements as pending; the scanner decides what they show.
import { COVERED, STATE_ATTR } from './cover-style';
import { cssImageUrls, kindOf } from './image-sources';
import { noteShadowRoot, onShadowRoot } from './shadow-roots';

/** Milliseconds each mutation callback may spend on background checks. */
const MUTATION_BUDGET_MS = 4;
/** Budget per animation frame for the backlog (a pass over the whole tree when a stylesheet arrives). */
const FRAME_BUDGET_MS = 12;
/** Budget per animation frame for the sweep that finds shadow roots while the page loads. */
const SWEEP_BUDGET_MS = 3;
/** The per-frame stylesheet check runs until the page has loaded and at least this long. */
const WATCH_MS = 3000;

/**
 * The backgrounds (joined by spaces) each element was last looked at for by image-discovery.ts: an
 * element already shown is covered again here when it paints others now.
 */
export const lookedAtBackgrounds = new WeakMap<Element, string>();

/** Elements still to look at: lists in arrival order, each with how far it got. */
type Backlog = { elements: ArrayLike<Element>; next: number }[];

export function startPrecover(doc: Document, signal: AbortSignal): void {
  const view = doc.defaultView;
  if (!view) return;

  // The budget starts after the first style read: that read pays for the style recalculation the
  // coming paint needs anyway, and must not eat the budget of the checks themselves.
  const precoverer = (budgetMs: number) => {
    let deadline = 0;
    return (el: Element): boolean => {
      if (deadline === 0) {
        if (doc.body) view.getComputedStyle(doc.body).backgroundImage;
        deadline = performance.now() + budgetMs;
      } else if (performance.now() > deadline) return false;
      noteShadowRoot(el);
      if (kindOf(el) !== null || !(el instanceof HTMLElement || el instanceof SVGElement)) return true;
      const state = el.getAttribute(STATE_ATTR);
      if (state === null) {
        if (cssImageUrls(view, el).length > 0) el.setAttribute(STATE_ATTR, COVERED);
      } else if (state !== COVERED) {
        // Shown for other backgrounds than it paints now (a class on an ancestor changed them).
        const seen = lookedAtBackgrounds.get(el);
        if (seen !== undefined && cssImageUrls(view, el).join(' ') !== seen) el.setAttribute(STATE_ATTR, COVERED);
      }
      return true;
    };
  };

  const backlog: Backlog = [];
  /** Looks at the backlog within the budget; true when it is empty. */
  const drain = (budgetMs: number): boolean => {
    const precover = precoverer(budgetMs);
    for (let head = backlog[0]; head; head = backlog[0]) {
      for (; head.next < head.elements.length; head.next++) {
        const el = head.elements[head.next];
        if (el && !precover(el)) return false;
      }
      backlog.shift();
    }
    return true;
  };

  // A shadow root can be attached to an element already in the tree with no mutation to show it:
  // while the page loads, each frame goes on through the whole tree looking for new roots.
  // It stops after a full pass begun once the page has loaded: later roots come with a mutation (an
  // element created with its root, then inserted) or a custom element's definition (shadow-roots.ts).
  const sweepList = doc.getElementsByTagName('*');
  /** Where the sweep goes on; 0 starts a new pass over the whole tree. */
  let sweepNext = 0;
  let passAfterLoad = false;
  let sweepFinished = false;
  /** Goes on with the sweep within its budget; true when it has finished for good. */
  const sweep = (): boolean => {
    if (sweepFinished) return true;
    if (sweepNext === 0) passAfterLoad = doc.readyState === 'complete';
    const end = performance.now() + SWEEP_BUDGET_MS;
    for (; sweepNext < sweepList.length; sweepNext++) {
      const el = sweepList[sweepNext];
      if (el) noteShadowRoot(el);
      if ((sweepNext & 63) === 63 && performance.now() > end) return false;
    }
    sweepNext = 0;
    sweepFinished = passAfterLoad;
    return sweepFinished;
  };

  let sheets = doc.styleSheets.length;
  const started = performance.now();
  let frameRequested = false;
  const onFrame = () => {
    frameRequested = false;
    if (signal.aborted) return;
    if (doc.styleSheets.length !== sheets) {
      sheets = doc.styleSheets.length;
      // A new stylesheet can give any element a background: look at the whole tree again.
      backlog.length = 0;
      backlog.push({ elements: doc.querySelectorAll('*'), next: 0 });
    }
    const swept = sweep();
    const done = drain(FRAME_BUDGET_MS) && swept;
    if (!done || doc.readyState !== 'complete' || performance.now() - started < WATCH_MS) requestFrame();
  };
  const requestFrame = () => {
    if (frameRequested || signal.aborted) return;
    frameRequested = true;
    view.requestAnimationFrame(onFrame);
  };

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') {
        if (!(record.target instanceof Element)) continue;
        backlog.push({ elements: [record.target], next: 0 });
        // A class can change the backgrounds of every descendant.
        if (record.attributeName === 'class') backlog.push({ elements: record.target.querySelectorAll('*'), next: 0 });
        continue;
      }
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        backlog.push({ elements: [node], next: 0 }, { elements: node.querySelectorAll('*'), next: 0 });
      }
    }
    if (!drain(MUTATION_BUDGET_MS)) requestFrame();
  });
  const observed = { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class'] };
  observer.observe(doc, observed);
  // Each shadow root is watched like the document, and its stylesheet backgrounds looked at now.
  onShadowRoot(
    doc,
    (root) => {
      observer.observe(root, observed);
      // A drain under way (this root was found by it) goes on with these; otherwise the next frame.
      backlog.push({ elements: root.querySelectorAll('*'), next: 0 });
      requestFrame();
    },
    signal,
  );

  // Every element, `html` and `body` (the page's background) included; cssImageUrls reads every CSS image.
  backlog.push({ elements: doc.querySelectorAll('*'), next: 0 });
  drain(FRAME_BUDGET_MS);
  requestFrame();

  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}
