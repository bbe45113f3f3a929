// Reads what Megane decided the way a page cannot: in the content script's isolated world, through the
// Chrome DevTools Protocol. The page sees only "covered" or "shown" on an element; the labels that say
// why ("Hidden: cat 57%") live in closed shadow roots, which the isolated world opens with
// chrome.dom.openOrClosedShadowRoot, as the content script does.
import type { Frame, Page } from 'playwright-core';

/** Evaluates `fn(arg)` in the extension's isolated world of the page's (or frame's) document. */
export async function inMeganeWorld<A, R>(target: Page | Frame, fn: (arg: A) => R, arg: A): Promise<R> {
  const page = 'page' in target ? target.page() : target;
  const frame = 'page' in target ? target : target.mainFrame();
  // An out-of-process frame needs its own session; a same-process one is reached through the page's.
  const session = await page
    .context()
    .newCDPSession(frame)
    .catch(() => page.context().newCDPSession(page));
  try {
    const contexts: { id: number; origin: string; auxData?: { frameId?: string; type?: string } }[] = [];
    session.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
    await session.send('Runtime.enable');
    const { frameTree } = await session.send('Page.getFrameTree');
    const frameId = findFrameId(frameTree, frame.url()) ?? frameTree.frame.id;
    const world = contexts.find(
      (c) => c.auxData?.frameId === frameId && c.auxData?.type === 'isolated' && c.origin.startsWith('chrome-extension://'),
    );
    if (!world) throw new Error(`no Megane content script in ${frame.url()}`);
    const { result, exceptionDetails } = await session.send('Runtime.evaluate', {
      expression: `(${fn.toString()})(${JSON.stringify(arg)})`,
      contextId: world.id,
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value as R;
  } finally {
    await session.detach().catch(() => {});
  }
}

interface FrameTree {
  frame: { id: string; url: string };
  childFrames?: FrameTree[];
}

function findFrameId(tree: FrameTree, url: string): string | undefined {
  if (tree.frame.url === url) return tree.frame.id;
  for (const child of tree.childFrames ?? []) {
    const id = findFrameId(child, url);
    if (id) return id;
  }
  return undefined;
}

/**
 * Megane's state of each element (by id or selector) as the tests name them, rebuilt from what a
 * person sees: covered or shown, and the label over a covered image. 'pending' is covered without a
 * label; 'hidden', 'nsfw' and 'error' are covered with their label; 'shown' is every visible state
 * (checked safe, revealed, left alone, or couldn't check and shown). null: no state (not Megane's).
 */
export async function meganeStates(target: Page | Frame, selectors: string[]): Promise<Record<string, string | null>> {
  return inMeganeWorld(
    target,
    (wanted: string[]) => {
      const host = document.querySelector('megane-labels');
      const dom = (globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(el: Element): ShadowRoot | null } } }).chrome.dom;
      const root = host ? dom.openOrClosedShadowRoot(host) : null;
      const labelOver = (el: Element): string | null => {
        if (!root) return null;
        const box = el.getBoundingClientRect();
        for (const label of root.querySelectorAll<HTMLElement>('.label')) {
          const r = label.getBoundingClientRect();
          if (Math.abs(r.left - box.left) < 2 && Math.abs(r.top - box.top) < 2) return label.textContent;
        }
        return null;
      };
      const out: Record<string, string | null> = {};
      for (const key of wanted) {
        const el = /^[a-z][\w-]*$/i.test(key) ? document.getElementById(key) : document.querySelector(key);
        const attr = el?.getAttribute('data-megane') ?? null;
        if (!el || attr === null) out[key] = null;
        else if (attr === 'shown') out[key] = 'shown';
        else {
          const label = labelOver(el) ?? '';
          // In English or Japanese (src/locales: page.nsfw, page.couldNotCheck, page.hiddenByTags, page.hiddenByYou).
          out[key] = label.startsWith('NSFW')
            ? 'nsfw'
            : label.startsWith("Couldn't check") || label.startsWith('チェックできませんでした')
              ? 'error'
              : label.startsWith('Hidden') || label.startsWith('非表示') || label.startsWith('あなたが隠した')
                ? 'hidden'
                : 'pending';
        }
      }
      return out;
    },
    selectors,
  );
}

/** The text of the label over an element, or null. */
export async function labelText(target: Page | Frame, selector: string): Promise<string | null> {
  return inMeganeWorld(
    target,
    (sel: string) => {
      const el = document.querySelector(sel);
      const host = document.querySelector('megane-labels');
      const dom = (globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(el: Element): ShadowRoot | null } } }).chrome.dom;
      const root = host ? dom.openOrClosedShadowRoot(host) : null;
      if (!el || !root) return null;
      const box = el.getBoundingClientRect();
      for (const label of root.querySelectorAll<HTMLElement>('.label')) {
        const r = label.getBoundingClientRect();
        if (Math.abs(r.left - box.left) < 2 && Math.abs(r.top - box.top) < 2) return label.textContent;
      }
      return null;
    },
    selector,
  );
}

