// `npm run screenshots` (after `npm run build`): the README's pictures, taken from the running
// extension the way the e2e tests drive it (test/e2e/helpers): the demo gallery with the "illust" tag
// hidden, so drawings are covered and labelled while photos show, the popup for that tab at popup
// size, and the first-run page. Saves docs/images/covered-page.png, popup.png, welcome.png and popup-ja.png and welcome-ja.png (in a Japanese browser), shrunk
// with ImageMagick's `convert` (when installed) so each stays small.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchWithExtension, startDemoServer } from '../test/e2e/helpers';
import { patchSettings, tabIdOf } from '../test/e2e/helpers/extension';
import { openSettledGallery, settled } from '../test/e2e/helpers/gallery-page';

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

    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 340, height: 600 });
    await popup.goto(browser.extensionUrl(`popup.html?tabId=${await tabIdOf(browser.serviceWorker, page)}`));
    await popup.waitForFunction(() => document.querySelector('#model-state')?.getAttribute('data-state') === 'ready', undefined, {
      timeout: 60_000,
    });
    await popup.waitForTimeout(500);
    const popupPath = join(OUT, 'popup.png');
    await popup.screenshot({ path: popupPath, fullPage: true });
    shrink(popupPath, 340, 64);

    // The first-run page, as a new user sees it on install (the launcher closed the one Megane opened).
    const welcome = await browser.context.newPage();
    await welcome.setViewportSize({ width: 760, height: 900 });
    await welcome.goto(browser.extensionUrl('welcome.html'));
    await welcome.locator('#strictness-balanced:checked').waitFor({ timeout: 10_000 });
    const welcomePath = join(OUT, 'welcome.png');
    await welcome.screenshot({ path: welcomePath, fullPage: true });
    shrink(welcomePath, 640, 64);
  } finally {
    await browser.close();
  }
  // The popup in Japanese, for README.ja.md: a browser started in Japanese (Megane follows its language).
  const japanese = await launchWithExtension({ args: ['--lang=ja'] });
  try {
    await patchSettings(japanese.serviceWorker, { tags: { illust: { hide: true } } });
    const page = await openSettledGallery(japanese.context, server.pageOrigin);
    const popup = await japanese.context.newPage();
    await popup.setViewportSize({ width: 340, height: 600 });
    await popup.goto(japanese.extensionUrl(`popup.html?tabId=${await tabIdOf(japanese.serviceWorker, page)}`));
    await popup.waitForFunction(() => document.querySelector('#model-state')?.getAttribute('data-state') === 'ready', undefined, {
      timeout: 60_000,
    });
    await popup.waitForTimeout(500);
    const popupPath = join(OUT, 'popup-ja.png');
    await popup.screenshot({ path: popupPath, fullPage: true });
    shrink(popupPath, 340, 64);

    const welcome = await japanese.context.newPage();
    await welcome.setViewportSize({ width: 760, height: 900 });
    await welcome.goto(japanese.extensionUrl('welcome.html'));
    await welcome.locator('#strictness-balanced:checked').waitFor({ timeout: 10_000 });
    const welcomePath = join(OUT, 'welcome-ja.png');
    await welcome.screenshot({ path: welcomePath, fullPage: true });
    shrink(welcomePath, 640, 64);
  } finally {
    await japanese.close();
    await server.close();
  }
}

await main();
