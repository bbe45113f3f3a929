// Every way CSS paints a picture is covered until checked (issue #10, item 4), and the cover hides the
// picture, not the page: on test/fixtures/demo/css-kinds.html nothing moves and the words read the
// same as with Megane off, while covered and after. Real Chromium, the built extension, "cat" hidden
// as the stand-in for NSFW: the page's background and #cat-box are cats, the rest is harmless.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { meganeStates } from './helpers/megane-world';
import { sharpness, waitForStates, BEFORE_EACH_PAINT } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;

/** Elements whose place must not change, whatever Megane covers. */
const LAYOUT = [
  ...['box', 'over', 'words', 'abs', 'fixed', 'cat-box', 'cat-over', 'cat-words', 'cat-abs', 'cat-fixed', 'below'],
  ...['marker', 'cat-marker', 'bullet', 'after-list'],
];
/** One element per way CSS paints a harmless picture: each must end shown, never painted before. */
const SOURCES = ['content-el', 'content-logo', 'after-img', 'border', 'imageset', 'object', 'embed', 'box', 'marker'];
/** Cards with words on a background of their own: they must look exactly as with Megane off. */
const CARDS = ['intro', 'words', 'cat-words', 'below'];

/**
 * Runs in the page before its scripts: just before each paint (a ResizeObserver callback, as in
 * helpers/observe.ts), records for each SOURCES element whether its picture is painted while Megane
 * has not shown it. "Painted" is read from the computed style of what carries the picture: a
 * background layer drawn at a size above 0, a border image of non-zero width, a content image inside
 * its box, a ::after picture, an <object>/<embed>; any of them unblurred.
 */
const SAMPLER = `(() => {
${BEFORE_EACH_PAINT}
  const seen = (window.__cssSeen = {});
  const blurred = (style) => style.filter.includes('blur');
  // A list marker paints its picture once that has loaded (before, the computed style already names it).
  const probes = {};
  const markerPainted = (el, name) => {
    const value = getComputedStyle(el).listStyleImage;
    const url = value.slice(value.indexOf('"') + 1, value.lastIndexOf('"'));
    if (!url.includes(name)) return false;
    const img = (probes[url] ??= Object.assign(new Image(), { src: url }));
    return img.complete && img.naturalWidth > 0;
  };
  const painted = {
    'content-el': (el) => !blurred(getComputedStyle(el)),
    'content-logo': (el) => { const s = getComputedStyle(el); return !blurred(s) && !s.objectPosition.startsWith('1e+06px') && !s.objectPosition.startsWith('1000000px'); },
    'after-img': (el) => !blurred(getComputedStyle(el)) && !blurred(getComputedStyle(el, '::after')),
    border: (el) => { const s = getComputedStyle(el); return !blurred(s) && s.borderImageWidth !== '0'; },
    imageset: (el) => { const s = getComputedStyle(el); return !blurred(s) && !s.backgroundSize.startsWith('0px 0px'); },
    object: (el) => !blurred(getComputedStyle(el)),
    embed: (el) => !blurred(getComputedStyle(el)),
    box: (el) => { const s = getComputedStyle(el); return !blurred(s) && !s.backgroundSize.startsWith('0px 0px'); },
    marker: (el) => markerPainted(el, 'photo-goldfish'),
    'cat-marker': (el) => markerPainted(el, 'photo-cat-tabby'),
  };
  const sample = () => {
    for (const [id, isPainted] of Object.entries(painted)) {
      const el = document.getElementById(id);
      if (!el) continue;
      const record = (seen[id] ??= { flashes: 0, covered: 0 });
      const state = el.getAttribute('data-megane');
      if (!isPainted(el)) record.covered++;
      else if (state !== 'shown') record.flashes++;
    }
  };
  beforeEachPaint(sample);
})();`;

type Rects = Record<string, { x: number; y: number; width: number; height: number }>;

async function rects(page: Page, ids: string[]): Promise<Rects> {
  return page.evaluate(
    (list) =>
      Object.fromEntries(
        list.map((id) => {
          const r = document.getElementById(id)?.getBoundingClientRect();
          return [
            id,
            r ? { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height } : { x: NaN, y: NaN, width: NaN, height: NaN },
          ];
        }),
      ),
    ids,
  );
}

