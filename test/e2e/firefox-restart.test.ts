// A mark made with the hover buttons in real Firefox survives restarting the browser: it is in the
// options page's list after the restart and still covers the image. The buttons sit in a closed shadow
// root WebDriver cannot open, so they are reached as a keyboard user would: the bar is the last thing
// on the page, Shift+Tab from the top lands on its last buttons, Enter presses "Hide" (a trusted click).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from './helpers';
import { poll } from './helpers/poll';
import { launchFirefoxWithExtension, type FirefoxExtension } from './helpers/firefox';

let server: DemoServer;
let ff: FirefoxExtension | undefined;
const profile = mkdtempSync(join(tmpdir(), 'megane-firefox-'));

beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(async () => {
  await ff?.close();
  await server?.close();
  rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

const stateOf = (page: Page) => page.$eval('#followed', (el) => el.getAttribute('data-megane'));
const storedMarks = (options: Page) =>
  options.evaluate(() => [...document.querySelectorAll('.mark-card')].map((card) => card.getAttribute('data-marks')));

it('a "Hide" from the hover buttons survives restarting Firefox', async () => {
  ff = await launchFirefoxWithExtension({ profileDir: profile });
  const page = await ff.browser.newPage();
  await page.goto(`${server.pageOrigin}/followed.html?restart`);
  await poll(
    () => stateOf(page),
    (s) => s === 'shown',
    120_000,
    'the photo checked',
  );

  await page.hover('#followed');
  await poll(() => page.evaluate(() => document.querySelector('megane-controls') !== null), Boolean, 5_000, 'the hover buttons');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // Backwards from the top: "Tag ▾" (the bar's last button), then "Hide".
  await page.keyboard.down('Shift');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.up('Shift');
  await page.keyboard.press('Enter');
  await poll(
    () => stateOf(page),
    (s) => s === 'covered',
    10_000,
    'covered by the mark',
  );

  let options = await ff.openExtensionPage('options.html');
  const before = await poll(
    () => storedMarks(options),
    (m) => m.length === 1,
    30_000,
    'the stored mark',
  );
  expect(before[0]).toContain('hide');

  await ff.close();
  ff = await launchFirefoxWithExtension({ profileDir: profile });
  options = await ff.openExtensionPage('options.html');
  expect(
    await poll(
      () => storedMarks(options),
      (m) => m.length === 1,
      30_000,
      'the mark after the restart',
    ),
  ).toEqual(before);
  const again = await ff.browser.newPage();
  await again.goto(`${server.pageOrigin}/followed.html?restart`);
  // The mark holds: the photo is covered by a verdict (the popup counts it covered, which a photo
  // still waiting for its check is not), and stays covered.
  const popup = await ff.openExtensionPage(`popup.html?tabId=${await ff.tabIdOf(again.url())}`);
  await poll(
    () => popup.$eval('#stat-covered', (el) => el.textContent),
    (t) => t === '1',
    60_000,
    'covered after the restart',
  );
  expect(await stateOf(again)).toBe('covered');
}, 300_000);
