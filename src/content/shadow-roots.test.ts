import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROOT_ATTACHED_EVENT } from './shadow-root-hook';
import { onShadowRoot, shadowRootOf, watchAttachedRoots } from './shadow-roots';

/** Stand-ins: only what shadowRootOf reads. */
const root = { mode: 'closed' } as unknown as ShadowRoot;
const element = (extra: Record<string, unknown> = {}) => ({ shadowRoot: null, nodeType: 1, style: {}, ...extra }) as unknown as Element;

describe('shadowRootOf', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('answers an open root from the element', () => {
    const open = { mode: 'open' } as unknown as ShadowRoot;
    expect(shadowRootOf(element({ shadowRoot: open }))).toBe(open);
  });

  it("reaches a closed root through Firefox's openOrClosedShadowRoot()", () => {
    expect(shadowRootOf(element({ openOrClosedShadowRoot: () => root }))).toBe(root);
  });

  it('reaches a closed root through chrome.dom.openOrClosedShadowRoot', () => {
    const el = element();
    vi.stubGlobal('chrome', { dom: { openOrClosedShadowRoot: (target: Element) => (target === el ? root : null) } });
    expect(shadowRootOf(el)).toBe(root);
  });

  it('answers null without a root, without either API, and when the API throws', () => {
    vi.stubGlobal('chrome', { dom: { openOrClosedShadowRoot: () => null } });
    expect(shadowRootOf(element())).toBeNull();
    vi.stubGlobal('chrome', {});
    expect(shadowRootOf(element())).toBeNull();
    vi.stubGlobal('chrome', {
      dom: {
        openOrClosedShadowRoot: () => {
          throw new TypeError('not an element');
        },
      },
    });
    expect(shadowRootOf(element())).toBeNull();
  });
});

describe('watchAttachedRoots', () => {
  type Listener = (event: Event) => void;
  /** A document whose window and roots keep the listeners they are given, by event name. */
  function fakePage() {
    const windowListeners = new Map<string, Listener>();
    const doc = {
      defaultView: { addEventListener: (name: string, listener: Listener) => windowListeners.set(name, listener) },
    } as unknown as Document;
    const rootListeners = new Map<ShadowRoot, Map<string, Listener>>();
    const host = () => {
      const root = {
        mode: 'closed',
        adoptedStyleSheets: [],
        querySelectorAll: () => [],
        addEventListener(name: string, listener: Listener) {
          const own = rootListeners.get(root) ?? new Map<string, Listener>();
          own.set(name, listener);
          rootListeners.set(root, own);
        },
      } as unknown as ShadowRoot;
      const el = { nodeType: 1, ownerDocument: doc, shadowRoot: root, isConnected: true } as unknown as Element;
      Object.assign(root, { host: el });
      return { el, root };
    };
    const fire = (listener: Listener | undefined, target: Element) => listener?.({ target } as unknown as Event);
    return { doc, windowListeners, rootListeners, host, fire };
  }

  it('finds a root the page-world hook tells of, from the window and from inside a known root, until aborted', () => {
    const page = fakePage();
    const found: ShadowRoot[] = [];
    const controller = new AbortController();
    onShadowRoot(page.doc, (root) => found.push(root), controller.signal);
    watchAttachedRoots(page.doc, controller.signal);

    const outer = page.host();
    expect(page.windowListeners.get(ROOT_ATTACHED_EVENT)).toBeTypeOf('function');
    page.fire(page.windowListeners.get(ROOT_ATTACHED_EVENT), outer.el);
    expect(found).toEqual([outer.root]);

    // A host inside that root: the event stays in the root, whose listener hears it.
    const inner = page.host();
    expect(page.rootListeners.get(outer.root)?.get(ROOT_ATTACHED_EVENT)).toBeTypeOf('function');
    page.fire(page.rootListeners.get(outer.root)?.get(ROOT_ATTACHED_EVENT), inner.el);
    expect(found).toEqual([outer.root, inner.root]);

    controller.abort();
    const late = page.host();
    page.fire(page.windowListeners.get(ROOT_ATTACHED_EVENT), late.el);
    expect(found).toEqual([outer.root, inner.root]);
  });

  it('ignores events whose target is not an element', () => {
    const page = fakePage();
    const found: ShadowRoot[] = [];
    const signal = new AbortController().signal;
    onShadowRoot(page.doc, (root) => found.push(root), signal);
    watchAttachedRoots(page.doc, signal);
    page.windowListeners.get(ROOT_ATTACHED_EVENT)?.({ target: page.doc } as unknown as Event);
    page.windowListeners.get(ROOT_ATTACHED_EVENT)?.({ target: null } as unknown as Event);
    expect(found).toEqual([]);
  });
});
