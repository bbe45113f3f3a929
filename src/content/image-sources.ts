// Which image URLs an element shows. Kept apart from the scanner so the rules are in one place.

/** CSS that matches every element kind that can show an image before the scanner has seen it. */
export const IMAGE_ELEMENT_SELECTOR = 'img, input[type="image" i], video, svg image, [style*="url("]';

/** The URLs inside a computed `background-image` value (gradients and `none` are not images). */
export function backgroundUrls(value: string): string[] {
  if (!value || value === 'none') return [];
  const urls: string[] = [];
  for (const match of value.matchAll(/url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)\s]*))\s*\)/g)) {
    const url = (match[1] ?? match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1');
    if (url) urls.push(url);
  }
  return urls;
}

/**
 * The pseudo-elements whose background images show as part of their element. The element carries
 * their verdict: covering it blurs them too.
 */
const PSEUDO_ELEMENTS = ['::before', '::after'] as const;

/** Whether a pseudo-element's computed style says it is generated (`content` other than none/normal). */
export function isGenerated(content: string): boolean {
  return content !== '' && content !== 'none' && content !== 'normal';
}

/** The CSS image URLs an element shows: its own background, then those of its generated ::before/::after. */
export function cssImageUrls(view: Window, el: Element): string[] {
  const urls = backgroundUrls(view.getComputedStyle(el).backgroundImage);
  for (const pseudo of PSEUDO_ELEMENTS) {
    const style = view.getComputedStyle(el, pseudo);
    if (isGenerated(style.content)) urls.push(...backgroundUrls(style.backgroundImage));
  }
  return urls;
}

/**
 * The key of a video's stream that has no URL (a MediaStream or MediaSource in `srcObject`): like a
 * blob: URL, only the page can read it, and the content script samples it (video-sampler.ts).
 */
export const STREAM_SCHEME = 'megane-stream:';

/** Kinds of URL the pipeline can check, and how. */
export type UrlRoute = 'fetch' | 'rasterise' | 'unsupported';

export function routeOf(url: string): UrlRoute {
  if (/^https?:/i.test(url) || /^data:(image|video)\//i.test(url)) return 'fetch';
  if (/^blob:/i.test(url) || url.startsWith(STREAM_SCHEME)) return 'rasterise';
  return 'unsupported';
}

export type ElementKind = 'img' | 'input' | 'video' | 'svg-image' | 'background';

/** The image-bearing kind of an element by its tag, or null when only a CSS background can apply. */
export function kindOf(el: Element): Exclude<ElementKind, 'background'> | null {
  switch (el.localName) {
    case 'img':
      return 'img';
    case 'input':
      return (el as HTMLInputElement).type === 'image' ? 'input' : null;
    case 'video':
      return 'video';
    case 'image':
      return el.namespaceURI === 'http://www.w3.org/2000/svg' ? 'svg-image' : null;
    default:
      return null;
  }
}

/** The little of an element that `namesAnImage` reads, so it can be table-tested without a DOM. */
export interface ElementShape {
  readonly localName: string;
  getAttribute(name: string): string | null;
  readonly parentElement: ElementShape | null;
  readonly children: ArrayLike<ElementShape>;
}

/**
 * Whether an <img> names a picture at all: its own `src` or `srcset`, or a `<source srcset>` of the
 * `<picture>` it is in (the browser then paints the source's image into an <img> without `src`).
 */
export function namesAnImage(img: ElementShape): boolean {
  if (img.getAttribute('src') || img.getAttribute('srcset')) return true;
  const parent = img.parentElement;
  if (parent?.localName !== 'picture') return false;
  for (let i = 0; i < parent.children.length; i++) {
    const child = parent.children[i];
    if (child?.localName === 'source' && child.getAttribute('srcset')) return true;
  }
  return false;
}

/** The URL a tag-based image element shows right now ('' when it has none yet). */
export function elementUrl(el: Element, kind: Exclude<ElementKind, 'background'>): string {
  switch (kind) {
    case 'img': {
      const img = el as HTMLImageElement;
      return img.currentSrc || img.src;
    }
    case 'input':
      return (el as HTMLInputElement).src;
    case 'video':
      // Its poster; what it plays is video-sources.ts's business.
      return (el as HTMLVideoElement).poster;
    case 'svg-image': {
      const href = (el as SVGImageElement).href?.baseVal || el.getAttribute('xlink:href') || '';
      return href ? absolute(href, el.ownerDocument.baseURI) : '';
    }
  }
}

export function absolute(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}
