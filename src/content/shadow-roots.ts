// Shadow roots (open, closed and declarative) hide their images from the document's selectors,
// stylesheets and mutation observers. This module finds them and gives each one, once, the cover
// style (a constructable stylesheet in its adoptedStyleSheets, so the page's innerHTML cannot drop
// it); precover.ts and image-discovery.ts subscribe to watch each root like the document.
// A root appears without a mutation of the document (attachShadow on an element already there, a
// declarative root, a custom element upgraded when its class is defined later). attachShadow tells
// at once through the page-world hook (shadow-root-hook.ts): while someone watches (watchAttachedRoots),
// its event is heard on the window and on every root found, before any page listener. Besides, the
// whole tree is swept on each animation frame while the page loads (precover.ts), and undefined custom
// elements are checked each frame until they are defined.
import { COVER_CSS } from './cover-style';
import { ROOT_ATTACHED_EVENT } from './shadow-root-hook';

type RootListener = (root: ShadowRoot) => void;

interface DocumentRoots {
  sheet: CSSStyleSheet | null;
  /** What the sheet says: the cover in the user's style, or '' while Megane is off here. */
  css: string;
  roots: Set<ShadowRoot>;
  listeners: Set<RootListener>;
  /** Names of custom elements seen before their definition, and one element of each. */
  undefinedHosts: Map<string, Element>;
  polling: boolean;
  /** How many watchers want the hook's notices (watchAttachedRoots); none: they are ignored. */
  watchers: number;
  /** Whether the window's listener is in. */
  listening: boolean;
}

const registry = new WeakMap<Document, DocumentRoots>();

/** Chromium's content-script API for closed roots, and Firefox's method on elements in content scripts. */
interface ClosedRootApis {
  chrome?: { dom?: { openOrClosedShadowRoot?: (el: HTMLElement) => ShadowRoot | null } };
}
type WithFirefoxRoot = Element & { openOrClosedShadowRoot?: () => ShadowRoot | null };

/** The element's shadow root, open or closed, or null. */
export function shadowRootOf(el: Element): ShadowRoot | null {
  if (el.shadowRoot) return el.shadowRoot;
  const firefox = (el as WithFirefoxRoot).openOrClosedShadowRoot;
  if (typeof firefox === 'function') return firefox.call(el) ?? null;
  const chromeDom = (globalThis as ClosedRootApis).chrome?.dom?.openOrClosedShadowRoot;
  if (!chromeDom || el.nodeType !== 1 || !('style' in el)) return null;
  try {
    return chromeDom(el as HTMLElement);
  } catch {
    return null;
  }
}

function entryFor(doc: Document): DocumentRoots {
  let entry = registry.get(doc);
  if (!entry) {
    entry = {
      sheet: null,
      css: COVER_CSS,
      roots: new Set(),
      listeners: new Set(),
      undefinedHosts: new Map(),
      polling: false,
      watchers: 0,
      listening: false,
    };
    registry.set(doc, entry);
  }
  return entry;
}

/** The cover sheet of `doc`'s roots (constructed sheets adopt only into roots of their own document). */
function coverSheet(doc: Document, entry: DocumentRoots): CSSStyleSheet | null {
  if (entry.sheet) return entry.sheet;
  const Sheet = doc.defaultView?.CSSStyleSheet;
  if (!Sheet) return null;
  try {
    entry.sheet = new Sheet();
    entry.sheet.replaceSync(entry.css);
  } catch {
    return null;
  }
  return entry.sheet;
}

/** Sets the cover of every shadow root of `doc`, found and to come: its CSS, or '' for none (Megane off). */
export function setShadowCover(doc: Document, css: string): void {
  const entry = entryFor(doc);
  // Called on every settings change: an unchanged sheet is not parsed again in every root.
  if (entry.css === css) return;
  entry.css = css;
  entry.sheet?.replaceSync(css);
}

/**
 * Looks for a shadow root on `el`: a new one gets the cover style and is announced to the listeners.
 * An undefined custom element is remembered so its root is found once it is defined.
 */
export function noteShadowRoot(el: Element): void {
  const doc = el.ownerDocument;
  const entry = entryFor(doc);
  const root = shadowRootOf(el);
  if (!root) {
    if (
      el.localName.includes('-') &&
      !el.localName.startsWith('megane-') &&
      !el.matches(':defined') &&
      !entry.undefinedHosts.has(el.localName)
    ) {
      entry.undefinedHosts.set(el.localName, el);
      pollUndefined(doc, entry);
    }
    return;
  }
  if (entry.roots.has(root)) return;
  entry.roots.add(root);
  // Hosts inside this root: the hook's event does not leave the root (it is not composed).
  root.addEventListener(ROOT_ATTACHED_EVENT, onRootAttached, { capture: true });
  const sheet = coverSheet(doc, entry);
  if (sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  for (const listener of entry.listeners) listener(root);
  // Roots inside roots.
  for (const inner of root.querySelectorAll('*')) noteShadowRoot(inner);
}

/** Calls `listener` for every shadow root of `doc` found so far and every one found from now on. */
export function onShadowRoot(doc: Document, listener: RootListener, signal: AbortSignal): void {
  const entry = entryFor(doc);
  entry.listeners.add(listener);
  signal.addEventListener('abort', () => entry.listeners.delete(listener), { once: true });
  for (const root of [...entry.roots]) if (root.host.isConnected) listener(root);
}

/**
 * Looks at each host the page-world hook reports, at once (inside the page's attachShadow call), until
 * `signal` aborts: the root gets the cover and the listeners before the page can fill it.
 */
export function watchAttachedRoots(doc: Document, signal: AbortSignal): void {
  const entry = entryFor(doc);
  const view = doc.defaultView;
  if (!view || signal.aborted) return;
  entry.watchers++;
  signal.addEventListener('abort', () => entry.watchers--, { once: true });
  if (entry.listening) return;
  entry.listening = true;
  view.addEventListener(ROOT_ATTACHED_EVENT, onRootAttached, { capture: true });
}

function onRootAttached(event: Event): void {
  const host = event.target as Element | null;
  // By nodeType: the host may come from another realm (a frame's document).
  if (host?.nodeType !== 1) return;
  if ((registry.get(host.ownerDocument)?.watchers ?? 0) === 0) return;
  noteShadowRoot(host);
}

/** Once per animation frame (before the paint), looks again at custom elements not yet defined. */
function pollUndefined(doc: Document, entry: DocumentRoots): void {
  const view = doc.defaultView;
  if (entry.polling || !view) return;
  entry.polling = true;
  const check = () => {
    for (const [name, el] of entry.undefinedHosts) {
      if (!el.isConnected || el.matches(':defined')) {
        entry.undefinedHosts.delete(name);
        // Defining a class upgrades every element of that name at once.
        for (const host of doc.getElementsByTagName(name)) noteShadowRoot(host);
        for (const root of [...entry.roots]) for (const host of root.querySelectorAll(name)) noteShadowRoot(host);
      }
    }
    if (entry.undefinedHosts.size > 0) view.requestAnimationFrame(check);
    else entry.polling = false;
  };
  view.requestAnimationFrame(check);
}
