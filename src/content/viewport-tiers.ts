// Where each waiting image is, for the request queue: in the viewport, within a screen of it, or far
// away. Two IntersectionObservers keep that current as the page scrolls, with no work per scroll
// event; until one reports on an element its place is unknown (request-queue.ts waits briefly, then
// counts it as near, so a tab not shown, where observers do not report, still gets its images checked).
import type { Tier } from './request-queue';

export interface ViewportTiers {
  tierOf(el: Element): Tier | undefined;
  observe(el: Element): void;
  unobserve(el: Element): void;
}

/** How far around the viewport counts as near: one screen above and below, half a screen aside. */
const NEAR_MARGIN = '100% 50% 100% 50%';

export function watchViewportTiers(doc: Document, changed: () => void, signal: AbortSignal): ViewportTiers {
  const view = doc.defaultView;
  const visible = new Set<Element>();
  const near = new Set<Element>();
  const placed = new WeakSet<Element>();
  const follow = (into: Set<Element>) => (records: IntersectionObserverEntry[]) => {
    for (const { target, isIntersecting } of records) {
      placed.add(target);
      if (isIntersecting) into.add(target);
      else into.delete(target);
    }
    changed();
  };
  const Observer = view?.IntersectionObserver;
  if (!Observer) return { tierOf: () => undefined, observe() {}, unobserve() {} };
  const inView = new Observer(follow(visible));
  const nearView = new Observer(follow(near), { rootMargin: NEAR_MARGIN });
  signal.addEventListener(
    'abort',
    () => {
      inView.disconnect();
      nearView.disconnect();
      visible.clear();
      near.clear();
    },
    { once: true },
  );
  return {
    tierOf: (el) => (visible.has(el) ? 0 : near.has(el) ? 1 : placed.has(el) ? 2 : undefined),
    observe(el) {
      inView.observe(el);
      nearView.observe(el);
    },
    unobserve(el) {
      inView.unobserve(el);
      nearView.unobserve(el);
      visible.delete(el);
      near.delete(el);
    },
  };
}

export interface NearWatch {
  observe(el: Element): void;
  unobserve(el: Element): void;
}

/**
 * Tells `changed(el, near)` whenever a watched element comes within NEAR_MARGIN of the viewport or
 * leaves it (and once when watching starts): the "Still checking" labels follow it, so a page of
 * thousands of waiting images has labels only around what the user sees.
 */
export function watchNear(doc: Document, changed: (el: Element, near: boolean) => void, signal: AbortSignal): NearWatch {
  const Observer = doc.defaultView?.IntersectionObserver;
  if (!Observer) return { observe: (el) => changed(el, true), unobserve() {} };
  const observer = new Observer(
    (records) => {
      for (const { target, isIntersecting } of records) changed(target, isIntersecting);
    },
    { rootMargin: NEAR_MARGIN },
  );
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  return { observe: (el) => observer.observe(el), unobserve: (el) => observer.unobserve(el) };
}
