import { describe, expect, it } from 'vitest';
import { ROOT_ATTACHED_EVENT, installShadowRootHook } from './shadow-root-hook';

/** A window with just what the hook wraps and uses: Element.attachShadow, dispatchEvent, Event. */
function fakeWindow() {
  const heard: { type: string; at: unknown; rootThen: unknown }[] = [];
  class EventTarget {
    dispatchEvent(this: { root?: unknown }, event: { type: string }): boolean {
      heard.push({ type: event.type, at: this, rootThen: this.root });
      return true;
    }
  }
  class Element extends EventTarget {
    root?: { mode: string };
    attachShadow(init: { mode: string }) {
      if (this.root) throw new Error('NotSupportedError: already a root');
      this.root = { mode: init.mode };
      return this.root;
    }
  }
  class Event {
    constructor(public type: string) {}
  }
  const win = { Element, EventTarget, Event } as unknown as typeof globalThis;
  return { win, Element, EventTarget, heard };
}

describe('installShadowRootHook', () => {
  it("tells at the host, after the root exists, and returns the page's root", () => {
    const { win, Element, heard } = fakeWindow();
    installShadowRootHook(win);
    const host = new Element();
    const root = host.attachShadow({ mode: 'closed' });
    expect(root).toEqual({ mode: 'closed' });
    expect(heard).toEqual([{ type: ROOT_ATTACHED_EVENT, at: host, rootThen: root }]);
  });

  it('tells nothing when attachShadow throws, and the page gets the error', () => {
    const { win, Element, heard } = fakeWindow();
    installShadowRootHook(win);
    const host = new Element();
    host.attachShadow({ mode: 'open' });
    expect(() => host.attachShadow({ mode: 'open' })).toThrow('already a root');
    expect(heard).toHaveLength(1);
  });

  it('keeps telling after the page replaces dispatchEvent', () => {
    const { win, Element, EventTarget, heard } = fakeWindow();
    installShadowRootHook(win);
    EventTarget.prototype.dispatchEvent = () => false;
    new Element().attachShadow({ mode: 'closed' });
    expect(heard).toHaveLength(1);
  });

  it('gives the page its root when telling fails', () => {
    const { win, Element } = fakeWindow();
    (win as unknown as { Event: unknown }).Event = class {
      constructor() {
        throw new Error('no events');
      }
    };
    installShadowRootHook(win);
    expect(new Element().attachShadow({ mode: 'open' })).toEqual({ mode: 'open' });
  });

  it('leaves a window without attachShadow alone', () => {
    const win = { Element: class {}, EventTarget: class {}, Event: class {} } as unknown as typeof globalThis;
    expect(() => installShadowRootHook(win)).not.toThrow();
  });
});
