// Images that are hard to find (discovery.html): responsive images, frames without a URL of their own,
// shadow roots, and pictures that change after their verdict. Megane hides "cat" and every case ends
// showing a cat, so each must end covered and no frame may paint a cat uncovered on the way. Real
// Chromium, the built extension, a page on one origin with images from another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { meganeStateAnywhere } from './helpers/megane-world';

/** What the sampler saw of one element (by id) before each paint. */
interface Sighting {
  /** Frames in which it painted an image uncovered that had no verdict, or that was a cat. */
  flashes: number;
  covered: number;
  state: string | null;
  filter: string;
  firstFlash?: { at: number; state: string | null; src: string };
}

/**
 * Like observe.ts's sampler (a ResizeObserver callback: after style, layout and every animation-frame
 * callback, right before the paint), but it also looks into shadow roots (open ones, and the closed
 * ones the page keeps in window.meganeRoots) and into same-origin child frames that have no sampler
 * of their own (a script-written about:blank frame gets no init script), and it counts a cat painted
 * uncovered as a flash whatever the state says (a stale "safe" after the picture changed).
 */
const SAMPLER = `(() => {
  // Per document: a frame's initial about:blank document and the one it loads next share a window.
  if (document.__discSampled) return;
  document.__discSampled = true;
  const seen = (window.__discSeen ??= {});
  const VERDICT = new Set(['shown']);
  const cssUrl = (el, view) => {
    const own = view.getComputedStyle(el).backgroundImage;
    if (own.includes('url(')) return own;
    for (const p of ['::before', '::after']) {
      const style = view.getComputedStyle(el, p);
      if (!['none', 'normal', ''].includes(style.content) && style.backgroundImage.includes('url(')) return style.backgroundImage;
    }
    return '';
  };
  // Megane leaves images under 48 px (both sides) alone.
  const tiny = (el) => {
    const rect = el.getBoundingClientRect();
    return rect.width < 48 && rect.height < 48;
  };
  const roots = (doc) => {
    const out = [doc];
    for (let i = 0; i < out.length; i++) {
      for (const el of out[i].querySelectorAll('*')) {
        if (el.shadowRoot) out.push(el.shadowRoot);
        if (el.localName === 'iframe') {
          try {
            const child = el.contentDocument;
            if (child && !child.__discSampled && child.documentElement) out.push(child);
          } catch {}
        }
      }
      if (i === 0) for (const r of window.meganeRoots ?? []) out.push(r);
    }
    return out;
  };
  const sample = () => {
    for (const root of roots(document)) {
      const view = (root.ownerDocument ?? root).defaultView ?? window;
      for (const el of root.querySelectorAll('[id]')) {
        let src = '';
        let painted = false;
        if (el.localName === 'img') {
          src = el.currentSrc;
          painted = el.complete && el.naturalWidth > 0;
        } else if (el.localName === 'image') {
          src = el.href.baseVal;
          painted = true;
        } else {
          src = cssUrl(el, view);
          painted = src !== '';
        }
        if (!src) continue;
        const filter = view.getComputedStyle(el).filter;
        const state = el.getAttribute('data-megane');
        const record = (seen[el.id] ??= { flashes: 0, covered: 0, state: null, filter: '' });
        if (filter.includes('blur')) record.covered++;
        else if (painted && (!VERDICT.has(state) || src.includes('photo-cat')) && !(state === 'shown' && tiny(el))) {
          record.flashes++;
          record.firstFlash ??= { at: Math.round(performance.now()), state, src: src.slice(-60) };
        }
        record.state = state;
        record.filter = filter;
      }
    }
  };
  // Megane's own ResizeObservers (an icon that grows) run after this one in the same round, and what
  // they change is painted: so the shallow probe's callback resizes a probe nested deeper than any
  // page element, whose callback comes in a later round, after every other observer, and samples.
  const probe = document.createElement('megane-sampler-probe');
  probe.style.cssText = 'position: fixed; top: 0; left: 0; height: 1px; width: 0; visibility: hidden; pointer-events: none; overflow: hidden';
  let deepest = probe;
  for (let i = 0; i < 60; i++) deepest = deepest.appendChild(document.createElement('div'));
  const deep = deepest.appendChild(document.createElement('div'));
  deep.style.cssText = 'height: 1px; width: 0';
  let deepWide = false;
  new ResizeObserver(() => {
    deepWide = !deepWide;
    deep.style.width = deepWide ? '1px' : '0px';
  }).observe(probe);
  new ResizeObserver(sample).observe(deep);
  let wide = false;
  const flip = () => {
    if (!probe.isConnected && document.documentElement) document.documentElement.append(probe);
    wide = !wide;
    probe.style.width = wide ? '1px' : '0px';
    requestAnimationFrame(flip);
  };
  requestAnimationFrame(flip);
})();`;