/** The filter of the element and of every ancestor (none of them may blur a card's words). */
async function filtersUp(page: Page, id: string): Promise<string[]> {
  return page.evaluate((i) => {
    const out: string[] = [];
    for (let el = document.getElementById(i); el; el = el.parentElement) out.push(getComputedStyle(el).filter);
    return out;
  }, id);
}

/**
 * A screenshot of an element, with Megane's labels (in their own layer) out of the way. Its edges at
 * fractional pixels would blend in what surrounds it, so the clip is the whole pixels inside it.
 */
async function shot(page: Page, id: string): Promise<Buffer> {
  const hide = await page.addStyleTag({ content: 'megane-labels, megane-controls { display: none !important; }' });
  // The same place in the viewport each time, clear of the fixed boxes at its bottom.
  const r = await page.locator(`#${id}`).evaluate((el) => {
    el.scrollIntoView({ block: 'center' });
    return el.getBoundingClientRect().toJSON() as DOMRect;
  });
  const x = Math.ceil(r.left) + 1;
  const y = Math.ceil(r.top) + 1;
  const png = await page.screenshot({
    clip: { x, y, width: Math.floor(r.right) - 1 - x, height: Math.floor(r.bottom) - 1 - y },
    animations: 'disabled',
  });
  await hide.evaluate((el) => (el as Element).remove());
  return png;
}

/** Share of pixels that differ (any channel by more than 8) between two screenshots of one size. */
async function differing(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((png) => sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })));
  if (!x || !y || x.info.width !== y.info.width || x.info.height !== y.info.height) return 1;
  let diff = 0;
  for (let i = 0; i < x.data.length; i += 3) {
    if (
      Math.max(Math.abs(x.data[i]! - y.data[i]!), Math.abs(x.data[i + 1]! - y.data[i + 1]!), Math.abs(x.data[i + 2]! - y.data[i + 2]!)) > 8
    )
      diff++;
  }
  return diff / (x.data.length / 3);
}

/** Sharpness of a line of bold 28 px words on a flat fill is about 0.05; blurred, under 0.002. */
const TEXT_SHARP = 0.02;

/** A patch of the page's own background, right of every card and box. */
const BACKGROUND_PATCH = { x: 900, y: 200, width: 300, height: 300 };

interface Reference {
  rects: Rects;
  cards: Record<string, Buffer>;
  background: number;
}
let reference: Reference;

