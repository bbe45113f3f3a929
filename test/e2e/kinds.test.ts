// Every kind of image on a page is covered from its first paint until it has a verdict, then shown;
// the popup's controls change what the page shows. Real Chromium, the built extension, a page on one
// origin with images from another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings, resetSettings, popupUrlFor } from './helpers/extension';
import { SAMPLER_SCRIPT, filterOf, seenIn, sharpness, waitForStates } from './helpers/observe';
import { kindsReady, SAFE_KINDS } from './helpers/kinds-page';

/** Sharpness (mean |Laplacian|) of a clear photo tile and of a blurred one, measured on #plain. */
const SHARP = 0.02;
const BLURRED = 0.002;

/** The image's top strip, away from the label in its centre. */
async function cornerSharpness(p: Page, selector: string): Promise<number> {
  await p.locator(selector).scrollIntoViewIfNeeded();
  const box = await p.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return sharpness(await p.screenshot({ clip: { x: box.x + 4, y: box.y + 4, width: box.width - 8, height: box.height * 0.3 } }));
}

let browser: ExtensionBrowser;
let server: DemoServer;
let page: Page;

async function openKinds(): Promise<Page> {
  const p = await browser.context.newPage();
  await p.addInitScript(SAMPLER_SCRIPT);
  await p.goto(`${server.pageOrigin}/kinds.html`);
  await p.waitForFunction(kindsReady, undefined, { timeout: 30_000 });
  return p;
}

