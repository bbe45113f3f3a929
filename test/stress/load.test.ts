// Load (issue #11): an endless feed that grows to 5,000 pictures as the user scrolls, and twenty tabs
// at once, in real Chromium with the built extension ("cat" hidden; every eighth picture is a cat).
// What must hold: the pictures in view get their verdicts while thousands wait above and below; the
// checker does not download the feed (pictures far from the view leave the queue); the offscreen
// document's memory stays bounded; no picture is ever left without a state; cats stay covered. With
// twenty tabs of one HTTP/1.1 host a few may end "couldn't check" (with a 15 s decode limit, 9 of 700
// photos decoded too slowly while the tabs loaded; the limit is 30 s now): covered, never shown; counted.
// `npm run test:stress`: minutes, not part of `npm test`. It prints what it measured.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from '../e2e/helpers';
import { patchSettings } from '../e2e/helpers/extension';
import { meganeStates } from '../e2e/helpers/megane-world';
import { offscreenSession } from '../e2e/helpers/offscreen';
import { waitForStates } from '../e2e/helpers/observe';

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

/** The feed's pictures whose box meets the window now. */
const inView = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLImageElement>('#feed img')]
      .filter((img) => {
        const r = img.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight;
      })
      .map((img) => img.id),
  );

const isCat = (id: string) => Number(id.split('-')[1]) % 8 === 7;

/** How many checker downloads (not the page's own loads) of the feed's pictures the server saw. */
const checkerFetches = (seed = '') =>
  server.requests.filter((r) => !r.byPage && r.url.includes('feed=') && (seed === '' || r.url.includes(`seed=${seed}`))).length;

/** Waits for every listed picture's verdict, checks that cats are covered, returns the time it took. */
async function verdictsFor(page: Page, ids: string[], timeout = 180_000): Promise<number> {
  const start = Date.now();
  await waitForStates(page, Object.fromEntries(ids.map((id) => [id, isCat(id) ? 'hidden' : 'shown'])), timeout);
  return Date.now() - start;
}

describe('an endless feed of 5,000 pictures', () => {
  it('checks what is in view first, leaves the rest out of the queue, and keeps memory bounded', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${server.pageOrigin}/feed.html?seed=feed`);
    const first = await verdictsFor(page, await inView(page));

    const offscreen = await offscreenSession(browser, page);
    const heap = async () => ((await offscreen.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    const heaps = [await heap()];
    const sampler = setInterval(
      () =>
        void heap().then(
          (h) => heaps.push(h),
          () => {},
        ),
      1_000,
    );

    // Scroll as a reader skimming fast: a screen and a half every 100 ms, to the end of 5,000.
    const scrollStart = Date.now();
    for (;;) {
      const { count, atEnd } = await page.evaluate(() => {
        scrollBy(0, 1080);
        return { count: Number(document.body.dataset.count), atEnd: innerHeight + scrollY >= document.body.scrollHeight - 2 };
      });
      if (count >= 5000 && atEnd) break;
      await page.waitForTimeout(100);
    }
    const scrolled = Date.now() - scrollStart;
    const atEnd = await inView(page);
    const last = await verdictsFor(page, atEnd);
    const fetchedWhileScrolling = checkerFetches('feed');

    // Back to the middle: what was skipped is checked once the user comes back to it.
    await page.evaluate(() => document.getElementById('feed-2500')?.scrollIntoView({ block: 'center' }));
    const middle = await verdictsFor(page, await inView(page));

    clearInterval(sampler);
    await offscreen.close();
    const states = Object.values(await meganeStates(page, ['#feed-0', '#feed-2500', '#feed-4999']));
    const maxHeapMb = Math.max(...heaps) / 2 ** 20;
    console.info(
      `feed: first screen ${first} ms; scrolled to 5,000 in ${scrolled} ms; last screen ${last} ms after; ` +
        `middle ${middle} ms after coming back; checker downloads ${fetchedWhileScrolling} of 5,000; ` +
        `offscreen heap ${(heaps[0]! / 2 ** 20).toFixed(0)} MB at start, at most ${maxHeapMb.toFixed(0)} MB`,
    );
    // Far pictures left the queue: the checker fetched a small part of what the page loaded.
    expect(fetchedWhileScrolling).toBeLessThan(2_500);
    expect(maxHeapMb).toBeLessThan(512);
    // Every picture has a state (covered until checked), none is left without one.
    expect(states.every((s) => s !== null)).toBe(true);
    const unmarked = await page.evaluate(() => document.querySelectorAll('#feed img:not([data-megane])').length);
    expect(unmarked).toBe(0);
    await page.close();
  }, 900_000);
});

describe('twenty tabs at once', () => {
  it('every picture of every tab ends with a state a person can act on, and no cat is shown', async () => {
    const start = Date.now();
    const pages = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const page = await browser.context.newPage();
        await page.goto(`${server.pageOrigin}/feed.html?total=50&seed=tab${i}`, { waitUntil: 'domcontentloaded', timeout: 300_000 });
        return page;
      }),
    );
    const outcomes = await Promise.all(
      pages.map(async (page) => {
        const ids = await inView(page);
        // Every 2 s: twenty tabs polled every 150 ms were ~130 page evaluations a second on 2 cores.
        await waitForStates(
          page,
          Object.fromEntries(ids.map((id) => [id, isCat(id) ? ['hidden', 'error'] : ['shown', 'error']])),
          600_000,
          2_000,
        );
        return Object.values(await meganeStates(page, ids));
      }),
    );
    const all = outcomes.flat();
    const unchecked = all.filter((s) => s === 'error').length;
    console.info(
      `twenty tabs: all ${all.length} pictures in view settled after ${Date.now() - start} ms; ${unchecked} of them "couldn't check"`,
    );
    await Promise.all(pages.map((page) => page.close()));
  }, 900_000);
});
