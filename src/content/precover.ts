// Covers elements whose background image comes from a stylesheet (their own, or that of their
// ::before/::after) before they can paint. Tag-based
// images (img, video poster, ...) are covered by the CSS of cover-style.ts alone; a CSS background
// has no selector, so it needs a look at computed styles, before the next paint:
// - in mutation callbacks (they run before the next paint), for added or restyled elements;
// - on each animation frame while the page loads (callbacks run just before the paint) when a
//   stylesheet has arrived, as it can give existing elements backgrounds without any mutation;
// - when restyle-watch.ts says styles changed without a mutation (hover, focus, a media query, an
//   animation, a CSSOM edit): then an element already shown for other pictures is covered again, and
//   image-discovery.ts is told at once (onRestyled) so it checks what the element paints now.
// Each look has a time budget. What a look could not reach stays in a backlog that the next
// animation frame goes on with, so a busy machine delays a cover by a frame instead of skipping
// the rest of the page.
// This starts at document_start, before settings are read, so nothing slips through meanwhile.
// It only marks elements as pending; the scanner decides what they show.
import { canvasFlagRaised } from './canvas-flag';
import { COVERED, STATE_ATTR } from './cover-style';
import { cssImageUrls, kindOf } from './image-sources';
import { onLargeMarker, syncMarkerCover } from './list-markers';
import { type Restyler, watchRestyles } from './restyle-watch';
import { noteShadowRoot, onShadowRoot } from './shadow-roots';

/** Milliseconds each mutation callback may spend on background checks. */
const MUTATION_BUDGET_MS = 4;
/** Budget per animation frame for the backlog (a pass over the whole tree when a stylesheet arrives). */
const FRAME_BUDGET_MS = 12;
/** Budget per animation frame for the sweep that finds shadow roots while the page loads. */
const SWEEP_BUDGET_MS = 3;
/** The per-frame stylesheet check runs until the page has loaded and at least this long. */
const WATCH_MS = 3000;

/** The CSS pictures (joined by spaces) each element was last looked at for by image-discovery.ts. */
const lookedAtBackgrounds = new WeakMap<Element, string>();
/**
 * The elements image-discovery.ts last saw painting CSS pictures: whenever styles may have changed
 * everywhere (a resize, a CSSOM edit) they are compared first, since a change there un-checks
 * something already shown. Elements that left the document are dropped on each such pass.
 */
const painters = new Set<Element>();

/** Records what image-discovery.ts looked at: an element shown for it is covered again when it paints others. */
export function noteLookedAt(el: Element, urls: readonly string[]): void {
  lookedAtBackgrounds.set(el, urls.join(' '));
  if (urls.length > 0) painters.add(el);
  else painters.delete(el);
}

type RestyleListener = (el: Element) => void;
const restyleListeners = new WeakMap<Document, Set<RestyleListener>>();

/**
 * Calls `listener` (at once, before the paint) for each element whose CSS pictures changed after
 * image-discovery.ts looked at it, or that started to paint one on a restyle without a mutation.
 */
export function onRestyled(doc: Document, listener: RestyleListener, signal: AbortSignal): void {
  const listeners = restyleListeners.get(doc) ?? new Set<RestyleListener>();
  restyleListeners.set(doc, listeners);
  listeners.add(listener);
  signal.addEventListener('abort', () => listeners.delete(listener), { once: true });
}

/**
 * Elements still to look at: lists in arrival order, each with how far it got. `tell`: its elements
 * changed without a mutation discovery sees, so discovery hears of each one precover covers.
 * `whole`: part of a pass over the whole tree, which a newer such pass replaces.
 */
type Backlog = { elements: ArrayLike<Element>; next: number; tell: boolean; whole?: boolean }[];

