// "Hide what I'd dislike": the user dislikes some images and likes others with the hover buttons, the
// personal model trains on their embeddings in the offscreen document, and hiding the `dislike` tag then
// covers the disliked images (and images like them) while the liked ones stay visible.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { galleryStates, openSettledGallery, settled, stateOfTile, tile } from './helpers/gallery-page';
import { clickMarkButton, markButton } from './helpers/megane-world';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';

let browser: ExtensionBrowser;
let server: DemoServer;
let page: Page;

// Disliked: photos; liked: drawings. The model's embedding separates the two well, so a personal
// `dislike` tag learned from 7 + 7 marks should read as "photo" on images it was not shown.
const DISLIKED = [
  'photo-books.jpg',
  'photo-cameraman.jpg',
  'photo-chameleon.jpg',
  'photo-forest-stream.jpg',
  'photo-goldfish.jpg',
  'photo-light-bulb.jpg',
  'photo-mountain-meadow.jpg',
];
const LIKED = [
  'drawing-bus.png',
  'drawing-doctor.png',
  'drawing-fire-station.png',
  'drawing-lighthouse.png',
  'drawing-panda-cartoon.png',
  'drawing-strawberry.png',
  'drawing-toy-train.png',
];

const stateOf = (file: string) => stateOfTile(page, file);

async function mark(file: string, button: 'like' | 'dislike'): Promise<void> {
  await page.locator(tile(file)).scrollIntoViewIfNeeded();
  await page.hover(tile(file));
  await clickMarkButton(page, button);
  await expect.poll(async () => (await markButton(page, button))?.pressed).toBe('true');
}

interface Summary {
  version: number | null;
  stats: Record<string, { trained: boolean; positives: number; negatives: number }>;
}
const personalStatus = () =>
  browser.serviceWorker.evaluate(
    async () => ((await chrome.storage.local.get('personalStatus')).personalStatus ?? {}) as Record<string, Summary>,
  );

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  page = await openSettledGallery(browser.context, server.pageOrigin);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('personal tags', () => {
  it('learns "dislike" from the marks and hides what the user would dislike', async () => {
    for (const file of DISLIKED) await mark(file, 'dislike');
    for (const file of LIKED) await mark(file, 'like');

    // Trained in the background a few seconds after the last mark (and again when the captures land).
    await expect
      .poll(async () => (await personalStatus()).mobilenet_v2_mid, { timeout: 120_000, interval: 1000 })
      .toMatchObject({
        version: expect.any(Number),
        stats: { dislike: { trained: true, positives: 7, negatives: 7 }, like: { trained: true } },
      });

    // Hiding the learned tag applies to the open page: it asks for its scores again, without a reload
    // (its first scores were made before there was a personal model, so none of them has `dislike`).
    for (const file of DISLIKED) expect(await stateOf(file), file).toBe('shown');
    await patchSettings(browser.serviceWorker, { tags: { dislike: { hide: true } } });
    await expect.poll(() => Promise.all(DISLIKED.map(stateOf)), { timeout: 60_000 }).toEqual(DISLIKED.map(() => 'hidden'));
    for (const file of LIKED) expect(await stateOf(file), file).toBe('shown');

    // And on a fresh load of the page, where every image is scored with it from the start.
    await page.reload();
    await settled(page);
    for (const file of DISLIKED) expect(await stateOf(file), file).toBe('hidden');
    for (const file of LIKED) expect(await stateOf(file), file).toBe('shown');

    // Images it was not shown: most photos read as disliked, few drawings do.
    const others = Object.entries(await galleryStates(page)).map(([file, state]) => ({ file, state }));
    const unseen = others.filter((o) => !DISLIKED.includes(o.file) && !LIKED.includes(o.file));
    const share = (prefix: string) => {
      const group = unseen.filter((o) => o.file.startsWith(prefix));
      return group.filter((o) => o.state === 'hidden').length / group.length;
    };
    console.info(
      `personal dislike on unseen images: ${(share('photo-') * 100).toFixed(0)}% of photos hidden, ${(share('drawing-') * 100).toFixed(0)}% of drawings`,
    );
    expect(share('photo-')).toBeGreaterThanOrEqual(0.7);
    expect(share('drawing-')).toBeLessThanOrEqual(0.3);
  }, 420_000);
});
