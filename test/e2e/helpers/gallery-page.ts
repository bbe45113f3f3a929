// What the e2e tests read off the demo gallery page: when every image has a verdict, and the label
// Megane shows over an image.
import type { BrowserContext, Page } from 'playwright-core';

/** The gallery tile for a fixture file. */
export const tile = (file: string) => `img[data-file="${file}"]`;

/** Scrolls through the gallery and waits until every image has a verdict. */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('img[data-file]')].every((img) =>
        ['safe', 'nsfw', 'hidden', 'error'].includes(img.getAttribute('data-megane') ?? ''),
      ),
    undefined,
    { timeout: 120_000, polling: 250 },
  );
}

/** Opens the demo gallery in a new tab and waits until every image has a verdict. */
export async function openSettledGallery(context: BrowserContext, pageOrigin: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${pageOrigin}/index.html`);
  await settled(page);
  return page;
}

/** The label text Megane shows over a gallery image, or null. */
export async function labelOf(page: Page, file: string): Promise<string | null> {
  return page.evaluate((selector) => {
    const el = document.querySelector(selector);
    const root = document.querySelector('megane-labels')?.shadowRoot;
    if (!el || !root) return null;
    const box = el.getBoundingClientRect();
    for (const label of root.querySelectorAll<HTMLElement>('.label')) {
      const r = label.getBoundingClientRect();
      if (Math.abs(r.left - box.left) < 2 && Math.abs(r.top - box.top) < 2) return label.textContent;
    }
    return null;
  }, tile(file));
}
