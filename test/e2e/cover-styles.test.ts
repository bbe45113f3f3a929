// The three cover styles as a person sees them, on the demo's image kinds with every image covered
// (threshold 0): blurred, a plain grey tile, or hidden with only the label; in each, every covered
// element keeps its box, so nothing on the page moves, and the change applies to open pages at once.
// Real Chromium, the built extension.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import type { DemoServer, ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { labelText } from './helpers/megane-world';
import { waitForStates } from './helpers/observe';
import { browserAndServerPerFile } from './helpers/per-file';

let browser: ExtensionBrowser;
let server: DemoServer;
let page: Page;
browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

/** An <img>, a CSS background on an empty element and on its ::before, and the elements after them (whose place would move). */
const WATCHED = ['plain', 'bg', 'bg-pseudo', 'srcset', 'bg-inline'];

const boxes = () => page.evaluate((ids) => ids.map((id) => JSON.stringify(document.getElementById(id)?.getBoundingClientRect())), WATCHED);

/** Mean and standard deviation of the grey levels of an element's box on screen: its lowest quarter inside its edges (the label sits in the middle). */
async function pixels(id: string): Promise<{ mean: number; stdev: number }> {
  const box = await page.locator(`#${id}`).boundingBox();
  if (!box) throw new Error(`no box for #${id}`);
  const shot = await page.screenshot({
    clip: { x: box.x + 4, y: box.y + box.height * 0.75, width: box.width - 8, height: box.height / 4 - 4 },
  });
  const { channels } = await sharp(shot).greyscale().stats();
  return { mean: channels[0]?.mean ?? -1, stdev: channels[0]?.stdev ?? -1 };
}

const style = (id: string) =>
  page.locator(`#${id}`).evaluate((el) => {
    const s = getComputedStyle(el);
    return {
      filter: s.filter,
      opacity: s.opacity,
      objectPosition: s.objectPosition,
      backgroundColor: s.backgroundColor,
      backgroundSize: s.backgroundSize,
    };
  });

it('blur, tile and hide each cover every image, keep every box in place, and apply to the open page at once', async () => {
  await patchSettings(browser.serviceWorker, { nsfwThreshold: 0 });
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1000, height: 1400 });
  await page.goto(`${server.pageOrigin}/kinds.html`);
  await waitForStates(page, Object.fromEntries(WATCHED.map((id) => [id, 'nsfw'])), 90_000);
  const blurredBoxes = await boxes();
  expect((await style('plain')).filter).toContain('blur');
  const blurred = await pixels('plain');
  // A blurred photo still varies (a soft patch of its colours).
  expect(blurred.stdev).toBeGreaterThan(3);

  await patchSettings(browser.serviceWorker, { coverStyle: 'tile' });
  await expect.poll(async () => (await style('plain')).objectPosition, { timeout: 10_000 }).toBe('1e+06px 1e+06px');
  // The new user sheet goes in before the old one comes out (both cover meanwhile): wait for the old to go.
  await expect.poll(() => style('plain'), { timeout: 10_000 }).toMatchObject({ filter: 'none', backgroundColor: 'rgb(118, 118, 118)' });
  expect(await style('bg')).toMatchObject({ backgroundSize: '0px 0px', backgroundColor: 'rgb(118, 118, 118)' });
  for (const id of ['plain', 'bg', 'bg-pseudo']) {
    const tile = await pixels(id);
    expect(tile.stdev, `${id} is one flat grey`).toBeLessThan(1.5);
    expect(Math.abs(tile.mean - 118), `${id} is #767676`).toBeLessThan(3);
  }
  expect(await boxes()).toEqual(blurredBoxes);
  expect(await labelText(page, '#plain')).toMatch(/^NSFW \d+%$/);

  await patchSettings(browser.serviceWorker, { coverStyle: 'hide' });
  await expect.poll(async () => (await style('plain')).opacity, { timeout: 10_000 }).toBe('0');
  expect((await style('bg')).opacity).toBe('0');
  for (const id of ['plain', 'bg', 'bg-pseudo']) expect((await pixels(id)).stdev, `${id} shows nothing`).toBeLessThan(1.5);
  expect(await boxes()).toEqual(blurredBoxes);
  // Only the label's button is left to click.
  expect(await labelText(page, '#plain')).toMatch(/^NSFW \d+%$/);

  // Back to the blur, as it started.
  await patchSettings(browser.serviceWorker, { coverStyle: 'blur' });
  await expect.poll(async () => (await style('plain')).filter, { timeout: 10_000 }).toContain('blur');
  await expect.poll(async () => (await style('plain')).opacity, { timeout: 10_000 }).toBe('1');
}, 180_000);
