// The benchmark's gallery pages: `count` <img> elements of 240x180 px in a grid (20 of them in a
// 1280x720 viewport), each at its own URL on another origin. The page times, for each image, when it
// entered the document and when an extension gave its verdict: Megane's data-megane="shown" (its
// "covered" also means "waiting", so a photo Megane covers never counts: the gallery's photos are all
// safe) or the reference's data-peer="shown"/"covered" (a page may read both).

export const THUMB_WIDTH = 240;
export const THUMB_HEIGHT = 180;

/** What the page reports at the end (window.__summary()). */
export interface PageSummary {
  /** performance.now() at the load event, 0 before it. */
  loadAt: number;
  now: number;
  /** Per image: entered the document, verdict (null: none yet), inside the viewport the page shows. */
  images: { found: number; done: number | null; inView: boolean }[];
  longTasks: { count: number; longest: number };
}

const TRACKER = `
  window.__longTasks = { count: 0, longest: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) { __longTasks.count++; __longTasks.longest = Math.max(__longTasks.longest, e.duration); }
  }).observe({ type: 'longtask', buffered: true });
  const found = new Map();
  const done = new Map();
  // Megane's "covered" means waiting or covered by its verdict: only "shown" is sure to be a verdict.
  const verdict = (el) => el.getAttribute('data-megane') === 'shown' || ['shown', 'covered'].includes(el.getAttribute('data-peer'));
  new MutationObserver((records) => {
    const t = performance.now();
    for (const r of records) {
      if (r.type === 'childList') {
        for (const n of r.addedNodes) if (n.tagName === 'IMG' && !found.has(n)) found.set(n, t);
      } else if (!done.has(r.target) && verdict(r.target)) done.set(r.target, t);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-megane', 'data-peer'] });
  window.__loadAt = 0;
  addEventListener('load', () => { window.__loadAt = performance.now(); });
  window.__progress = () => ({ found: found.size, done: done.size, loadAt: window.__loadAt, now: performance.now() });
  window.__summary = () => ({
    loadAt: window.__loadAt,
    now: performance.now(),
    longTasks: window.__longTasks,
    images: [...found].map(([el, t]) => {
      const r = el.getBoundingClientRect();
      return { found: t, done: done.get(el) ?? null, inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth };
    }),
  });
`;

/**
 * A gallery of `count` images at `imageUrl(i)`. `scrollToMiddle`: once parsed, the page scrolls to its
 * middle (as a link to an anchor or a restored scroll position does), after the extensions have found
 * its images in document order: the viewport's images are then the ones a document-order queue reaches
 * last.
 */
export function galleryPage(count: number, imageUrl: (i: number) => string, scrollToMiddle = false): string {
  const imgs = Array.from(
    { length: count },
    (_, i) => `<img src="${imageUrl(i)}" width="${THUMB_WIDTH}" height="${THUMB_HEIGHT}" alt="photo ${i + 1}">`,
  );
  return `<!doctype html><meta charset="utf-8"><title>Gallery of ${count}</title>
<style>body { margin: 0; width: 1230px; line-height: 0; } img { margin: 2px; object-fit: cover; }</style>
<script>${TRACKER}</script>
<body>
${imgs.join('\n')}
${scrollToMiddle ? '<script>scrollTo(0, (document.documentElement.scrollHeight - innerHeight) / 2);</script>' : ''}
</body>`;
}