async function openPage(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.addInitScript(SAMPLER);
  await page.goto(`${server.pageOrigin}/css-kinds.html`, { waitUntil: 'domcontentloaded' });
  return page;
}

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  // Megane off on this site: the page as its author made it, for comparison.
  await patchSettings(browser.serviceWorker, { siteRules: { '127.0.0.1': false }, tags: { cat: { hide: true } } });
  const off = await openPage();
  await off.waitForLoadState('load');
  await off.waitForTimeout(300);
  expect(await off.evaluate(() => document.querySelectorAll('[data-megane]').length)).toBe(0);
  const cards: Record<string, Buffer> = {};
  for (const id of CARDS) cards[id] = await shot(off, id);
  await off.evaluate(() => scrollTo(0, 0));
  reference = {
    rects: await rects(off, [...LAYOUT, ...SOURCES]),
    cards,
    background: await sharpness(await off.screenshot({ clip: BACKGROUND_PATCH })),
  };
  await off.close();
  await patchSettings(browser.serviceWorker, { siteRules: {} });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('every way CSS paints a picture, covered as a picture, not as the page', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openPage();
  });

  it('while a container is covered nothing moves and its words read as with Megane off', async () => {
    // #box's picture takes 4 s to arrive and as long again to be checked: it is covered meanwhile.
    await expect.poll(async () => (await meganeStates(page, ['box'])).box, { timeout: 10_000 }).toBe('pending');
    expect(await rects(page, LAYOUT)).toEqual(pick(reference.rects, LAYOUT));
    for (const id of ['words', 'over', 'abs', 'fixed'])
      expect(await filtersUp(page, id), id).toEqual(expect.not.arrayContaining([expect.stringContaining('blur')]));
    expect(await differing(await shot(page, 'words'), reference.cards.words!)).toBe(0);
    // The words right on the picture stay crisp (under a blurred container they had no edge left).
    expect(await sharpness(await shot(page, 'over'))).toBeGreaterThan(TEXT_SHARP);
    expect((await meganeStates(page, ['box'])).box).toBe('pending');
  }, 60_000);

  it('covers each until it is checked, then shows it; image-set() is checked for the candidate painted', async () => {
    await waitForStates(page, Object.fromEntries(SOURCES.map((id) => [id, 'safe'])), 120_000);
    const seen = await page.evaluate(
      () => (window as unknown as { __cssSeen: Record<string, { flashes: number; covered: number }> }).__cssSeen,
    );
    for (const id of SOURCES) {
      expect(seen[id]?.covered, `${id} was never covered`).toBeGreaterThan(0);
      expect(seen[id]?.flashes, `${id} was painted before it was checked`).toBe(0);
    }
    // At a device pixel ratio of 1 the 2x candidate is never painted, so never fetched to be checked.
    expect(server.requests.some((r) => r.url.includes('photo-hot-air-balloon.jpg'))).toBe(true);
    expect(server.requests.some((r) => r.url.includes('photo-dandelions.jpg?2x'))).toBe(false);
  }, 150_000);

  it('after the verdicts (a cat hidden, the rest shown) nothing has moved either', async () => {
    await waitForStates(page, { box: 'safe', 'cat-box': 'hidden', page: 'hidden', 'cat-marker': 'hidden' }, 150_000);
    await page.evaluate(() => scrollTo(0, 0));
    expect(await rects(page, [...LAYOUT, ...SOURCES])).toEqual(reference.rects);
    // The cat marker was never painted, and is now a grey picture of its size; the bullet was left alone.
    const seen = await page.evaluate(
      () => (window as unknown as { __cssSeen: Record<string, { flashes: number; covered: number }> }).__cssSeen,
    );
    expect(seen['cat-marker']?.flashes).toBe(0);
    expect(seen['cat-marker']?.covered).toBeGreaterThan(0);
    const markers = await page.evaluate(() =>
      ['marker', 'cat-marker', 'bullet'].map((id) => {
        const el = document.getElementById(id) as HTMLElement;
        return [el.getAttribute('data-megane'), getComputedStyle(el).listStyleImage.slice(0, 60)];
      }),
    );
    expect(markers[0]?.[1]).toContain('photo-goldfish');
    expect(markers[1]?.[1]).toContain('data:image/svg+xml');
    expect(markers[2]).toEqual([null, expect.stringContaining('data:image/svg+xml')]);
    // The page cannot put its marker back: an inline style it writes or removes is undone before the paint.
    const attacked = await page.evaluate(async () => {
      const el = document.getElementById('cat-marker') as HTMLElement;
      const url = getComputedStyle(document.getElementById('marker') as HTMLElement).listStyleImage;
      el.style.setProperty('list-style-image', url, 'important');
      await new Promise(requestAnimationFrame);
      const written = getComputedStyle(el).listStyleImage;
      el.removeAttribute('style');
      await new Promise(requestAnimationFrame);
      return [written, getComputedStyle(el).listStyleImage].map((v) => v.slice(0, 30));
    });
    expect(attacked).toEqual([expect.stringContaining('data:image/svg+xml'), expect.stringContaining('data:image/svg+xml')]);
    for (const id of CARDS) expect(await differing(await shot(page, id), reference.cards[id]!), id).toBe(0);
    for (const id of ['cat-words', 'cat-over', 'cat-abs', 'intro']) {
      expect(await filtersUp(page, id), id).toEqual(expect.not.arrayContaining([expect.stringContaining('blur')]));
    }
    expect(await sharpness(await shot(page, 'cat-over'))).toBeGreaterThan(TEXT_SHARP);
  }, 180_000);

  it("hides a hidden page background (body) but keeps the page's words readable", async () => {
    await page.evaluate(() => scrollTo(0, 0));
    // With Megane off this patch is the cat; covered it is one flat colour.
    expect(reference.background).toBeGreaterThan(0.02);
    expect(await sharpness(await page.screenshot({ clip: BACKGROUND_PATCH }))).toBeLessThan(0.002);
    expect(await differing(await shot(page, 'intro'), reference.cards.intro!)).toBe(0);
    expect(await filtersUp(page, 'intro')).toEqual(expect.not.arrayContaining([expect.stringContaining('blur')]));
  });
});

