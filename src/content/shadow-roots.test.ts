import { afterEach, describe, expect, it, vi } from 'vitest';
import { shadowRootOf } from './shadow-roots';

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
