// The model sees what the page shows (issue #11): where the page's own decoded pixels can be read (an
// image of the frame's own origin, or one loaded with CORS), the check reads them instead of
// downloading the image again. The demo server's /changing/<first>/<then>/<name> answers <first> to the
// first request of a URL and <then> to every later one, as a "random image" URL or a cloaking server
// does: a second download would check another picture than the one shown.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { filterOf, waitForStates } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  // Cats are hidden: the cat photo ends covered, the coffee cup is shown.
  await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true } } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const CAT = 'photo-cat-tabby.jpg';
const CUP = 'photo-coffee-cup.jpg';

async function pageWith(images: Record<string, { src: string; cors?: boolean }>): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${server.pageOrigin}/followed.html`);
  await page.evaluate((list) => {
    for (const [id, { src, cors }] of Object.entries(list)) {
      const img = document.createElement('img');
      img.id = id;
      img.width = 200;
      if (cors) img.crossOrigin = 'anonymous';
      img.src = src;
      document.body.append(img);
    }
  }, images);
  return page;
}

/** Every request the demo server received for this URL, the page's and Megane's. */
const requestsFor = (src: string) => {
  const { origin, pathname, search } = new URL(src);
  const side = origin === server.pageOrigin ? 'page' : 'image';
  return server.requests.filter((r) => r.origin === side && r.url === pathname + search);
};

const blurred = async (page: Page, id: string) => (await filterOf(page, `#${id}`)).includes('blur');

it('checks the picture the page shows, not a second download, for same-origin and CORS images', async () => {
  const n = Date.now();
  const page = await pageWith({
    // A JPEG is checked from its own pixels only: one request, the page's.
    same: { src: `${server.pageOrigin}/changing/${CAT}/${CUP}/shown.jpg?n=${n}` },
    cors: { src: `${server.imageOrigin}/changing/${CAT}/${CUP}/shown.jpg?n=${n}`, cors: true },
    // The other way round: the page shows the cup, a second download would have got the cat.
    cup: { src: `${server.pageOrigin}/changing/${CUP}/${CAT}/shown.jpg?n=${n}` },
    // May be animated (not a JPEG by its URL): its download is checked too (every frame), and the
    // worse of the two answers holds, whichever of them saw the cat.
    'png-cat-shown': { src: `${server.pageOrigin}/changing/${CAT}/${CUP}/shown.png?n=${n}` },
    'gif-cat-later': { src: `${server.pageOrigin}/changing/${CUP}/${CAT}/shown.gif?n=${n}` },
    // Cross-origin without CORS: the pixels cannot be read, so the image is downloaded again.
    foreign: { src: `${server.imageOrigin}/${CAT}?n=${n}` },
    // Named on the page's origin but redirected to the other one: the canvas is tainted, and the
    // check quietly falls back to the download (never "couldn't check").
    redirected: { src: `${server.pageOrigin}/to-images/${CAT}?n=${n}&via=redirect` },
  });
  await waitForStates(
    page,
    {
      same: 'hidden',
      cors: 'hidden',
      cup: 'shown',
      'png-cat-shown': 'hidden',
      'gif-cat-later': 'hidden',
      foreign: 'hidden',
      redirected: 'hidden',
    },
    150_000,
  );
  // What a person sees.
  for (const id of ['same', 'cors', 'png-cat-shown', 'gif-cat-later', 'foreign', 'redirected'])
    expect(await blurred(page, id), id).toBe(true);
  expect(await blurred(page, 'cup')).toBe(false);

  // The server saw the page's request and nothing else for the JPEGs; the others were downloaded again.
  const count = (id: string) => page.evaluate((id) => (document.getElementById(id) as HTMLImageElement).src, id).then(requestsFor);
  for (const id of ['same', 'cors', 'cup']) {
    const seen = await count(id);
    expect(
      seen.map((r) => r.byPage),
      id,
    ).toEqual([true]);
  }
  for (const id of ['png-cat-shown', 'gif-cat-later', 'foreign']) {
    const seen = await count(id);
    expect(seen.filter((r) => r.byPage).length, id).toBe(1);
    expect(seen.filter((r) => !r.byPage).length, id).toBeGreaterThan(0);
  }
  const redirected = requestsFor(`${server.pageOrigin}/to-images/${CAT}?n=${n}&via=redirect`);
  expect(redirected.filter((r) => !r.byPage).length).toBeGreaterThan(0);
  await page.close();
}, 200_000);
