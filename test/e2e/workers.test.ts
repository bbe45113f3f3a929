// Model workers (issue 12): on WASM the NSFW model runs in as many workers as the "Cores for checking"
// setting says, each scoring its own images. With two of them, a page of photos and drawings gets the
// same verdicts a single copy gives (no answer reaches the wrong image), and the popup says how many
// cores check.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { galleryImages, launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings, popupUrlFor } from './helpers/extension';
import { galleryStates, settled, tile } from './helpers/gallery-page';

let browser: ExtensionBrowser;
let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  await patchSettings(browser.serviceWorker, { modelWorkers: 2, tags: { illust: { hide: true } } });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function backendLine(page: Page): Promise<string> {
  const popup = await browser.context.newPage();
  await popup.goto(await popupUrlFor(browser, page));
  await expect.poll(() => popup.locator('#model-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
  const text = (await popup.locator('#model-backend').textContent()) ?? '';
  await popup.close();
  return text;
}

it('two model workers hide the drawings and show the photos, and the popup says two cores check', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.pageOrigin}/index.html`);
  await settled(page);
  const images = galleryImages();
  const states = await galleryStates(page);
  const share = (kind: string) =>
    images.filter((i) => i.kind === kind && states[i.file] === 'hidden').length / images.filter((i) => i.kind === kind).length;
  // The head is ~95% accurate on this gallery (README): answers sent to the wrong images would mix them.
  expect(share('drawing')).toBeGreaterThanOrEqual(0.85);
  expect(share('photo')).toBeLessThanOrEqual(0.15);
  const drawing = images.find((i) => i.kind === 'drawing' && states[i.file] === 'hidden')?.file ?? '';
  expect(await page.locator(tile(drawing)).evaluate((img) => getComputedStyle(img).filter)).toMatch(/blur/);
  expect(await backendLine(page)).toMatch(/^Backend: wasm on 2 cores \(/);

  // Back to automatic: one per core but one, which stays free for the page.
  const auto = Math.max(1, Math.min(8, (await page.evaluate(() => navigator.hardwareConcurrency)) - 1));
  await patchSettings(browser.serviceWorker, { modelWorkers: 0 });
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.id = 'after';
    img.width = 200;
    img.src = `${document.querySelector<HTMLImageElement>('img[data-file]')?.src}?again=${Date.now()}`;
    document.body.prepend(img);
  });
  await expect
    .poll(() => backendLine(page), { timeout: 60_000 })
    .toMatch(auto === 1 ? /^Backend: wasm \(/ : new RegExp(`^Backend: wasm on ${auto} cores`));
  await page.close();
}, 240_000);
