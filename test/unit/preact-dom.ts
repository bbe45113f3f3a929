// A tiny DOM harness for rendering Preact pages in unit tests: linkedom (already in node_modules
// through WXT) as the document, preact/test-utils' act to flush renders and effects.
import { parseHTML } from 'linkedom';
import { act } from 'preact/test-utils';
import { vi } from 'vitest';

export interface Dom {
  root: HTMLElement;
  document: Document;
  /** The element, or a thrown error naming the selector. */
  $: <T extends Element = HTMLElement>(selector: string) => T;
  text: (selector: string) => string | undefined;
  isChecked: (selector: string) => boolean;
  /** Sets the element's live state (as the user's input would), then fires `type` on it. */
  fire: (el: Element, type: string, state?: Record<string, unknown>) => Promise<void>;
}

/** Installs a fresh document as the global one; undo with vi.unstubAllGlobals(). */
export function createDom(): Dom {
  const { window, document } = parseHTML('<!doctype html><html><body><div id="app"></div></body></html>');
  vi.stubGlobal('window', window);
  vi.stubGlobal('document', document);
  const doc = document as unknown as Document;
  const root = doc.getElementById('app');
  if (!root) throw new Error('no #app');
  const $ = <T extends Element = HTMLElement>(selector: string): T => {
    const found = doc.querySelector<T>(selector);
    if (!found) throw new Error(`${selector} is not rendered`);
    return found;
  };
  const EventClass = (window as unknown as typeof globalThis).Event;
  return {
    root,
    document: doc,
    $,
    text: (selector) => $(selector).textContent?.trim(),
    // linkedom has no `checked` property, so Preact writes the attribute, until fire() gives the
    // element an own `checked` (as a click would), after which Preact writes that property instead.
    isChecked: (selector) => {
      const el = $<HTMLInputElement>(selector);
      return Object.hasOwn(el, 'checked') ? el.checked : el.hasAttribute('checked');
    },
    fire: (el, type, state = {}) =>
      act(() => {
        // defineProperty, not assignment: linkedom gives some of these (select.value) only a getter.
        for (const [key, value] of Object.entries(state)) {
          Object.defineProperty(el, key, { value, configurable: true, writable: true });
        }
        el.dispatchEvent(new EventClass(type, { bubbles: true }));
      }),
  };
}

export const wait = (ms: number) => act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));

/** Waits (flushing renders) until `check` passes. Preact runs effects on a timer without rAF. */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  for (const start = Date.now(); !check(); await wait(10)) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${check}`);
  }
}
