// A new user's first page: 50+ ordinary photos and drawings from another origin. None may show
// before it is checked, and at the default setting at most one may stay covered once the page settles.
import { expect, it } from 'vitest';
import { galleryImages, type DemoServer, type ExtensionBrowser } from './helpers';
import { browserAndServerPerFile } from './helpers/per-file';
import { galleryStates } from './helpers/gallery-page';
import { SAMPLER_SCRIPT, seenIn } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;

browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

it('shows no gallery image before it is checked and at most one stays covered', async () => {
  const count = galleryImages().length;
  expect(count).toBeGreaterThanOrEqual(50);
  const page = await browser.context.newPage();
  await page.addInitScript(SAMPLER_SCRIPT);
  await page.goto(`${server.pageOrigin}/index.html`);
  // Settled: every image has a verdict (lazy ones are scrolled into view first).
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect
    .poll(
      async () => {
        const states = Object.values(await galleryStates(page));
        return states.length >= count && states.every((s) => s === 'shown' || s === 'nsfw' || s === 'error');
      },
      { timeout: 120_000, interval: 250 },
    )
    .toBe(true);
  const seen = await seenIn(page);
  const flashed = Object.entries(seen)
    .filter(([, s]) => s.flashes > 0)
    .map(([id]) => id);
  expect(flashed, 'images shown before they were checked').toEqual([]);
  const covered = await page.evaluate(() =>
    [...document.querySelectorAll('img')].filter((img) => getComputedStyle(img).filter.includes('blur')).map((img) => img.src),
  );
  expect(covered.length, `covered after settling: ${covered.join(', ')}`).toBeLessThanOrEqual(1);
  await page.close();
});
