// The lock as a user meets it: a PIN set on the options page; then switching Megane off from the
// popup asks for it (a wrong PIN changes nothing, the right one applies), a change that hides more
// passes without it, and a change asked for without the PIN waits out the cool-down, also across a
// restart of the service worker, and can be cancelled meanwhile. Real Chromium, the built extension.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { DemoServer, ExtensionBrowser } from './helpers';
import { popupUrlFor } from './helpers/extension';
import { browserAndServerPerFile } from './helpers/per-file';

let browser: ExtensionBrowser;
let server: DemoServer;
browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

const stored = (key: string) => browser.currentWorker().evaluate(async (k) => (await chrome.storage.local.get(k))[k], key);
/** The stored settings that matter here, with their defaults before anything was written. */
const settings = async () =>
  ({ enabled: true, nsfwThreshold: 0.7, ...((await stored('settings')) as object | undefined) }) as {
    enabled: boolean;
    nsfwThreshold: number;
  };

async function openPopup(): Promise<Page> {
  const site = await browser.context.newPage();
  await site.goto(`${server.pageOrigin}/index.html`);
  const popup = await browser.context.newPage();
  await popup.goto(await popupUrlFor(browser, site));
  await popup.locator('#enabled').waitFor();
  return popup;
}

it('a PIN set on the options page is stored only as a salted hash', async () => {
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html'));
  await options.locator('#lock-new-pin').fill('2468');
  await options.locator('#lock-new-pin-again').fill('2469');
  await options.locator('#lock-set').click();
  await expect.poll(() => options.locator('#lock-section [role="alert"]').textContent()).toBe('The two PINs differ.');
  expect(await stored('lock')).toBeUndefined();
  await options.locator('#lock-new-pin-again').fill('2468');
  await options.locator('#lock-cool-down').selectOption('15');
  await options.locator('#lock-set').click();
  await expect.poll(() => options.locator('#lock-state').textContent(), { timeout: 10_000 }).toContain('15 minutes');
  const lock = await stored('lock');
  expect(JSON.stringify(lock)).not.toContain('2468');
  expect(lock).toMatchObject({ coolDownMinutes: 15, iterations: 300_000 });
  await options.close();
});

it('switching Megane off needs the PIN: a wrong one changes nothing, the right one applies; switching on needs none', async () => {
  const popup = await openPopup();
  await popup.locator('label[for="enabled"]').click();
  await popup.locator('#lock-prompt').waitFor();
  expect(await popup.locator('#lock-changes').textContent()).toBe('Switch Megane off');
  expect((await settings()).enabled).toBe(true);
  await expect.poll(() => popup.locator('#enabled').isChecked()).toBe(true);

  await popup.locator('#lock-pin').fill('1357');
  await popup.locator('#lock-apply').click();
  await expect.poll(() => popup.locator('#lock-wrong').isVisible(), { timeout: 10_000 }).toBe(true);
  expect((await settings()).enabled).toBe(true);

  await popup.locator('#lock-pin').fill('2468');
  await popup.locator('#lock-apply').click();
  await expect.poll(() => popup.locator('#lock-prompt').count(), { timeout: 10_000 }).toBe(0);
  expect((await settings()).enabled).toBe(false);
  await expect.poll(() => popup.locator('#enabled').isChecked()).toBe(false);

  // Switching back on hides more: no prompt.
  await popup.locator('label[for="enabled"]').click();
  await expect.poll(async () => (await settings()).enabled).toBe(true);
  expect(await popup.locator('#lock-prompt').count()).toBe(0);
  await popup.close();
}, 120_000);

it('without the PIN a change waits out the cool-down, across a service-worker restart, and a queued one can be cancelled', async () => {
  // A cool-down of 6 s instead of the options' shortest, 15 minutes: written to storage directly.
  await browser.currentWorker().evaluate(async () => {
    const { lock } = await chrome.storage.local.get('lock');
    await chrome.storage.local.set({ lock: { ...(lock as object), coolDownMinutes: 0.1 } });
  });
  const popup = await openPopup();
  await popup.locator('#nsfw-threshold').fill('0.9');
  await popup.locator('#lock-prompt').waitFor();
  expect(await popup.locator('#lock-changes').textContent()).toBe('NSFW threshold: 70% → 90% (covers less)');
  expect(await popup.locator('#lock-later').textContent()).toBe('Apply in 6 seconds');
  await popup.locator('#lock-later').click();
  await expect.poll(() => popup.locator('#lock-prompt').count()).toBe(0);
  expect((await settings()).nsfwThreshold).toBe(0.7);
  await expect.poll(() => popup.locator('#nsfw-threshold').inputValue()).toBe('0.7');
  expect(await stored('pendingChanges')).toHaveLength(1);

  // The service worker stops: the alarm wakes a new one, which applies the change when due.
  const cdp = await browser.context.newCDPSession(popup);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await expect.poll(async () => (await settings()).nsfwThreshold, { timeout: 60_000 }).toBe(0.9);
  expect(await stored('pendingChanges')).toEqual([]);
  await expect.poll(() => popup.locator('#nsfw-threshold').inputValue()).toBe('0.9');

  // Another one queued, then cancelled on the options page: it never applies.
  await popup.locator('label[for="enabled"]').click();
  await popup.locator('#lock-later').click();
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html'));
  await expect.poll(() => options.locator('#pending-list li').count(), { timeout: 10_000 }).toBe(1);
  expect(await options.locator('#pending-list').textContent()).toContain('Switch Megane off');
  await options.locator('#pending-list .pending-cancel').click();
  await expect.poll(() => options.locator('#pending-list').count()).toBe(0);
  await new Promise((r) => setTimeout(r, 8000));
  expect((await settings()).enabled).toBe(true);
  await options.close();
  await popup.close();
}, 180_000);

it('removing the lock needs the PIN', async () => {
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html'));
  await options.locator('#unlock').click();
  await options.locator('#lock-prompt').waitFor();
  expect(await options.locator('#lock-changes').textContent()).toBe('Remove the lock');
  await options.locator('#lock-pin').fill('2468');
  await options.locator('#lock-apply').click();
  await expect.poll(() => stored('lock'), { timeout: 10_000 }).toBeUndefined();
  await expect.poll(() => options.locator('#lock-new-pin').count()).toBe(1);
  await options.close();
});
