// List markers drawn from a picture (`list-style-image`). A marker is drawn at its picture's own size
// beside the item's first line, so the item's height follows it: hiding the marker (`::marker
// { content }`, `list-style-image: none`) moves everything below. Most markers are small bullets and
// are left alone; one of at least MARKER_MIN_PX on a side is checked like any CSS picture, and while
// its element is covered the marker is swapped for a neutral picture of exactly its size, so the
// item keeps its height and the page does not move.
//
// The size is read from a probe <img> of the same URL: the page's own load has put it in the memory
// cache, so the probe is complete at once. While it is not, the marker has not painted either; each
// animation frame (before the paint) looks whether it completed, and tells the listeners, which
// cover the element before that paint.
/** The smallest marker checked (the default minimum image size): smaller ones are bullets. */
export const MARKER_MIN_PX = 48;

type Size = { readonly width: number; readonly height: number };

/** Whether a marker of this size is a picture worth checking: one side at least MARKER_MIN_PX. */
export const isLargeMarker = ({ width, height }: Size): boolean => width >= MARKER_MIN_PX || height >= MARKER_MIN_PX;

/**
 * The neutral picture drawn in place of a covered marker: the cover's grey (#767676) at the marker's
 * own size, so the item keeps its height.
 */
export function placeholderUrl({ width, height }: Size): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#767676"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** Probes by URL: the size once known, 'loading', or 'failed' (no picture: nothing paints). */
const probes = new Map<string, Size | 'loading' | 'failed'>();
/** Elements waiting for their marker's probe, by URL. */
const waiting = new Map<string, Set<Element>>();
/** Each element's large marker, as last read: its URL and size. */
const markers = new WeakMap<Element, { url: string; size: Size }>();

type MarkerListener = (el: Element) => void;
const listeners = new WeakMap<Document, Set<MarkerListener>>();

/**
 * Calls `listener` (before the paint) for each element whose marker picture turned out large after it
 * loaded; syncMarkerCover then knows its size.
 */
export function onLargeMarker(doc: Document, listener: MarkerListener, signal: AbortSignal): void {
  const set = listeners.get(doc) ?? new Set<MarkerListener>();
  listeners.set(doc, set);
  set.add(listener);
  signal.addEventListener('abort', () => set.delete(listener), { once: true });
}

/**
 * The URL of the large picture `el` draws as its list marker, or null (not a list item, no picture, a
 * small one, or one still loading: onLargeMarker tells when that one turns out large). `style` is
 * el's computed style.
 */
export function largeMarkerUrl(el: Element, style: CSSStyleDeclaration, url: string | undefined): string | null {
  const known = markers.get(el);
  // While the placeholder is on, the page's marker is the one it covers.
  if (known && pageInline.has(el) && url === placeholderUrl(known.size)) return known.url;
  const size = url && style.display.includes('list-item') ? probe(el, url) : null;
  if (!url || !size || !isLargeMarker(size)) {
    // Most elements: no marker picture, and nothing known of one (no map write on this hot path).
    if (known) markers.delete(el);
    return null;
  }
  markers.set(el, { url, size });
  return url;
}

function probe(el: Element, url: string): Size | null {
  const known = probes.get(url);
  if (known === 'failed') return null;
  if (known && known !== 'loading') return known;
  const doc = el.ownerDocument;
  if (known === undefined) {
    const img = new (doc.defaultView?.Image ?? Image)();
    img.src = url;
    if (img.complete) return settle(url, img);
    probes.set(url, 'loading');
    pollUntilLoaded(doc, url, img);
  }
  const set = waiting.get(url) ?? new Set<Element>();
  waiting.set(url, set);
  set.add(el);
  return null;
}

function settle(url: string, img: HTMLImageElement): Size | null {
  const size = img.naturalWidth > 0 || img.naturalHeight > 0 ? { width: img.naturalWidth, height: img.naturalHeight } : null;
  probes.set(url, size ?? 'failed');
  return size;
}

/** Looks before each paint whether the probe completed; then tells the listeners of each waiting element. */
function pollUntilLoaded(doc: Document, url: string, img: HTMLImageElement): void {
  const view = doc.defaultView;
  if (!view) return;
  const look = () => {
    if (!img.complete) {
      view.requestAnimationFrame(look);
      return;
    }
    const size = settle(url, img);
    const elements = waiting.get(url) ?? new Set<Element>();
    waiting.delete(url);
    if (!size || !isLargeMarker(size)) return;
    for (const el of elements) {
      if (!el.isConnected) continue;
      markers.set(el, { url, size });
      for (const listener of listeners.get(el.ownerDocument) ?? []) listener(el);
    }
  };
  view.requestAnimationFrame(look);
}

/** What the page's inline style had for list-style-image before Megane put its placeholder there. */
const pageInline = new WeakMap<Element, { value: string; priority: string }>();
/** Puts the placeholder back when the page edits the element's inline style. */
let styleObserver: MutationObserver | null = null;

/**
 * Makes `el`'s marker follow its state (`covered`: what STATE_ATTR says): while covered, a large marker is drawn as the placeholder (an
 * inline `!important` declaration, which no page stylesheet beats; a page that edits the inline style
 * gets it back before the paint); otherwise the page's own marker.
 */
export function syncMarkerCover(el: Element, covered: boolean): void {
  if (!(el instanceof HTMLElement || el instanceof SVGElement)) return;
  const marker = markers.get(el);
  const placeholder = marker && covered ? `url("${placeholderUrl(marker.size)}")` : null;
  const style = el.style;
  const ours = pageInline.get(el);
  if (placeholder) {
    const value = style.getPropertyValue('list-style-image');
    const priority = style.getPropertyPriority('list-style-image');
    if (value === placeholder && priority === 'important') return;
    // What the page wrote there (first, or since): put back once the element is shown.
    if (value !== placeholder) pageInline.set(el, { value, priority });
    style.setProperty('list-style-image', placeholder, 'important');
    styleObserver ??= new MutationObserver((records) => {
      for (const { target } of records) if (target instanceof Element && pageInline.has(target)) syncMarkerCover(target, true);
    });
    styleObserver.observe(el, { attributes: true, attributeFilter: ['style'] });
    return;
  }
  if (!ours) return;
  pageInline.delete(el);
  if (ours.value) style.setProperty('list-style-image', ours.value, ours.priority);
  else style.removeProperty('list-style-image');
}
