// Tags as a user sees them: hiding a tag covers the images that have it and names why; detector
// models load only when a rule needs them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { galleryImages, launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings, resetSettings, popupUrlFor } from './helpers/extension';
import { galleryStates, labelOf, openSettledGallery, settled, stateOfTile, tile } from './helpers/gallery-page';
import { hintText } from './helpers/megane-world';

let browser: ExtensionBrowser;
let server: DemoServer;
let page: Page;

const stateOf = (file: string) => stateOfTile(page, file);
const blurred = (file: string) => page.locator(tile(file)).evaluate((el) => getComputedStyle(el).filter.includes('blur'));

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  page = await openSettledGallery(browser.context, server.pageOrigin);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('tags', () => {
  it('loads no detector model while no detector-backed tag is hidden', async () => {
    const popup = await browser.context.newPage();
    await popup.goto(await popupUrlFor(browser, page));
    await expect.poll(() => popup.locator('#model-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('ready');
    expect(await popup.locator('#detector-faces-state').getAttribute('data-state')).toBe('idle');
    expect(await popup.locator('#detector-objects-state').getAttribute('data-state')).toBe('idle');
    await popup.close();
  });

  it('hiding "cat" covers the cat photos, names the tag, and leaves food and the coffee cup', async () => {
    await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true } } });
    await expect.poll(() => stateOf('photo-cat-tabby.jpg'), { timeout: 150_000 }).toBe('hidden');
    await expect.poll(() => stateOf('photo-cat-chelsea.jpg'), { timeout: 150_000 }).toBe('hidden');
    await settled(page);
    // Drawn cats are not asserted: no cat head reached the bar to ship (docs/tags.md), and the
    // photo-trained detector finds none of them.
    for (const file of ['photo-cat-tabby.jpg', 'photo-cat-chelsea.jpg']) {
      expect(await stateOf(file), file).toBe('hidden');
      expect(await blurred(file), file).toBe(true);
      expect(await labelOf(page, file), file).toMatch(/^Hidden: cat \d+%$/);
    }
    for (const file of [
      'photo-coffee-cup.jpg',
      'drawing-coffee-mug.png',
      'photo-sushi.jpg',
      'photo-pancakes.jpg',
      'drawing-pizza-slice.png',
    ]) {
      expect(await stateOf(file), file).toBe('shown');
      expect(await blurred(file), file).toBe(false);
    }

    const popup = await browser.context.newPage();
    await popup.goto(await popupUrlFor(browser, page));
    await expect.poll(() => popup.locator('#detector-objects-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('ready');
    expect(await popup.locator('#detector-faces-state').getAttribute('data-state')).toBe('idle');
    await popup.close();
  }, 300_000);

  it('with the detectors off, the popup says which tag rules still work', async () => {
    await patchSettings(browser.serviceWorker, { useDetectors: false, tags: { cat: { hide: true }, food: { hide: true } } });
    const popup = await browser.context.newPage();
    await popup.goto(await popupUrlFor(browser, page));
    // Food has a head on the NSFW model (it finds drawn dishes at no extra cost); no cat head shipped.
    await expect.poll(() => popup.locator('#tag-cat-note').textContent(), { timeout: 15_000 }).toBe('needs the detectors, which are off');
    expect(await popup.locator('#tag-food-note').textContent()).toBe('drawings and photos; no detector');
    await popup.close();
    await resetSettings(browser.serviceWorker);
  });

  it('hiding "illust" covers the drawings and not the photos', async () => {
    await patchSettings(browser.serviceWorker, { tags: { illust: { hide: true } } });
    await settled(page);
    const images = galleryImages();
    const hidden = await galleryStates(page);
    const drawingsHidden = images.filter((i) => i.kind === 'drawing' && hidden[i.file] === 'hidden').length;
    const photosHidden = images.filter((i) => i.kind === 'photo' && hidden[i.file] === 'hidden').length;
    const drawings = images.filter((i) => i.kind === 'drawing').length;
    const photos = images.filter((i) => i.kind === 'photo').length;
    // The head is ~95% accurate on this gallery (README); demand most, not all.
    expect(drawingsHidden / drawings).toBeGreaterThanOrEqual(0.85);
    expect(photosHidden / photos).toBeLessThanOrEqual(0.15);
    await resetSettings(browser.serviceWorker);
  });

  it('shows the top tags of a checked image on hover when asked to', async () => {
    await patchSettings(browser.serviceWorker, { showTagsOnHover: true });
    await page.locator(tile('photo-coffee-cup.jpg')).scrollIntoViewIfNeeded();
    await page.locator(tile('photo-coffee-cup.jpg')).hover();
    const hint = () => hintText(page);
    await expect.poll(hint, { timeout: 5_000 }).toMatch(/^Photo \d+%/);
    await patchSettings(browser.serviceWorker, { showTagsOnHover: false });
    await page.mouse.move(0, 0);
    await page.locator(tile('photo-sushi.jpg')).hover();
    await expect.poll(hint, { timeout: 5_000 }).toBeNull();
  });
});