/** Finds an element by id in a frame, through open shadow roots and those in window.meganeRoots. */
function lookUp(id: string): { state: string | null; filter: string } | null {
  const roots: (Document | ShadowRoot)[] = [document, ...((window as unknown as { meganeRoots?: ShadowRoot[] }).meganeRoots ?? [])];
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i]!;
    const el = root.getElementById(id);
    if (el) return { state: el.getAttribute('data-megane'), filter: getComputedStyle(el).filter };
    for (const host of root.querySelectorAll('*')) if (host.shadowRoot) roots.push(host.shadowRoot);
  }
  return null;
}

let browser: ExtensionBrowser;
let server: DemoServer;
let page: Page;

/** The element's state and filter, from whichever frame holds it. */
async function find(id: string): Promise<{ state: string | null; filter: string } | null> {
  for (const frame of page.frames()) {
    const found = await frame.evaluate(lookUp, id).catch(() => null);
    if (found) return found;
  }
  return null;
}

/** Waits until Megane has hidden each element (covered with its label), read where the page cannot. */
async function waitHidden(ids: string[], timeout = 90_000): Promise<void> {
  for (const id of ids) await expect.poll(() => meganeStateAnywhere(page, id), { timeout, message: id }).toBe('hidden');
}

/** Everything every frame's sampler saw, merged by id. */
async function sightings(): Promise<Record<string, Sighting>> {
  const all: Record<string, Sighting> = {};
  for (const frame of page.frames() as Frame[]) {
    const seen = await frame
      .evaluate(() => (window as unknown as { __discSeen?: Record<string, Sighting> }).__discSeen ?? {})
      .catch(() => ({}));
    Object.assign(all, seen);
  }
  return all;
}

