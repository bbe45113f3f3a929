// Covers elements whose background image comes from a stylesheet before they can paint. Tag-based
// images (img, video poster, ...) are covered by the CSS of cover-style.ts alone; a CSS background
// has no selector, so it needs a look at computed styles, before the next paint:
// - in mutation callbacks (they run before the next paint), for added or restyled elements;
// - on each animation frame while the page loads (callbacks run just before the paint) when a
//   stylesheet has arrived, as it can give existing elements backgrounds without any mutation.
// This starts at document_start, before settings are read, so nothing slips through meanwhile.
// It only marks elements as pending; the scanner decides what they show.
import { STATE_ATTR } from './cover-style';
import { kindOf } from './image-sources';

/** Milliseconds each mutation callback may spend on background checks. */
const MUTATION_BUDGET_MS = 4;
/** Budget for a pass over the whole tree when a stylesheet arrives. */
const TREE_BUDGET_MS = 12;
/** The per-frame stylesheet check runs until the page has loaded and at least this long. */
const WATCH_MS = 3000;

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
      if (
        !el.hasAttribute(STATE_ATTR) &&
        kindOf(el) === null &&
        (el instanceof HTMLElement || el instanceof SVGElement) &&
        view.getComputedStyle(el).backgroundImage.includes('url(')
      ) {
        el.setAttribute(STATE_ATTR, 'pending');
      }
      return true;
    };
  };

  const precoverTree = () => {
    const precover = precoverer(TREE_BUDGET_MS);
    for (const el of doc.querySelectorAll('body *')) if (!precover(el)) break;
  };

  const observer = new MutationObserver((records) => {
    const precover = precoverer(MUTATION_BUDGET_MS);
    for (const record of records) {
      if (record.type === 'attributes') {
        if (record.target instanceof Element && !precover(record.target)) return;
        continue;
      }
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (!precover(node)) return;
        for (const el of node.querySelectorAll('*')) if (!precover(el)) return;
      }
    }
  });
  observer.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'class'] });

  let sheets = -1;
  const started = performance.now();
  const watchSheets = () => {
    if (signal.aborted) return;
    if (doc.styleSheets.length !== sheets) {
      sheets = doc.styleSheets.length;
      precoverTree();
    }
    if (doc.readyState !== 'complete' || performance.now() - started < WATCH_MS) view.requestAnimationFrame(watchSheets);
  };
  precoverTree();
  view.requestAnimationFrame(watchSheets);

  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}
