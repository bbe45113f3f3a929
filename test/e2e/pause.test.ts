// Pausing as a user meets it: the popup's "Pause 15 min" pauses Megane everywhere (the page's
// images are uncovered, the toolbar button is dimmed and says until when), "Resume" ends it, and a
// pause that runs out ends by itself: the open page is covered again without a reload. The shortcut
// (Alt+Shift+U) is registered; headless Chromium cannot press it. Real Chromium, the built extension.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { DemoServer, ExtensionBrowser } from './helpers';
import { patchSettings, tabIdOf } from './helpers/extension';
import { meganeStates } from './helpers/megane-world';
import { browserAndServerPerFile } from './helpers/per-file';

/** When a 15-minute pause ends, as the popup and the button say it (timeText). */
const UNTIL = /paused until ([A-Z][a-z]{2} \d{1,2}, )?\d\d:\d\d/;
let browser: ExtensionBrowser;
let server: DemoServer;
browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

const stored = async () =>
  ((await browser.currentWorker().evaluate(async () => (await chrome.storage.local.get('settings')).settings)) ?? {}) as {
    pausedUntil?: number;
  };
const buttonTitle = (tabId: number) => browser.currentWorker().evaluate((id) => chrome.action.getTitle({ tabId: id }), tabId);
/** The state of #plain on the page: covered until checked; null once Megane is off (no state). */
const plainState = async (page: Page) => (await meganeStates(page, ['plain'])).plain;

it('the popup pauses and resumes; a pause that runs out covers the open page again', async () => {
  // Every image covered (threshold 0), so "covered" and "not covered" are easy to tell apart.
  await patchSettings(browser.serviceWorker, { nsfwThreshold: 0 });
  const page = await browser.context.newPage();
  await page.goto(`${server.pageOrigin}/kinds.html`);
  await expect.poll(() => plainState(page), { timeout: 90_000 }).toBe('nsfw');
  const tabId = await tabIdOf(browser.serviceWorker, page);

  const popup = await browser.context.newPage();
  await popup.goto(browser.extensionUrl(`popup.html?tabId=${tabId}`));
  await popup.locator('#pause').click();
  await expect.poll(async () => (await stored()).pausedUntil ?? 0, { timeout: 5_000 }).toBeGreaterThan(Date.now() + 14 * 60_000);
  await expect.poll(() => popup.locator('#pause').textContent()).toBe('Resume');
  // "23:58", or with the date when the 15 minutes run past midnight ("Dec 6, 12:12 AM").
  expect(await popup.locator('#paused-until').textContent()).toMatch(UNTIL);
  // The page: no longer covered; the button: dimmed, saying until when.
  await expect.poll(() => plainState(page), { timeout: 10_000 }).toBeNull();
  expect(await page.locator('#plain').evaluate((el) => getComputedStyle(el).filter)).toBe('none');
  await expect.poll(() => buttonTitle(tabId), { timeout: 10_000 }).toMatch(new RegExp(`^Megane is ${UNTIL.source}`));

  await popup.locator('#pause').click();
  await expect.poll(async () => (await stored()).pausedUntil).toBe(0);
  await expect.poll(() => plainState(page), { timeout: 30_000 }).toBe('nsfw');
  await expect.poll(() => buttonTitle(tabId), { timeout: 10_000 }).not.toMatch(/paused/);

  // A pause that ends by itself (4 s here instead of 15 minutes, written directly).
  await patchSettings(browser.serviceWorker, { pausedUntil: Date.now() + 4_000 });
  await expect.poll(() => plainState(page), { timeout: 5_000 }).toBeNull();
  await expect.poll(() => plainState(page), { timeout: 30_000 }).toBe('nsfw');
  expect(await page.locator('#plain').evaluate((el) => getComputedStyle(el).filter)).toContain('blur');
  await expect.poll(() => buttonTitle(tabId), { timeout: 15_000 }).not.toMatch(/paused/);
  await popup.close();
}, 180_000);

it('registers the pause shortcut', async () => {
  const commands = await browser.currentWorker().evaluate(() => chrome.commands.getAll());
  expect(commands.find((c) => c.name === 'toggle-pause')).toMatchObject({ shortcut: 'Alt+Shift+U' });
});