async function expectCoveredThroughout(ids: string[]): Promise<void> {
  const seen = await sightings();
  for (const id of ids) {
    expect(seen[id], `${id} was never sampled`).toBeDefined();
    expect(seen[id]?.flashes, `${id} showed a cat or an unchecked image: ${JSON.stringify(seen[id])}`).toBe(0);
    expect(seen[id]?.covered, `${id} was never covered`).toBeGreaterThan(0);
    expect((await find(id))?.filter, id).toContain('blur');
  }
}

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true } } });
  page = await browser.context.newPage();
  // Tall enough for every case at once: Chromium does not render (or run animation frames in) frames
  // outside the viewport, so the samplers in them would see nothing.
  await page.setViewportSize({ width: 1280, height: 2400 });
  await page.addInitScript(SAMPLER);
  await page.goto(`${server.pageOrigin}/discovery.html`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('picture and srcset', () => {
  it('covers what a <source> paints for an <img> without src', async () => {
    await waitHidden(['picture-nosrc']);
    await expectCoveredThroughout(['picture-nosrc']);
  });

  it('covers a <source media> that starts to apply after a resize, and checks it', async () => {
    await expect.poll(async () => (await find('picture-media'))?.state, { timeout: 90_000 }).toBe('shown');
    await page.setViewportSize({ width: 600, height: 2400 });
    await waitHidden(['picture-media']);
    await page.setViewportSize({ width: 1280, height: 2400 });
    await expect.poll(async () => (await find('picture-media'))?.state, { timeout: 30_000 }).toBe('shown');
    await page.setViewportSize({ width: 600, height: 2400 });
    await waitHidden(['picture-media']);
    await expectCoveredThroughout(['picture-media']);
  });

  it('covers a srcset changed by script', async () => {
    await expect.poll(async () => (await find('srcset-change'))?.state, { timeout: 90_000 }).toBe('shown');
    await page.evaluate((images) => {
      document.getElementById('srcset-change')?.setAttribute('srcset', `${images}/photo-cat-chelsea.jpg?srcset 1x`);
    }, server.imageOrigin);
    await waitHidden(['srcset-change']);
    await expectCoveredThroughout(['srcset-change']);
  });
});

describe('every frame', () => {
  const FRAMED = ['in-srcdoc', 'in-data', 'in-blob', 'in-written', 'in-docwrite'];

  it('covers and checks the images of srcdoc, data:, blob: and script-written frames', async () => {
    await waitHidden(FRAMED);
    await expectCoveredThroughout(FRAMED);
  });
});

describe('shadow DOM', () => {
  const SHADOWED = ['in-open', 'in-closed', 'in-declarative', 'in-bg', 'in-late', 'in-after', 'in-after-bg', 'in-nested'];

  it('covers and checks images in open, closed and declarative roots, and in roots attached later', async () => {
    await page.waitForFunction(() => {
      const demo = (window as unknown as { meganeDemo: { lateDefined?: boolean; afterAttached?: boolean } }).meganeDemo;
      return demo.lateDefined && demo.afterAttached;
    });
    await waitHidden(SHADOWED, 30_000);
    await expectCoveredThroughout(SHADOWED);
  });

  it('one real click reveals an image hidden inside a closed shadow root', async () => {
    // Off the label's button (centred on the image), so the click lands on the image itself.
    const corner = await page.evaluate(() => {
      for (const root of (window as unknown as { meganeRoots?: ShadowRoot[] }).meganeRoots ?? []) {
        const el = root.getElementById('in-closed');
        if (el) {
          const r = el.getBoundingClientRect();
          return { x: r.left + 12, y: r.top + 12 };
        }
      }
      return null;
    });
    if (!corner) throw new Error('no #in-closed in the closed roots');
    await page.mouse.click(corner.x, corner.y);
    await expect.poll(() => meganeStateAnywhere(page, 'in-closed'), { timeout: 10_000 }).toBe('shown');
  });
});

describe('pictures that change after their verdict', () => {
  const shown = (id: string) => expect.poll(async () => (await find(id))?.state, { timeout: 90_000, message: id });

  it('covers an SVG <image> whose xlink:href is set with setAttributeNS, and checks it', async () => {
    await shown('svg-ns').toBe('shown');
    await page.evaluate((images) => {
      document
        .getElementById('svg-ns')
        ?.setAttributeNS('http://www.w3.org/1999/xlink', 'xlink:href', `${images}/photo-cat-chelsea.jpg?svgns`);
    }, server.imageOrigin);
    await waitHidden(['svg-ns']);
    await expectCoveredThroughout(['svg-ns']);
  });

  it('covers a background a class on an ancestor changes, and checks it', async () => {
    await shown('ancestor-bg').toBe('shown');
    await page.evaluate(() => document.getElementById('wall')?.classList.add('cats'));
    await waitHidden(['ancestor-bg']);
    await expectCoveredThroughout(['ancestor-bg']);
  });

  it('checks a tiny image once it grows past the minimum size', async () => {
    await shown('grows').toBe('shown');
    await page.evaluate(() => {
      const img = document.getElementById('grows') as HTMLImageElement;
      img.width = 200;
      img.height = 150;
    });
    await waitHidden(['grows']);
    await expectCoveredThroughout(['grows']);
  });
});
