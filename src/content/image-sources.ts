// Which image URLs an element shows. Kept apart from the scanner so the rules are in one place.
import { largeMarkerUrl } from './list-markers';

/** CSS that matches every element kind that can show an image before the scanner has seen it. */
export const IMAGE_ELEMENT_SELECTOR =
  'img, input[type="image" i], video, svg image, [style*="url("], ' +
  'object[data]:is(:not([type]), [type^="image/" i]), embed[src]:is(:not([type]), [type^="image/" i])';

/** Image types Chromium decodes: an `image-set()` candidate of another `type()` is never painted. */
const DECODABLE_TYPES = new Set([
  'image/apng',
  'image/avif',
  'image/bmp',
  'image/gif',
  'image/jpeg',
  'image/png',
  'image/svg+xml',
  'image/webp',
  'image/x-icon',
]);

/** Where the quoted string starting at `i` ends (the index after its closing quote). */
function skipString(value: string, i: number): number {
  const quote = value[i];
  let j = i + 1;
  while (j < value.length && value[j] !== quote) j += value[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** The index of the `)` that closes the parenthesis opened just before `i`, skipping strings. */
function closingParen(value: string, i: number): number {
  let depth = 1;
  for (let j = i; j < value.length; j++) {
    const c = value[j];
    if (c === '"' || c === "'") j = skipString(value, j) - 1;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return value.length;
}

/** Splits at the commas that are not inside parentheses or strings. */
function topLevelParts(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let j = 0; j < value.length; j++) {
    const c = value[j];
    if (c === '"' || c === "'") j = skipString(value, j) - 1;
    else if (c === '(') j = closingParen(value, j + 1);
    else if (c === ',') {
      parts.push(value.slice(start, j));
      start = j + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

const unescapeCss = (s: string) => s.replace(/\\(.)/g, '$1');

/** The candidate of an `image-set()` Chromium paints at this device pixel ratio (its URLs, or none). */
function imageSetPick(inner: string, dpr: number): string[] {
  const options = topLevelParts(inner).flatMap((part) => {
    const type = /\btype\(\s*["']([^"']*)["']\s*\)/i.exec(part)?.[1]?.toLowerCase();
    if (type !== undefined && !DECODABLE_TYPES.has(type)) return [];
    // Outside strings and url(): a resolution such as 2dppx (the computed form), 2x, 192dpi or 75dpcm.
    const bare = part.replace(/url\((?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^)]*)\)|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/gi, ' ');
    const res = /(\d*\.?\d+)(dppx|x|dpi|dpcm)\b/i.exec(bare);
    const scale = { dppx: 1, x: 1, dpi: 1 / 96, dpcm: 2.54 / 96 }[(res?.[2] ?? 'x').toLowerCase() as 'x'] ?? 1;
    return [{ resolution: res ? Number(res[1]) * scale : 1, urls: imageUrls(part, dpr) }];
  });
  // Chromium takes the lowest resolution at least the device's, else the highest (the first of equals).
  const sorted = options.map((o, i) => ({ ...o, i })).sort((a, b) => a.resolution - b.resolution || a.i - b.i);
  return (sorted.find((o) => o.resolution >= dpr) ?? sorted.at(-1))?.urls ?? [];
}

const FUNCTION_NAME = /[a-z-]+\(/iy;

/**
 * The image URLs a computed CSS value paints (`background-image`, `content`, `border-image-source`):
 * every `url()`, of an `image-set()` only the candidate Chromium picks for `dpr`; gradients, strings
 * (`content: "…"` or its alt text) and `none` are not images.
 */
export function imageUrls(value: string, dpr = 1): string[] {
  if (!value || value === 'none' || value === 'normal') return [];
  const urls: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"' || c === "'") {
      i = skipString(value, i) - 1;
      continue;
    }
    if (!/[a-z-]/i.test(c ?? '') || (i > 0 && /[\w-]/.test(value[i - 1] ?? ''))) continue;
    FUNCTION_NAME.lastIndex = i;
    const name = FUNCTION_NAME.exec(value)?.[0].toLowerCase();
    if (!name) continue;
    const open = i + name.length;
    const close = closingParen(value, open);
    const inner = value.slice(open, close);
    if (name === 'url(') {
      const quoted = /^\s*(["'])/.exec(inner);
      const url = quoted
        ? unescapeCss(inner.slice(inner.indexOf(quoted[1] ?? '"') + 1, inner.lastIndexOf(quoted[1] ?? '"')))
        : inner.trim();
      if (url) urls.push(url);
    } else if (name === 'image-set(' || name === '-webkit-image-set(') urls.push(...imageSetPick(inner, dpr));
    else urls.push(...imageUrls(inner, dpr));
    i = close;
  }
  return urls;
}

/** The URLs inside a computed `background-image` value (gradients and `none` are not images). */
export const backgroundUrls = (value: string, dpr = 1): string[] => imageUrls(value, dpr);

/**
 * The pseudo-elements whose images show as part of their element. The element carries their
 * verdict; the cover covers them with it.
 */
const PSEUDO_ELEMENTS = ['::before', '::after'] as const;

/** Whether a pseudo-element's computed style says it is generated (`content` other than none/normal). */
export function isGenerated(content: string): boolean {
  return content !== '' && content !== 'none' && content !== 'normal';
}

/** The image-bearing properties of one computed style, in the order they are reported. */
function styleImageUrls(style: CSSStyleDeclaration, dpr: number): string[] {
  return [...imageUrls(style.backgroundImage, dpr), ...imageUrls(style.content, dpr), ...imageUrls(style.borderImageSource, dpr)];
}

/**
 * The CSS image URLs an element shows: its own background layers, `content: url()` and
 * `border-image`, its list marker's picture when it is large (list-markers.ts: most are small
 * bullets), then those of its generated ::before/::after.
 */
export function cssImageUrls(view: Window, el: Element): string[] {
  const dpr = view.devicePixelRatio || 1;
  const style = view.getComputedStyle(el);
  const urls = styleImageUrls(style, dpr);
  const marker = largeMarkerUrl(el, style, imageUrls(style.listStyleImage, dpr)[0]);
  if (marker) urls.push(marker);
  for (const pseudo of PSEUDO_ELEMENTS) {
    const style = view.getComputedStyle(el, pseudo);
    if (isGenerated(style.content)) urls.push(...styleImageUrls(style, dpr));
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

export type ElementKind = 'img' | 'input' | 'video' | 'svg-image' | 'object' | 'background';

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
    case 'object':
    case 'embed':
      return embedsAnImage(el) ? 'object' : null;
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
    case 'object': {
      const url = embeddedUrl(el);
      return url ? absolute(url, el.ownerDocument.baseURI) : '';
    }
  }
}

/** The URL an <object> (`data`) or <embed> (`src`) shows. */
const embeddedUrl = (el: Element): string => el.getAttribute(el.localName === 'object' ? 'data' : 'src')?.trim() ?? '';

/** File name endings the browser shows as an image when an <object> or <embed> names no type. */
const IMAGE_PATH = /\.(?:apng|avif|bmp|gif|ico|jpe?g|png|svg|webp)$/i;

/**
 * Whether an <object>/<embed> shows an image: by its `type` attribute when it has one, else by its
 * URL (a `data:image/` URL or a path ending in an image extension), else by the type of the document
 * loaded in it (readable for a same-origin <object> only). Pure, so it is table-tested.
 */
export function showsImage(type: string | null, url: string, loadedType: string | undefined): boolean {
  if (!url) return false;
  if (type?.trim()) return /^image\//i.test(type.trim());
  if (/^data:/i.test(url)) return /^data:image\//i.test(url);
  let path = url;
  try {
    path = new URL(url, 'http://x.invalid/').pathname;
  } catch {}
  return IMAGE_PATH.test(path) || /^image\//i.test(loadedType ?? '');
}

function embedsAnImage(el: Element): boolean {
  let loadedType: string | undefined;
  try {
    loadedType = (el as HTMLObjectElement).contentDocument?.contentType;
  } catch {}
  return showsImage(el.getAttribute('type'), embeddedUrl(el), loadedType);
}

export function absolute(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}
