// What the e2e tests read off the demo gallery page: when every image has a verdict, and the label
// Megane shows over an image.
import type { BrowserContext, Page } from 'playwright-core';
import { labelText, meganeStates } from './megane-world';

/** The gallery tile for a fixture file. */
export const tile = (file: string) => `img[data-file="${file}"]`;

/** Scrolls through the gallery and waits until every image has a verdict. */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  const end = Date.now() + 120_000;
  for (;;) {
    const states = Object.values(await galleryStates(page).catch(() => ({ none: null })));
    if (states.length > 0 && states.every((s) => s !== null && s !== 'pending')) return;
    if (Date.now() > end) throw new Error('the gallery did not settle');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every gallery image's state by file, as meganeStates reads it ('shown', 'hidden', 'nsfw', ...). */
export async function galleryStates(page: Page): Promise<Record<string, string | null>> {
  const files = await page.locator('img[data-file]').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('data-file') ?? ''));
  const states = await meganeStates(page, files.map(tile));
  return Object.fromEntries(files.map((f) => [f, states[tile(f)] ?? null]));
}

/** One gallery image's state, as meganeStates reads it. */
export async function stateOfTile(page: Page, file: string): Promise<string | null> {
  return (await meganeStates(page, [tile(file)]))[tile(file)] ?? null;
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
  return labelText(page, tile(file));
}