/** The text of the hover hint (the top tags), or null. */
export async function hintText(page: Page): Promise<string | null> {
  return inMeganeWorld(
    page,
    () => {
      const host = document.querySelector('megane-labels');
      const dom = (globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(el: Element): ShadowRoot | null } } }).chrome.dom;
      return (host && dom.openOrClosedShadowRoot(host)?.querySelector('.hint')?.textContent) ?? null;
    },
    undefined,
  );
}

/** A mark button (by class) in the closed shadow root: where it is and whether it is pressed, or null. */
export async function markButton(page: Page, cls: string): Promise<{ x: number; y: number; pressed: string | null } | null> {
  return inMeganeWorld(
    page,
    (c: string) => {
      const host = document.querySelector('megane-controls');
      const dom = (globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(el: Element): ShadowRoot | null } } }).chrome.dom;
      const button = host ? dom.openOrClosedShadowRoot(host)?.querySelector(`.bar button.${c}`) : null;
      if (!button) return null;
      const r = button.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2, pressed: button.getAttribute('aria-pressed') };
    },
    cls,
  );
}

/**
 * Presses a mark button the way a person can: focused, then Enter on the keyboard (a trusted click
 * on it, wherever it is on the page, with the pointer left on the image so the buttons stay).
 */
export async function clickMarkButton(page: Page, cls: string): Promise<void> {
  const focus = () =>
    inMeganeWorld(
      page,
      (c: string) => {
        const host = document.querySelector('megane-controls');
        const dom = (globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(el: Element): ShadowRoot | null } } }).chrome.dom;
        const button = host ? dom.openOrClosedShadowRoot(host)?.querySelector<HTMLButtonElement>(`.bar button.${c}`) : null;
        button?.focus({ preventScroll: true });
        return button ? (host ? dom.openOrClosedShadowRoot(host)?.activeElement === button : false) : false;
      },
      cls,
    );
  for (let i = 0; !(await focus()); i++) {
    if (i >= 100) throw new Error(`no mark button .${cls}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.keyboard.press('Enter');
}

/**
 * Megane's state of the element with this id wherever it is: in any frame of the page (same-process
 * frames and out-of-process ones alike) and inside open or closed shadow roots. Read in each frame's
 * Megane world as meganeStates reads it: 'pending', 'hidden', 'nsfw', 'error' (covered, by the label
 * over it) or 'shown'; null when no frame has the element or Megane has no state on it.
 */
export async function meganeStateAnywhere(page: Page, id: string): Promise<string | null> {
  const sessions = [await page.context().newCDPSession(page)];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    // Only an out-of-process frame has a session of its own; the others are in the page's.
    const own = await page
      .context()
      .newCDPSession(frame)
      .catch(() => null);
    if (own) sessions.push(own);
  }
  try {
    for (const session of sessions) {
      const contexts: { id: number; origin: string; auxData?: { type?: string } }[] = [];
      session.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
      await session.send('Runtime.enable');
      for (const world of contexts.filter((c) => c.auxData?.type === 'isolated' && c.origin.startsWith('chrome-extension://'))) {
        const { result, exceptionDetails } = await session.send('Runtime.evaluate', {
          expression: `(${stateById.toString()})(${JSON.stringify(id)})`,
          contextId: world.id,
          returnByValue: true,
        });
        if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
        if (typeof result.value === 'string') return result.value;
      }
    }
    return null;
  } finally {
    for (const session of sessions) await session.detach().catch(() => {});
  }
}

/** Runs in a Megane world: the element's state, looked up through every shadow root of the document. */
function stateById(id: string): string | null {
  const dom = (globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(el: Element): ShadowRoot | null } } }).chrome.dom;
  const roots: (Document | ShadowRoot)[] = [document];
  let el: Element | null = null;
  for (let i = 0; i < roots.length && !el; i++) {
    const root = roots[i] as Document | ShadowRoot;
    el = root.getElementById(id);
    for (const host of root.querySelectorAll('*')) {
      // The API takes HTML elements only (SVG elements cannot host a shadow root anyway).
      const shadow = host instanceof HTMLElement ? dom.openOrClosedShadowRoot(host) : null;
      if (shadow) roots.push(shadow);
    }
  }
  const attr = el?.getAttribute('data-megane') ?? null;
  if (!el || attr === null) return null;
  if (attr === 'shown') return 'shown';
  const host = document.querySelector('megane-labels');
  const labels = host ? dom.openOrClosedShadowRoot(host) : null;
  const box = el.getBoundingClientRect();
  let text = '';
  for (const label of labels?.querySelectorAll<HTMLElement>('.label') ?? []) {
    const r = label.getBoundingClientRect();
    if (Math.abs(r.left - box.left) < 2 && Math.abs(r.top - box.top) < 2) text = label.textContent ?? '';
  }
  if (text.startsWith('NSFW')) return 'nsfw';
  if (text.startsWith("Couldn't check")) return 'error';
  if (text.startsWith('Hidden')) return 'hidden';
  return 'pending';
}
