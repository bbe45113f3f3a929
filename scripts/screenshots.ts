// `npm run screenshots` (after `npm run build`): the README's pictures, taken from the running
// extension the way the e2e tests drive it (test/e2e/helpers): the demo gallery with the "illust" tag
// hidden, so drawings are covered and labelled while photos show, the popup for that tab at popup
// size, the first-run page and the options page's Statistics tab. Saves docs/images/covered-page.png,
// popup.png, welcome.png, stats.png and, in a Japanese browser, popup-ja.png, welcome-ja.png and
// stats-ja.png, shrunk with ImageMagick's `convert` (when installed) so each stays small.
// The Statistics pictures show today's real counts (the gallery just checked) over 29 earlier days of
// sample counts this script writes (a fresh browser has no history); their captions say so.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithExtension, startDemoServer, type ExtensionBrowser } from '../test/e2e/helpers';
import { patchSettings, popupUrlFor } from '../test/e2e/helpers/extension';
import { openSettledGallery, settled } from '../test/e2e/helpers/gallery-page';
import { lastDayKeys, STATS_KEY, type DailyStats } from '../src/stats/daily-stats';

const OUT = resolve(import.meta.dirname, '..', 'docs', 'images');

/**
 * Shrinks a PNG in place, to at most `width` px wide and a palette of `colors`: screenshots of a UI lose
 * nothing a reader notices, and the README's images stay under ~200 KB.
 */
function shrink(path: string, width: number, colors: number): void {
  try {
    execFileSync('convert', [path, '-resize', `${width}x>`, '-strip', '-colors', String(colors), `PNG8:${path}`]);
  } catch {
    process.stderr.write(`convert (ImageMagick) not found: ${path} is left as taken\n`);
  }
  process.stderr.write(`${path}: ${Math.round(statSync(path).size / 1024)} KB\n`);
}

/** The popup for the tab showing `page`, at popup size, once its model is ready. */
async function shootPopup(browser: ExtensionBrowser, page: Page, file: string): Promise<void> {
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 340, height: 600 });
  await popup.goto(await popupUrlFor(browser, page));
  await popup.waitForFunction(() => document.querySelector('#model-state')?.getAttribute('data-state') === 'ready', undefined, {
    timeout: 60_000,
  });
  await popup.waitForTimeout(500);
  const path = join(OUT, file);
  await popup.screenshot({ path, fullPage: true });
  shrink(path, 340, 64);
}

/** The first-run page, as a new user sees it on install (the launcher closed the one Megane opened). */
async function shootWelcome(browser: ExtensionBrowser, file: string): Promise<void> {
  const welcome = await browser.context.newPage();
  await welcome.setViewportSize({ width: 760, height: 900 });
  await welcome.goto(browser.extensionUrl('welcome.html'));
  await welcome.locator('#strictness-balanced:checked').waitFor({ timeout: 10_000 });
  const path = join(OUT, file);
  await welcome.screenshot({ path, fullPage: true });
  shrink(path, 640, 64);
}

/** 29 days before today of made-up but plausible counts (the same every run), under today's real ones. */
async function writeSampleDays(browser: ExtensionBrowser): Promise<void> {
  const earlier = lastDayKeys(new Date()).slice(0, -1);
  const sample: DailyStats = {};
  earlier.forEach((day, i) => {
    const back = earlier.length - i;
    const checked = Math.round(120 + 90 * Math.sin(back / 2.3) + (back % 7 === 0 ? 150 : 0));
    const covered = Math.round(checked * 0.18);
    const nsfw = Math.round(covered * 0.5);
    const food = Math.round(covered * 0.3);
    const you = Math.round(covered * 0.1);
    sample[day] = {
      checked,
      failed: Math.round(checked * 0.03),
      covered,
      rules: { nsfw, food, you, unchecked: covered - nsfw - food - you },
    };
  });
  await browser.serviceWorker.evaluate(
    async ({ key, days }) => {
      const stored = (await chrome.storage.local.get(key))[key] ?? {};
      await chrome.storage.local.set({ [key]: { ...stored, ...days } });
    },
    { key: STATS_KEY, days: sample },
  );
}

/** The options page's Statistics tab, with today's real counts and sample earlier days. */
async function shootStats(browser: ExtensionBrowser, file: string): Promise<void> {
  await writeSampleDays(browser);
  const stats = await browser.context.newPage();
  await stats.setViewportSize({ width: 760, height: 1000 });
  await stats.goto(browser.extensionUrl('options.html#stats'));
  await stats.locator('.daily-chart canvas').waitFor({ timeout: 10_000 });
  await stats.waitForTimeout(500);
  const path = join(OUT, file);
  await stats.screenshot({ path, fullPage: true });
  shrink(path, 640, 64);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const server = await startDemoServer();
  const browser = await launchWithExtension();
  try {
    await patchSettings(browser.serviceWorker, { tags: { illust: { hide: true } } });
    const page = await openSettledGallery(browser.context, server.pageOrigin);
    await page.setViewportSize({ width: 1100, height: 860 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await settled(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    // Let the blur transitions and the labels' positions settle after the scroll.
    await page.waitForTimeout(1500);
    const covered = join(OUT, 'covered-page.png');
    await page.screenshot({ path: covered });
    shrink(covered, 900, 96);
    await shootPopup(browser, page, 'popup.png');
    await shootWelcome(browser, 'welcome.png');
    await shootStats(browser, 'stats.png');
  } finally {
    await browser.close();
  }
  // In Japanese, for README.ja.md: a browser started in Japanese (Megane follows its language).
  const japanese = await launchWithExtension({ args: ['--lang=ja'] });
  try {
    await patchSettings(japanese.serviceWorker, { tags: { illust: { hide: true } } });
    await shootPopup(japanese, await openSettledGallery(japanese.context, server.pageOrigin), 'popup-ja.png');
    await shootWelcome(japanese, 'welcome-ja.png');
    await shootStats(japanese, 'stats-ja.png');
  } finally {
    await japanese.close();
    await server.close();
  }
}

await main();