beforeAll(async () => {
  server = await startDemoServer();
  browser = await launchWithExtension();
  page = await openKinds();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('kinds of image', () => {
  it('covers every kind of image until it is checked, then shows it', async () => {
    await waitForStates(page, Object.fromEntries(SAFE_KINDS.map((id) => [id, 'safe'])));
    const seen = await seenIn(page);
    for (const id of SAFE_KINDS) {
      expect(seen[id], id).toBeDefined();
      expect(seen[id]?.flashes, `${id} was shown before it was checked: ${JSON.stringify(seen[id])}`).toBe(0);
      expect(seen[id]?.covered, `${id} was never covered`).toBeGreaterThan(0);
      expect(await filterOf(page, `#${id}`), id).toBe('none');
    }
    // What a person sees: the plain image is sharp now.
    expect(await cornerSharpness(page, '#plain')).toBeGreaterThan(SHARP);
  });

  it('checks an image inside a frame', async () => {
    const frame = page.frameLocator('#frame');
    const inFrame = page.frames().find((f) => f.url().endsWith('/frame.html'));
    expect(inFrame).toBeDefined();
    await waitForStates(inFrame!, { 'in-frame': 'safe' });
    expect((await seenIn(inFrame!))['in-frame']?.flashes).toBe(0);
    expect(await frame.locator('#in-frame').evaluate((el) => getComputedStyle(el).filter)).toBe('none');
  });

  it('checks a lazy-loaded image when it scrolls into view', async () => {
    expect(await filterOf(page, '#lazy')).toContain('blur');
    await page.locator('#lazy').scrollIntoViewIfNeeded();
    await waitForStates(page, { lazy: 'safe' });
    expect((await seenIn(page)).lazy?.flashes).toBe(0);
  });

  it('leaves tiny images alone', async () => {
    await waitForStates(page, { tiny: 'skip' });
    expect(await filterOf(page, '#tiny')).toBe('none');
  });

  it("keeps an image whose server sends garbage covered as couldn't check", async () => {
    await waitForStates(page, { broken: 'error' });
    expect(await filterOf(page, '#broken')).toContain('blur');
  });

  it("shows images that couldn't be checked when the user chose so", async () => {
    await patchSettings(browser.serviceWorker, { onError: 'show' });
    await waitForStates(page, { broken: 'error-shown' }, 10_000);
    expect(await filterOf(page, '#broken')).toBe('none');
    await patchSettings(browser.serviceWorker, { onError: 'cover' });
    await waitForStates(page, { broken: 'error' }, 10_000);
  });

  it('keeps an image that never arrives covered without delaying the others', async () => {
    // The others were all checked in the first test while this one still hangs.
    expect(server.requests.some((r) => r.url.startsWith('/never.jpg'))).toBe(true);
    expect(await filterOf(page, '#never')).toContain('blur');
  });
});

describe('popup controls', () => {
  let popup: Page;
  beforeAll(async () => {
    popup = await browser.context.newPage();
    await popup.goto(await popupUrlFor(browser, page));
  });
  afterAll(async () => {
    await popup.close();
    await resetSettings(browser.serviceWorker);
  });

  it('shows the tab counts and the model status', async () => {
    await expect.poll(() => popup.locator('#stat-checked').textContent(), { timeout: 15_000 }).toMatch(/^[1-9]\d*$/);
    expect(Number(await popup.locator('#stat-failed').textContent())).toBeGreaterThanOrEqual(1);
    await expect.poll(() => popup.locator('#model-state').getAttribute('data-state')).toBe('ready');
    expect(await popup.locator('#model-backend').getAttribute('data-backend')).toBe('wasm');
  });

  it('fits the browser\'s 600 px popup without scrolling; "Add a rule…" opens every tag from the keyboard', async () => {
    // Chrome sizes a popup to its content, at most 800 × 600: the content's own height (here in a tab
    // 720 px tall, the bottom of the popup's content with the body's margin) is what it shows.
    const height = () =>
      popup.evaluate(() => {
        const bottom = document.querySelector('main.popup')?.getBoundingClientRect().bottom ?? Number.POSITIVE_INFINITY;
        return Math.ceil(bottom + Number.parseFloat(getComputedStyle(document.body).marginBottom));
      });
    await expect.poll(() => popup.locator('#model-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('ready');
    console.info(`popup: ${await height()} px tall with no tag rule on`);
    expect(await height()).toBeLessThanOrEqual(600);
    expect(await popup.locator('.tag-row').count()).toBe(0);
    // Two rules on: they show, and it still fits.
    await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true }, face: { hide: true } } });
    await expect.poll(() => popup.locator('.tag-row').count(), { timeout: 5_000 }).toBe(2);
    console.info(`popup: ${await height()} px tall with two tag rules on`);
    expect(await height()).toBeLessThanOrEqual(600);
    // From the keyboard: focus shows, Enter opens the whole list.
    const button = popup.locator('#all-tags');
    await button.focus();
    expect(await button.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    await popup.keyboard.press('Enter');
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
    expect(await popup.locator('.tag-row').count()).toBeGreaterThan(15);
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.locator('.tag-row').count()).toBe(2);
    await patchSettings(browser.serviceWorker, { tags: {} });
  });

  it('the slider at its strictest covers every image, with a label, and back again', async () => {
    await popup.locator('#nsfw-threshold').fill('0');
    await waitForStates(page, Object.fromEntries(SAFE_KINDS.map((id) => [id, 'nsfw'])), 10_000);
    for (const id of SAFE_KINDS) expect(await filterOf(page, `#${id}`), id).toContain('blur');
    expect(await cornerSharpness(page, '#plain')).toBeLessThan(BLURRED);
    await popup.locator('#nsfw-threshold').fill('0.7');
    await waitForStates(page, Object.fromEntries(SAFE_KINDS.map((id) => [id, 'safe'])), 10_000);
  });

  it('one click reveals a covered image without following its link', async () => {
    await patchSettings(browser.serviceWorker, { nsfwThreshold: 0 });
    await waitForStates(page, { 'link-img': 'nsfw' }, 10_000);
    await page.locator('#link-img').scrollIntoViewIfNeeded();
    // Away from the centre, where the label button sits: this is a click on the image itself.
    await page.locator('#link-img').click({ position: { x: 12, y: 12 } });
    await waitForStates(page, { 'link-img': 'revealed' }, 5_000);
    expect(page.url()).toMatch(/kinds\.html$/);
    expect(await filterOf(page, '#link-img')).toBe('none');
    // The label's own button reveals too.
    await page.locator('#plain').scrollIntoViewIfNeeded();
    await page.locator('#plain').click({ force: true });
    await waitForStates(page, { plain: 'revealed' }, 5_000);
    // Revealed stays revealed on this page, whatever the threshold does next.
    await patchSettings(browser.serviceWorker, { nsfwThreshold: 0.01 });
    await page.waitForTimeout(300);
    await waitForStates(page, { 'link-img': 'revealed' }, 1_000);
    await patchSettings(browser.serviceWorker, { nsfwThreshold: 0.7 });
    await waitForStates(page, { picture: 'safe' }, 10_000);
  });

  it('"Filter on this site" off shows the page untouched, on covers again at once', async () => {
    await patchSettings(browser.serviceWorker, { nsfwThreshold: 0 });
    await waitForStates(page, { picture: 'nsfw' }, 10_000);
    await popup.locator('#site-enabled').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-megane], style[data-megane-style]').length === 0, undefined, {
      timeout: 10_000,
    });
    expect(await filterOf(page, '#picture')).toBe('none');
    expect(await filterOf(page, '#never')).toBe('none');
    const { siteRules } = await browser.serviceWorker.evaluate(
      async () => (await chrome.storage.local.get('settings')).settings as { siteRules: Record<string, boolean> },
    );
    expect(siteRules).toEqual({ '127.0.0.1': false });
    await popup.locator('#site-enabled').click();
    await waitForStates(page, { picture: 'nsfw' }, 10_000);
    expect(await filterOf(page, '#picture')).toContain('blur');
  });
});
