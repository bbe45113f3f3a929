// Pictures drawn on <canvas> (the checkCanvases setting, off by default), on test/fixtures/demo/canvas.html:
// canvases drawn from the image origin with CORS (readable), one drawn without (tainted), one redrawn
// on demand. "cat" is hidden as the benign stand-in. Off, canvases are never touched; switched on in
// the options page, the open page's cat canvas ends covered, the food one shown, the tainted one
// "couldn't check", and a redraw from food to a cat is covered within the sampling period.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { inMeganeWorld, labelText, meganeStates } from './helpers/megane-world';
import { filterOf, waitForStates, BEFORE_EACH_PAINT } from './helpers/observe';

const CANVASES = ['canvas-cat', 'canvas-food', 'canvas-redrawn', 'canvas-tainted', 'canvas-tiny'];

/**
 * Runs before any page script: just before each paint (a ResizeObserver callback, as in
 * helpers/observe.ts) records per canvas how many frames it was blurred, how many it showed a drawing
 * unblurred, and how many it showed a drawing unblurred while Megane had not said "shown" (a flash).
 */
const CANVAS_SAMPLER = `(() => {
${BEFORE_EACH_PAINT}
  const seen = (window.__canvasSeen = {});
  const sample = () => {
    const now = performance.now();
    for (const el of document.querySelectorAll('canvas[id]')) {
      const record = (seen[el.id] ??= { covered: 0, drawnVisible: 0, visibleBy: {}, flashes: 0, states: [], drawn: null, coveredAfterMs: null });
      const blurred = getComputedStyle(el).filter.includes('blur');
      const state = el.getAttribute('data-megane');
      if (record.states[record.states.length - 1] !== state) record.states.push(state);
      // A new drawing: how long until the first frame that shows it covered.
      if ((el.dataset.drawn ?? null) !== record.drawn) {
        record.drawn = el.dataset.drawn ?? null;
        record.drawnAt = now;
        record.coveredAfterMs = null;
      }
      if (blurred) {
        record.covered++;
        record.coveredAfterMs ??= Math.round(now - record.drawnAt);
      } else if (el.dataset.drawn) {
        record.drawnVisible++;
        record.visibleBy[el.dataset.drawn] = (record.visibleBy[el.dataset.drawn] ?? 0) + 1;
        if (state !== 'shown') record.flashes++;
      }
    }
  };
  beforeEachPaint(sample);
})();`;

interface CanvasSeen {
  covered: number;
  drawnVisible: number;
  /** Frames each drawing (by its name) showed unblurred. */
  visibleBy: Record<string, number>;
  flashes: number;
  states: (string | null)[];
  /** What the canvas shows now (the page's data-drawn) and how long after it was drawn it was first covered. */
  drawn: string | null;
  coveredAfterMs: number | null;
}
const canvasSeen = (page: Page) => page.evaluate(() => (window as unknown as { __canvasSeen: Record<string, CanvasSeen> }).__canvasSeen);
const drawnAll = (page: Page) => page.waitForFunction(() => document.body.dataset.drawn === 'all', undefined, { timeout: 30_000 });