export function startPrecover(doc: Document, signal: AbortSignal): void {
  const view = doc.defaultView;
  if (!view) return;

  // The budget starts after the first style read: that read pays for the style recalculation the
  // coming paint needs anyway, and must not eat the budget of the checks themselves.
  const precoverer = (budgetMs: number) => {
    let deadline = 0;
    return (el: Element, tell: boolean): boolean => {
      if (deadline === 0) {
        if (doc.body) view.getComputedStyle(doc.body).backgroundImage;
        deadline = performance.now() + budgetMs;
      } else if (performance.now() > deadline) return false;
      noteShadowRoot(el);
      // Checked canvases are covered until the canvas watch has read them (canvas-flag.ts).
      if (el instanceof HTMLCanvasElement && !el.hasAttribute(STATE_ATTR) && canvasFlagRaised()) {
        el.setAttribute(STATE_ATTR, COVERED);
        return true;
      }
      if (kindOf(el) !== null || !(el instanceof HTMLElement || el instanceof SVGElement)) return true;
      const state = el.getAttribute(STATE_ATTR);
      if (state === null) {
        if (cssImageUrls(view, el).length > 0) {
          el.setAttribute(STATE_ATTR, COVERED);
          syncMarkerCover(el, true);
          if (tell) restyled(el);
        }
        return true;
      }
      // Looked at for other pictures than it paints now (a class on an ancestor, :hover, a media
      // query, an animation or a CSSOM edit changed them): covered again, and checked again.
      const seen = lookedAtBackgrounds.get(el);
      if (seen === undefined || (state === COVERED && !tell)) return true;
      if (cssImageUrls(view, el).join(' ') === seen) return true;
      if (state !== COVERED) el.setAttribute(STATE_ATTR, COVERED);
      syncMarkerCover(el, true);
      restyled(el);
      return true;
    };
  };

  const restyled = (el: Element) => {
    for (const listener of restyleListeners.get(doc) ?? []) listener(el);
  };

  const backlog: Backlog = [];
  /** Looks at the backlog within the budget; true when it is empty. */
  const drain = (budgetMs: number): boolean => {
    const precover = precoverer(budgetMs);
    for (let head = backlog[0]; head; head = backlog[0]) {
      for (; head.next < head.elements.length; head.next++) {
        const el = head.elements[head.next];
        if (el && !precover(el, head.tell)) return false;
      }
      // By identity: a shadow root found meanwhile was put in front of it, and a whole-tree pass
      // started meanwhile may have replaced it already.
      const at = backlog.indexOf(head);
      if (at >= 0) backlog.splice(at, 1);
    }
    return true;
  };

  // A shadow root can be attached to an element already in the tree with no mutation to show it. The
  // page-world hook announces attachShadow at once (run-content.ts watches it for the document's whole
  // life: watchAttachedRoots); as a backstop (a page can reach an unwrapped attachShadow), while the
  // page loads each frame goes on through the whole tree looking for new roots. It stops after a full
  // pass begun once the page has loaded.
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

  /** The stylesheets last seen, to notice one added, removed or swapped (a <link> whose href changed). */
  let sheets = [...doc.styleSheets];
  const sheetsChanged = () => {
    const now = doc.styleSheets;
    if (now.length === sheets.length && sheets.every((sheet, i) => now[i] === sheet)) return false;
    sheets = [...now];
    return true;
  };
  /** Until when stylesheets are compared each frame (a <link> added or changed after load is awaited). */
  let watchUntil = performance.now() + WATCH_MS;
  let frameRequested = false;
  const onFrame = () => {
    frameRequested = false;
    if (signal.aborted) return;
    // A new stylesheet can give any element a background: look at the whole tree again.
    if (sheetsChanged()) lookEverywhere(false, false);
    const swept = sweep();
    const done = drain(FRAME_BUDGET_MS) && swept;
    if (!done || doc.readyState !== 'complete' || performance.now() < watchUntil) requestFrame();
  };
  const requestFrame = () => {
    if (frameRequested || signal.aborted) return;
    frameRequested = true;
    view.requestAnimationFrame(onFrame);
  };

  const observer = new MutationObserver((records) => {
    let everywhere = false;
    for (const record of records) {
      const target = record.target;
      if (isStyleSource(target) || isStyleSource(target.parentNode)) {
        // A <style>'s text, or a stylesheet's media, href or disabled changed: any element may paint
        // other pictures now. A new <link> loads later: stylesheets are compared each frame meanwhile.
        everywhere = true;
        watchUntil = Math.max(watchUntil, performance.now() + WATCH_MS);
        continue;
      }
      if (record.type === 'attributes') {
        if (!(target instanceof Element) || !ELEMENT_ATTRIBUTES.has(record.attributeName ?? '')) continue;
        backlog.push({ elements: [target], next: 0, tell: false });
        // A class can change the backgrounds of every descendant.
        if (record.attributeName === 'class') backlog.push({ elements: target.querySelectorAll('*'), next: 0, tell: false });
        continue;
      }
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches(STYLE_SOURCES) || node.querySelector(STYLE_SOURCES))
          watchUntil = Math.max(watchUntil, performance.now() + WATCH_MS);
        backlog.push({ elements: [node], next: 0, tell: false }, { elements: node.querySelectorAll('*'), next: 0, tell: false });
      }
    }
    if (everywhere) lookEverywhere(true, true);
    if (!drain(MUTATION_BUDGET_MS) || performance.now() < watchUntil) requestFrame();
  });
  const observed = {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['style', 'class', 'media', 'href', 'disabled', 'rel'],
  };
  observer.observe(doc, observed);
  // Each shadow root is watched like the document, and its stylesheet backgrounds looked at now.
  // attachShadow announces a root at once (shadow-root-hook.ts); the sweep is the backstop.
  const roots = new Set<ShadowRoot>();
  onShadowRoot(
    doc,
    (root) => {
      roots.add(root);
      observer.observe(root, observed);
      // First in the backlog: a root found by this frame's sweep has its elements looked at before
      // this frame paints, ahead of a whole-tree pass that may not fit the frame's budget (under load
      // a closed root's stylesheet background painted one frame uncovered when it waited behind one).
      backlog.unshift({ elements: root.querySelectorAll('*'), next: 0, tell: false });
      requestFrame();
    },
    signal,
  );

  /**
   * Looks at every element again, first those already shown for CSS pictures (a change there lifts
   * a verdict), then the rest of the document and its shadow roots; at once if `now`, else from the
   * next frame on. `tell`: discovery hears of what is covered (a stylesheet that loads is not told:
   * discovery looks at the whole tree then anyway, in slices, and a look per element here would
   * force a layout per element).
   */
  function lookEverywhere(now: boolean, tell: boolean): void {
    for (let i = backlog.length - 1; i >= 0; i--) if (backlog[i]?.whole) backlog.splice(i, 1);
    const shown: Element[] = [];
    for (const el of painters) {
      if (!el.isConnected) painters.delete(el);
      else if (el.ownerDocument === doc) shown.push(el);
    }
    backlog.unshift({ elements: shown, next: 0, tell: true, whole: true });
    backlog.push({ elements: doc.querySelectorAll('*'), next: 0, tell, whole: true });
    for (const root of roots) if (root.host.isConnected) backlog.push({ elements: root.querySelectorAll('*'), next: 0, tell, whole: true });
    if (!now || !drain(FRAME_BUDGET_MS)) requestFrame();
  }

  const restyler: Restyler = {
    look(lists) {
      backlog.unshift(...lists.map((elements) => ({ elements, next: 0, tell: true })));
      if (!drain(FRAME_BUDGET_MS)) requestFrame();
    },
    lookEverywhere: () => lookEverywhere(true, true),
    roots: () => [...roots].filter((root) => root.host.isConnected),
  };
  watchRestyles(doc, restyler, signal);
  // A list marker's picture that turned out large once it loaded: covered before it paints.
  onLargeMarker(
    doc,
    (el) => {
      restyler.look([[el]]);
      syncMarkerCover(el, el.getAttribute(STATE_ATTR) === COVERED);
    },
    signal,
  );

  // Back on after a pause or a site rule: every root on the page now, at once (at document_start the
  // tree is empty; on a page of thousands of elements this is one pass before the next paint).
  for (const el of doc.getElementsByTagName('*')) noteShadowRoot(el);
  // Every element, `html` and `body` (the page's background) included; cssImageUrls reads every CSS image.
  backlog.push({ elements: doc.querySelectorAll('*'), next: 0, tell: false });
  drain(FRAME_BUDGET_MS);
  requestFrame();

  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}

/** Attributes of any element whose change can change its (or its descendants') CSS pictures. */
const ELEMENT_ATTRIBUTES = new Set(['style', 'class']);

const STYLE_SOURCES = 'link, style';

/**
 * A <style> or <link> element of the page, whose text or attributes change the page's stylesheets
 * (Megane's own cover style, which cover-style.ts marks with data-megane-style, is not the page's).
 */
function isStyleSource(node: Node | null): boolean {
  return node instanceof Element && node.matches(STYLE_SOURCES) && !node.hasAttribute('data-megane-style');
}
