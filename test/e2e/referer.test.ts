// Image hosts with hotlink protection (pixiv's i.pximg.net, many forums) answer 403 to a download
// without their site's Referer. The demo server's /hotlink/ does the same: the page's own load (which
// sends the page's origin as Referer) gets the picture, a request without it gets 403. Megane's
// second download must carry the page's origin too, or every such image is "couldn't check" (issue #11).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { waitForStates } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true } } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function pageWith(images: Record<string, string>): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${server.pageOrigin}/followed.html`);
  await page.evaluate((list) => {
    for (const [id, src] of Object.entries(list)) {
      const img = document.createElement('img');
      img.id = id;
      img.width = 200;
      img.src = src;
      document.body.append(img);
    }
  }, images);
  return page;
}

it("checks images of a host that wants its page's Referer: the owl shown, the cat hidden", async () => {
  const n = Date.now();
  const page = await pageWith({
    owl: `${server.imageOrigin}/hotlink/photo-owl.jpg?n=${n}`,
    cat: `${server.imageOrigin}/hotlink/photo-cat-tabby.jpg?n=${n}`,
  });
  // The page's own loads got their pictures.
  await expect.poll(() => page.evaluate(() => (document.getElementById('owl') as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  await waitForStates(page, { owl: 'shown', cat: 'hidden' }, 120_000);
  // Megane's downloads said they came from the page's origin, and only those of the hotlink host did.
  const checker = server.requests.filter((r) => !r.byPage && r.url.includes(`n=${n}`));
  expect(checker.length).toBeGreaterThan(0);
  // No rule is left behind once the checks are done.
  await expect
    .poll(() => browser.serviceWorker.evaluate(async () => (await chrome.declarativeNetRequest.getSessionRules()).length), {
      timeout: 10_000,
    })
    .toBe(0);
  await page.close();
}, 180_000);