/**
 * How much of a picture's shapes a screenshot still shows: the energy of its middle-sized detail (a
 * 64 x 36 grey thumbnail minus its own blur: outlines, stripes, eyes and ears at 20-60 px of a
 * 1280 px window; not the overall light and dark any cover of a photo keeps), as a share of the
 * uncovered picture's.
 */
async function shapesLeft(shown: Buffer, covered: Buffer): Promise<number> {
  const energy = async (png: Buffer) => {
    const small = await sharp(png).resize(64, 36, { fit: 'fill' }).greyscale().raw().toBuffer();
    const soft = await sharp(small, { raw: { width: 64, height: 36, channels: 1 } })
      .blur(3)
      .raw()
      .toBuffer();
    return [...small].reduce((sum, v, i) => sum + (v - (soft[i] ?? 0)) ** 2, 0);
  };
  return (await energy(covered)) / (await energy(shown));
}

/** Standard deviation of the grey levels: 0 for a flat tile. */
async function spread(png: Buffer): Promise<number> {
  const { channels } = await sharp(png).greyscale().stats();
  return channels[0]?.stdev ?? 0;
}

describe('cover strength grows with the size', () => {
  const shots: Record<'shown' | 'old' | 'covered' | 'small', Buffer> = {} as never;
  beforeAll(async () => {
    // Megane off: the cat as it is, and as the old fixed 32 px cover showed it.
    await patchSettings(browser.serviceWorker, { siteRules: { '127.0.0.1': false } });
    const off = await browser.context.newPage();
    await off.setViewportSize({ width: 1280, height: 720 });
    for (const [key, query] of [
      ['shown', ''],
      ['old', '?blur=32'],
    ] as const) {
      await off.goto(`${server.pageOrigin}/css-strength.html${query}`, { waitUntil: 'load' });
      shots[key] = await off.screenshot({ animations: 'disabled' });
    }
    await off.close();
    await patchSettings(browser.serviceWorker, { siteRules: {} });
    const on = await browser.context.newPage();
    await on.setViewportSize({ width: 1280, height: 720 });
    await on.goto(`${server.pageOrigin}/css-strength.html`, { waitUntil: 'load' });
    await waitForStates(on, { big: 'hidden', small: 'hidden' }, 150_000);
    await on.addStyleTag({ content: 'megane-labels, megane-controls { display: none !important; }' });
    shots.covered = await on.screenshot({ animations: 'disabled' });
    const small = await on.locator('#small').boundingBox();
    if (!small) throw new Error('#small is not laid out');
    await on.locator('#small').scrollIntoViewIfNeeded();
    shots.small = await on.locator('#small').screenshot({ animations: 'disabled' });
    await on.close();
  }, 200_000);

  it('a cat as large as the window keeps less of its shapes than under the old 32 px blur', async () => {
    const old = await shapesLeft(shots.shown, shots.old);
    const covered = await shapesLeft(shots.shown, shots.covered);
    console.info(`shapes left of a 1280 x 720 cat: old 32 px blur ${old.toFixed(2)}, Megane's cover ${covered.toFixed(2)}`);
    // Measured: 0.81 under the old blur (a person sees the curled-up tabby), 0.56 under 6vmax.
    expect(old).toBeGreaterThan(0.7);
    expect(covered).toBeLessThan(old * 0.8);
  });

  it("Megane's own detector finds the cat in the uncovered screenshot, not in the covered one", async () => {
    const page = await browser.context.newPage();
    const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
    await browser.context.route(`${server.pageOrigin}/screenshots.html`, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body: `<img id="shot-shown" src="${dataUrl(shots.shown)}" width="320"><img id="shot-covered" src="${dataUrl(shots.covered)}" width="320">`,
      }),
    );
    await page.goto(`${server.pageOrigin}/screenshots.html`);
    await waitForStates(page, { 'shot-shown': 'hidden', 'shot-covered': 'safe' }, 150_000);
    await page.close();
  }, 160_000);

  it('a small covered picture is a soft patch of its colours, not a blank tile', async () => {
    expect(await sharpness(shots.small)).toBeLessThan(0.002);
    // Measured: a spread of 9.5 grey levels at 6vmax; a blank tile has none.
    expect(await spread(shots.small)).toBeGreaterThan(5);
  });
});

function pick(all: Rects, ids: string[]): Rects {
  return Object.fromEntries(ids.map((id) => [id, all[id]!]));
}