let server: DemoServer;
let browser: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true } } });
  page = await browser.context.newPage();
  await page.addInitScript(CANVAS_SAMPLER);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('canvas', () => {
  it('with the setting off (the default), shows every canvas at once and never covers or marks one', async () => {
    await page.goto(`${server.pageOrigin}/canvas.html`);
    await drawnAll(page);
    // Several sampling periods: nothing may come later either.
    await page.waitForTimeout(2500);
    const seen = await canvasSeen(page);
    for (const id of CANVASES) {
      expect(seen[id]?.covered, `${id}: ${JSON.stringify(seen[id])}`).toBe(0);
      expect(seen[id]?.drawnVisible, id).toBeGreaterThan(0);
      expect(seen[id]?.states, id).toEqual([null]);
      expect(await filterOf(page, `#${id}`), id).toBe('none');
    }
    expect(Object.values(await meganeStates(page, CANVASES))).toEqual(CANVASES.map(() => null));
    // No canvas flag script registered: canvases are not covered before the settings are read.
    expect(
      await inMeganeWorld(page, () => (globalThis as Record<symbol, unknown>)[Symbol.for('megane.checkCanvases')], null),
    ).toBeUndefined();
  }, 60_000);

  it('switched on in the options page, checks the open page: the cat covered, food shown, the tainted one "couldn\'t check"', async () => {
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await options.locator('#check-canvases').check();
    await options.close();

    await waitForStates(
      page,
      { 'canvas-cat': 'hidden', 'canvas-food': 'shown', 'canvas-redrawn': 'shown', 'canvas-tainted': 'error' },
      150_000,
    );
    expect(await filterOf(page, '#canvas-cat')).toContain('blur');
    expect(await labelText(page, '#canvas-cat')).toMatch(/^Hidden: cat \d+%$/);
    expect(await filterOf(page, '#canvas-food')).toBe('none');
    expect(await filterOf(page, '#canvas-tainted')).toContain('blur');
    expect(await labelText(page, '#canvas-tainted')).toBe("Couldn't check — click to show");
    // Smaller than the minimum image size: left alone.
    expect((await meganeStates(page, ['canvas-tiny']))['canvas-tiny']).toBeNull();
    expect(await filterOf(page, '#canvas-tiny')).toBe('none');
  }, 180_000);

  it('covers a canvas the page redraws from food to a cat within the sampling period, and it ends hidden', async () => {
    // The page's own script, no input from the user: the plain sampling period (500 ms on screen).
    await page.evaluate(() =>
      (window as unknown as { drawOn(id: string, file: string): Promise<void> }).drawOn('canvas-redrawn', 'photo-cat-chelsea.jpg'),
    );
    const redrawn = async () => (await canvasSeen(page))['canvas-redrawn'];
    // The sampler sees the new drawing at its next frame: until then it still describes the old one.
    await expect.poll(async () => (await redrawn())?.drawn, { timeout: 10_000 }).toBe('photo-cat-chelsea.jpg');
    await expect.poll(async () => (await redrawn())?.coveredAfterMs ?? null, { timeout: 5_000 }).not.toBeNull();
    const seen = await redrawn();
    // One sampling period, and slack for a busy machine.
    expect(seen?.coveredAfterMs, JSON.stringify(seen)).toBeLessThan(1_500);
    await waitForStates(page, { 'canvas-redrawn': 'hidden' }, 150_000);
    expect(await labelText(page, '#canvas-redrawn')).toMatch(/^Hidden: cat \d+%$/);
  }, 180_000);

  it('just after the user turns the page, covers the new drawing within a few frames, then checks it', async () => {
    const redrawn = async () => (await canvasSeen(page))['canvas-redrawn'];
    for (const file of ['photo-fig-in-bowl.jpg', 'photo-owl.jpg', 'photo-cat-tabby.jpg']) {
      await page.locator('#turn-page').click();
      await expect.poll(async () => (await redrawn())?.drawn, { timeout: 10_000 }).toBe(file);
      await expect.poll(async () => (await redrawn())?.coveredAfterMs ?? null, { timeout: 5_000 }).not.toBeNull();
      const seen = await redrawn();
      // Sampled every 100 ms for a moment after the user's input, instead of every 500 ms.
      expect(seen?.coveredAfterMs, `${file}: ${JSON.stringify(seen)}`).toBeLessThan(400);
      if (file !== 'photo-cat-tabby.jpg') await waitForStates(page, { 'canvas-redrawn': 'shown' }, 150_000);
    }
    await waitForStates(page, { 'canvas-redrawn': 'hidden' }, 150_000);
  }, 300_000);

  it('on a page loaded with the setting on, covers each drawing from its first paint until its verdict', async () => {
    // The page draws once Megane has looked at its canvases (blank ones are covered, invisibly).
    await page.goto(`${server.pageOrigin}/canvas.html?manual`);
    await page.waitForFunction(
      (ids) => ids.every((id) => document.getElementById(id)?.getAttribute('data-megane') === 'covered'),
      ['canvas-cat', 'canvas-food', 'canvas-redrawn', 'canvas-tainted'],
      { timeout: 30_000 },
    );
    await page.evaluate(() => (window as unknown as { drawAll(): Promise<void> }).drawAll());
    await drawnAll(page);
    await waitForStates(page, { 'canvas-cat': 'hidden', 'canvas-food': 'shown', 'canvas-tainted': 'error' }, 150_000);
    const seen = await canvasSeen(page);
    expect(seen['canvas-cat']?.drawnVisible, JSON.stringify(seen['canvas-cat'])).toBe(0);
    expect(seen['canvas-tainted']?.drawnVisible, JSON.stringify(seen['canvas-tainted'])).toBe(0);
    expect(seen['canvas-food']?.flashes, JSON.stringify(seen['canvas-food'])).toBe(0);
    expect(seen['canvas-food']?.covered, 'the food canvas was never covered').toBeGreaterThan(0);
  }, 180_000);

  it('covers a canvas the page draws while it is parsed, before Megane has read its settings', async () => {
    await page.goto(`${server.pageOrigin}/canvas.html?early`);
    // The canvas flag script ran in Megane's world: canvases are covered without waiting for the
    // settings. (Here the settings arrive before the parser reaches the canvas, so the page's early
    // drawing would be covered without the flag too; a slower storage read is what it is for.)
    expect(await inMeganeWorld(page, () => (globalThis as Record<symbol, unknown>)[Symbol.for('megane.checkCanvases')], null)).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { stateWhenDrawn: string | null }).stateWhenDrawn)).toBe('covered');
    await drawnAll(page);
    await waitForStates(page, { 'canvas-cat': 'hidden', 'canvas-food': 'shown' }, 150_000);
    const seen = (await canvasSeen(page))['canvas-cat'];
    // Stripes, then the cat: the stripes were never painted before their verdict (they may show once
    // checked, when that comes before the cat is drawn), and the cat was never painted uncovered.
    expect(seen?.flashes, JSON.stringify(seen)).toBe(0);
    expect(seen?.visibleBy['photo-cat-tabby.jpg'] ?? 0, JSON.stringify(seen)).toBe(0);
    expect(seen?.states[0], JSON.stringify(seen)).toBe('covered');
  }, 180_000);

  it('switched off again, uncovers every canvas on the open page', async () => {
    await patchSettings(browser.serviceWorker, { checkCanvases: false });
    for (const id of ['canvas-cat', 'canvas-tainted']) {
      await expect.poll(() => filterOf(page, `#${id}`), { timeout: 10_000 }).toBe('none');
    }
  }, 60_000);
});
