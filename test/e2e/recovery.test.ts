// The service worker and the offscreen document can be stopped at any moment by the browser; the next
// images must still be checked. Stored settings that make no sense must not break the page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { waitForStates } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;
let serial = 0;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
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
  const worker = browser.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  expect(worker).toBeDefined();
  expect(await worker!.evaluate(() => (globalThis as { marker?: number }).marker)).toBeUndefined();
});

it('falls back to defaults when stored settings are garbage, and still filters', async () => {
  const worker = browser.context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ?? browser.serviceWorker;
  await worker.evaluate(() => chrome.storage.local.set({ settings: { version: 2, nsfwThreshold: 'very', enabled: 'yes', siteRules: 7 } }));
  await checkFreshImage();
});
