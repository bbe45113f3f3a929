// The service worker and the offscreen document can be stopped at any moment by the browser; the next
// images must still be checked. Stored settings that make no sense must not break the page.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoServer, ExtensionBrowser } from './helpers';
import { browserAndServerPerFile } from './helpers/per-file';
import { patchSettings, resetSettings } from './helpers/extension';
import { meganeStates } from './helpers/megane-world';
import { waitForStates } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;
let serial = 0;

browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

/** Opens a page and adds one never-seen image (a fresh URL, so no cache can answer for it). */
async function pageWithFreshImage(): Promise<{ page: Page; id: string }> {
  const page = await browser.context.newPage();
  await page.goto(`${server.pageOrigin}/followed.html`);
  const id = `fresh-${++serial}`;
  await page.evaluate(
    ({ id, src }) => {
      const img = document.createElement('img');
      img.id = id;
      img.width = 200;
      img.src = src;
      document.body.append(img);
    },
    { id, src: `${server.imageOrigin}/slow/photo-owl.jpg?ms=1&n=${serial}-${Date.now()}` },
  );
  return { page, id };
}

async function checkFreshImage(): Promise<void> {
  const { page, id } = await pageWithFreshImage();
  await waitForStates(page, { [id]: 'safe' }, 60_000);
  await page.close();
}

it('checks images after the offscreen document was closed', async () => {
  await checkFreshImage();
  await browser.serviceWorker.evaluate(() => chrome.offscreen.closeDocument());
  expect(
    await browser.serviceWorker.evaluate(
      async () => (await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] })).length,
    ),
  ).toBe(0);
  await checkFreshImage();
});

it('checks images after the service worker was stopped', async () => {
  await checkFreshImage();
  await browser.serviceWorker.evaluate(() => ((globalThis as { marker?: number }).marker = 1));
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await page.close();
  await checkFreshImage();
  // The image was answered by a new worker: the old one's globals are gone.
  const worker = browser.currentWorker();
  expect(worker).toBeDefined();
  expect(await worker.evaluate(() => (globalThis as { marker?: number }).marker)).toBeUndefined();
});

it('falls back to defaults when stored settings are garbage, and still filters', async () => {
  const worker = browser.currentWorker();
  await worker.evaluate(() => chrome.storage.local.set({ settings: { version: 2, nsfwThreshold: 'very', enabled: 'yes', siteRules: 7 } }));
  await checkFreshImage();
});

/**
 * Opens a page with `count` never-seen images from a slow server (so many are in flight at once) and
 * returns it with their ids.
 */
async function pageWithImagesInFlight(count: number, tag: string): Promise<{ page: Page; ids: string[] }> {
  await resetSettings(browser.currentWorker());
  await patchSettings(browser.currentWorker(), { tags: { cat: { hide: true } } });
  const page = await browser.context.newPage();
  await page.goto(`${server.pageOrigin}/followed.html`);
  const files = ['photo-owl.jpg', 'photo-sushi.jpg', 'photo-coffee-cup.jpg', 'photo-cat-tabby.jpg'];
  const ids = Array.from({ length: count }, (_, i) => `${tag}-${i}`);
  await page.evaluate(
    ({ ids, srcs }) => {
      ids.forEach((id, i) => {
        const img = document.createElement('img');
        img.id = id;
        img.width = 120;
        img.src = srcs[i] ?? '';
        document.body.append(img);
      });
    },
    { ids, srcs: ids.map((id, i) => `${server.imageOrigin}/slow/${files[i % files.length]}?ms=400&n=${id}-${Date.now()}`) },
  );
  return { page, ids };
}

/** Every one of `ids` ends with a state a person can act on: shown, hidden, or couldn't check (never stuck pending). */
async function expectNoneLeftPending(page: Page, ids: string[]): Promise<Record<string, string | null>> {
  const start = Date.now();
  await waitForStates(page, Object.fromEntries(ids.map((id) => [id, ['shown', 'hidden', 'error']])), 120_000);
  const states = await meganeStates(page, ids);
  const counts: Record<string, number> = {};
  for (const state of Object.values(states)) counts[String(state)] = (counts[String(state)] ?? 0) + 1;
  console.info(`all ${ids.length} settled ${Date.now() - start} ms after the stop: ${JSON.stringify(counts)}`);
  return states;
}

it('leaves no image without a state when the offscreen document closes mid-run', async () => {
  const { page, ids } = await pageWithImagesInFlight(24, 'offscreen');
  // Some are answered, the rest still in flight or waiting.
  await expect
    .poll(async () => Object.values(await meganeStates(page, ids)).filter((s) => s === 'shown').length, { timeout: 60_000 })
    .toBeGreaterThan(0);
  await browser.currentWorker().evaluate(() => chrome.offscreen.closeDocument().catch(() => {}));
  const states = await expectNoneLeftPending(page, ids);
  // The cats (every fourth) never end shown unchecked.
  for (const [id, state] of Object.entries(states)) if (Number(id.split('-')[1]) % 4 === 3) expect(state, id).not.toBe('shown');
  await page.close();
}, 180_000);

it('leaves no image without a state when the service worker stops mid-run', async () => {
  const { page, ids } = await pageWithImagesInFlight(24, 'worker');
  await expect
    .poll(async () => Object.values(await meganeStates(page, ids)).filter((s) => s === 'shown').length, { timeout: 60_000 })
    .toBeGreaterThan(0);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  const states = await expectNoneLeftPending(page, ids);
  for (const [id, state] of Object.entries(states)) if (Number(id.split('-')[1]) % 4 === 3) expect(state, id).not.toBe('shown');
  await page.close();
}, 180_000);
