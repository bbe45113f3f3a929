// The statistics tab as a person sees it: after a page with known images was checked, the options
// page's Statistics tab (opened from the popup) counts them, draws today's bars in proportion, says
// which rules covered them, and "Clear statistics" empties it. Real Chromium, the built extension.
import { expect, it } from 'vitest';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import type { DemoServer, ExtensionBrowser } from './helpers';
import { browserAndServerPerFile } from './helpers/per-file';
import { patchSettings, popupUrlFor } from './helpers/extension';
import { waitForStates } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;
browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

/**
 * The page's own photo and two more (shown), two drawings (covered: "illust" hidden), one background that
 * 404s (couldn't check, covered): 5 checked, 3 covered, 1 couldn't check.
 */
async function checkedPage(): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${server.pageOrigin}/followed.html?stats`);
  await page.evaluate((origin) => {
    const add = (id: string, file: string) => {
      const img = document.createElement('img');
      img.id = id;
      img.width = 160;
      img.src = `${origin}/${file}`;
      document.body.append(img);
    };
    add('d0', 'drawing-beagle.png?stats-0');
    add('d1', 'drawing-beagle.png?stats-1');
    add('p0', 'photo-owl.jpg?stats-0');
    add('p1', 'photo-owl.jpg?stats-1');
    const missing = document.createElement('div');
    missing.id = 'gone';
    missing.style.cssText = `width:160px;height:160px;background-image:url("${origin}/no-such-image.jpg")`;
    document.body.append(missing);
  }, server.imageOrigin);
  await waitForStates(page, { followed: 'safe', d0: 'hidden', d1: 'hidden', p0: 'safe', p1: 'safe', gone: 'error' }, 120_000);
  return page;
}

/** The height in pixels of each colour's bars on the chart's canvas, as drawn on screen. */
async function barHeights(options: Page, colours: Record<string, string>): Promise<Record<string, number>> {
  const canvas = options.locator('.daily-chart canvas');
  const { data, info } = await sharp(await canvas.screenshot())
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  const heights: Record<string, number> = {};
  for (const [name, hex] of Object.entries(colours)) {
    const [r, g, b] = rgb(hex);
    let top = Number.POSITIVE_INFINITY;
    let bottom = -1;
    for (let y = 0; y < info.height; y++)
      for (let x = 0; x < info.width; x++) {
        const i = (y * info.width + x) * info.channels;
        if (Math.abs((data[i] ?? 0) - (r ?? 0)) + Math.abs((data[i + 1] ?? 0) - (g ?? 0)) + Math.abs((data[i + 2] ?? 0) - (b ?? 0)) < 12) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
      }
    heights[name] = bottom < 0 ? 0 : bottom - top + 1;
  }
  return heights;
}

it("counts a checked page's images on the Statistics tab, draws them, and clears them", async () => {
  await patchSettings(browser.serviceWorker, { tags: { illust: { hide: true } } });
  const site = await checkedPage();

  // The popup's link opens the Statistics tab.
  const popup = await browser.context.newPage();
  await popup.goto(await popupUrlFor(browser, site));
  const [options] = await Promise.all([browser.context.waitForEvent('page'), popup.locator('#open-stats').click()]);
  if (!options) throw new Error('no page opened');
  await options.waitForLoadState();
  expect(new URL(options.url()).hash).toBe('#stats');
  await expect.poll(() => options.locator('#tab-stats').getAttribute('aria-current')).toBe('page');

  // The counts arrive within a second or two of the verdicts (frames report, the background sums).
  await expect.poll(() => options.locator('#total-checked').textContent(), { timeout: 15_000 }).toBe('5');
  expect(await options.locator('#total-covered').textContent()).toBe('3');
  expect(await options.locator('#total-failed').textContent()).toBe('1');
  const rules = await options
    .locator('.rule-bars li')
    .evaluateAll((items) => items.map((li) => [li.getAttribute('data-rule'), li.querySelector('.rule-count')?.textContent]));
  expect(rules).toEqual([
    ['illust', '2'],
    ['unchecked', '1'],
  ]);
  expect(await options.locator('.rule-bars li .rule-name').allTextContents()).toEqual(['Illustration', "Couldn't check (kept covered)"]);

  // Today's bars, as drawn: checked 5, covered 3, couldn't check 1, in proportion.
  const colours = await options.locator('.stats-panel').evaluate((panel) => {
    const css = getComputedStyle(panel);
    return Object.fromEntries(['checked', 'covered', 'failed'].map((n) => [n, css.getPropertyValue(`--chart-${n}`).trim()]));
  });
  const heights = await barHeights(options, colours);
  console.info('bar heights on screen:', heights);
  expect(heights.checked).toBeGreaterThan(40);
  expect((heights.covered ?? 0) / (heights.checked ?? 1)).toBeCloseTo(3 / 5, 1);
  expect((heights.failed ?? 0) / (heights.checked ?? 1)).toBeCloseTo(1 / 5, 1);
  // Today's row of the table says the same.
  const today = await options.locator('.day-table tbody tr').first().locator('td').allTextContents();
  expect(today).toEqual(['5', '3', '1']);

  // A settings change decides every image of the open page again: they are not counted again.
  await patchSettings(browser.serviceWorker, { tags: { illust: { hide: true }, photo: { hide: true } } });
  await waitForStates(site, { p0: 'hidden', p1: 'hidden' }, 30_000);
  await options.waitForTimeout(2_500);
  expect(await options.locator('#total-checked').textContent()).toBe('5');

  // Clear statistics: asked once more, then every count is gone, from the page and from storage.
  await options.locator('[data-testid="clear-stats"]').click();
  await options.locator('[data-testid="clear-stats-confirm"]').click();
  await expect.poll(() => options.locator('#total-checked').textContent(), { timeout: 10_000 }).toBe('0');
  await expect.poll(() => options.locator('[data-testid="clear-stats-outcome"]').textContent()).toBe('Statistics cleared.');
  // Focus went back to the button, not to the page's start.
  expect(await options.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('clear-stats');
  const stored = await browser.serviceWorker.evaluate(async () => (await chrome.storage.local.get('dailyStats')).dailyStats);
  expect(stored).toBeUndefined();
  expect(await barHeights(options, colours)).toEqual({ checked: 0, covered: 0, failed: 0 });

  // The page loaded again is a new page: its own photo counts again. "Delete all my data" deletes that too.
  await site.reload();
  await expect.poll(() => options.locator('#total-checked').textContent(), { timeout: 60_000 }).toBe('1');
  await options.locator('#tab-settings').click();
  await options.locator('#delete-all').click();
  await options.locator('#delete-all').click();
  await expect
    .poll(() => options.locator('#delete-all-result').textContent(), { timeout: 10_000 })
    .toBe('Deleted every marked image, the personal tags and the statistics. Settings are unchanged.');
  await options.locator('#tab-stats').click();
  await expect.poll(() => options.locator('#total-checked').textContent(), { timeout: 10_000 }).toBe('0');

  await options.close();
  await popup.close();
  await site.close();
}, 240_000);
