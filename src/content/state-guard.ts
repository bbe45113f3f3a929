// Keeps Megane's state attribute (STATE_ATTR, which the cover stylesheet reads) what Megane wrote. The
// verdict lives in the content script; the attribute only reflects it, and a page can set, copy or
// remove attributes at will, or morph its DOM and drop them. Every change Megane did not make is put
// back in a mutation callback, which runs before the next paint, so the page never paints a covered
// image uncovered. A page may add cover (precover.ts marks elements COVERED too), never take it off.
import { COVERED, STATE_ATTR } from './cover-style';
import { syncMarkerCover } from './list-markers';

export interface StateGuard {
  /** Shows `state` on `el` and keeps it there. */
  set(el: Element, state: string): void;
}

/** Whether the cover stylesheet covers any element with this value (an unknown value does not). */
const covers = (value: string | null) => value === COVERED;

/**
 * What an element's attribute must be put back to, or undefined to leave it as it is. `wrote`: what
 * Megane last wrote there (undefined: Megane never decided for it); `now`: the value after the page's
 * changes; `before`: the value before them, or 'added' for an element that just entered the document
 * (a morph or a clone: what it carries was never Megane's).
 */
export function restoreTo(wrote: string | undefined, now: string | null, before: string | null | 'added'): string | null | undefined {
  if (now === wrote || covers(now)) return undefined;
  if (wrote !== undefined) return wrote;
  // An element Megane has not decided yet: it may show only what it showed before.
  if (before === 'added') return now === null ? undefined : COVERED;
  if (covers(before)) return before;
  return now === null ? undefined : null;
}

export function guardStates(doc: Document, signal: AbortSignal): StateGuard {
  const wrote = new WeakMap<Element, string>();

  const restore = (el: Element, before: string | null | 'added') => {
    const to = restoreTo(wrote.get(el), el.getAttribute(STATE_ATTR), before);
    if (to === undefined) return;
    if (to === null) el.removeAttribute(STATE_ATTR);
    else el.setAttribute(STATE_ATTR, to);
    syncMarkerCover(el, covers(to));
  };

  const observer = new MutationObserver((records) => {
    /** Each changed element's value before this batch. */
    const before = new Map<Element, string | null | 'added'>();
    for (const record of records) {
      if (record.type === 'attributes') {
        if (record.target instanceof Element && !before.has(record.target)) before.set(record.target, record.oldValue);
        continue;
      }
      // Removed nodes too: an element moved into a shadow root leaves the tree this observer sees.
      for (const node of [...record.addedNodes, ...record.removedNodes]) {
        if (!(node instanceof Element)) continue;
        if (node.hasAttribute(STATE_ATTR)) before.set(node, 'added');
        for (const el of node.querySelectorAll(`[${STATE_ATTR}]`)) before.set(el, 'added');
      }
    }
    for (const [el, value] of before) {
      if (!el.isConnected) continue;
      // Follow an element into a shadow root (closed ones too: getRootNode reaches them).
      const root = el.getRootNode();
      if (root instanceof ShadowRoot && !watched.has(root)) watch(root);
      restore(el, value);
    }
  });
  const watched = new WeakSet<Node>();
  const watch = (root: Node) => {
    watched.add(root);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: [STATE_ATTR], attributeOldValue: true });
  };
  watch(doc);
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });

  return {
    set(el, state) {
      wrote.set(el, state);
      const root = el.getRootNode();
      if (root instanceof ShadowRoot && !watched.has(root)) watch(root);
      el.setAttribute(STATE_ATTR, state);
      syncMarkerCover(el, covers(state));
    },
  };
}
