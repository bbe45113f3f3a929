// Megane speaks the browser's language. Launched in Japanese (--lang=ja), every page a user meets —
// the first-run page that opens on install, the popup, the options page, the labels over covered
// images — shows Japanese: no English word is left that is not a name (Megane, NSFW, WASM, model
// names), no message is missing, and each page says lang="ja". Launched in English, no message is
// missing either. Real Chromium, the built extension.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { firstRunPage, launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings, popupUrlFor } from './helpers/extension';
import { inMeganeWorld } from './helpers/megane-world';

/** Latin words that are names, not English: the product, formats, backends, model names, tags kept as is. */
const NAMES = new Set(
  [
    'megane',
    'nsfw',
    'wasm',
    'webgpu',
    'webgl',
    'cpu',
    'gpu',
    'json',
    'zip',
    'coco',
    'mobilenet',
    'inception',
    'mid',
    'nsfwjs',
    'blazeface',
    'centernet',
    'tensorflow',
    'localhost',
    'simd',
    'webassembly',
    'javascript',
    'web',
    'region',
    'cropper',
    'pin',
    'extensioninstallforcelist',
    // Key names, as Japanese keyboards label them too.
    'alt',
    'shift',
  ].map((w) => w.toLowerCase()),
);

/**
 * The English words a page shows: in text (outside <code>, which holds file names and settings
 * keys), and in the attributes read aloud or shown on hover. Collected inside the page.
 */
function englishWords(page: Page, extraNames: string[] = []): Promise<string[]> {
  return page.evaluate(
    (names: string[]) => {
      const allowed = new Set(names.map((n) => n.toLowerCase()));
      const found = new Set<string>();
      const look = (text: string | null) => {
        // Addresses, file paths and host names (chrome://extensions, docs/training.md, example.com) are not words.
        const words = (text ?? '').replace(/[a-z-]+:\/\/[\w./-]*/g, ' ').replace(/[\w-]+(?:[/.][\w-]+)+/g, ' ');
        for (const word of words.match(/[A-Za-z][A-Za-z'’]{2,}/g) ?? []) if (!allowed.has(word.toLowerCase())) found.add(word);
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement?.closest('code, script, style')) continue;
        look(node.textContent);
      }
      for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-valuetext]'))
        for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext']) look(el.getAttribute(name));
      look(document.title);
      return [...found];
    },
    [...NAMES, ...extraNames],
  );
}

/**
 * The words of the GPU's own names (the WebGL renderer string, the WebGPU adapter's vendor and
 * architecture), which the popup shows as the GPU reports them when it says why a backend was chosen.
 */
function gpuNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const text: string[] = [];
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    if (gl && info) text.push(String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)), String(gl.getParameter(info.UNMASKED_VENDOR_WEBGL)));
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }).gpu;
    const adapter = await gpu?.requestAdapter().catch(() => null);
    if (adapter?.info) for (const key of ['vendor', 'architecture', 'device', 'description']) text.push(String(adapter.info[key] ?? ''));
    return text.join(' ').match(/[A-Za-z][A-Za-z'’]{2,}/g) ?? [];
  });
}

/** Collects the i18n library's "[i18n] Message not found" warnings of a page from now on. */
function missingMessages(page: Page): string[] {
  const missing: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('[i18n]')) missing.push(message.text());
  });
  return missing;
}

describe('in Japanese', () => {
  let browser: ExtensionBrowser;
  let server: DemoServer;
  let welcome: Page | null = null;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchWithExtension({ args: ['--lang=ja'], keepWelcome: true });
    welcome = await firstRunPage(browser.context, browser.extensionUrl('welcome.html'), 15_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the first-run page that opens on install is in Japanese', async () => {
    expect(welcome, 'the first-run page opened').not.toBeNull();
    if (!welcome) return;
    await welcome.locator('#strictness-balanced').waitFor();
    expect(await welcome.evaluate(() => document.documentElement.lang)).toBe('ja');
    expect(await welcome.locator('h1').textContent()).toBe('Megane へようこそ');
    expect(await englishWords(welcome)).toEqual([]);
  });

  it('the popup and the options page are in Japanese, with every message there', async () => {
    const site = await browser.context.newPage();
    await site.goto(`${server.pageOrigin}/index.html`);
    const popup = await browser.context.newPage();
    const popupMissing = missingMessages(popup);
    await popup.goto(await popupUrlFor(browser, site));
    await expect.poll(() => popup.locator('#model-state').getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    // Japanese lines break differently: the popup still fits the browser's 600 px (as kinds.test.ts
    // measures it: the bottom of the content plus the body's margin), with two rules on.
    await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true }, megane: { hide: true } } });
    await expect.poll(() => popup.locator('.tag-row').count(), { timeout: 5_000 }).toBe(2);
    const height = await popup.evaluate(() => {
      const bottom = document.querySelector('main.popup')?.getBoundingClientRect().bottom ?? Number.POSITIVE_INFINITY;
      return Math.ceil(bottom + Number.parseFloat(getComputedStyle(document.body).marginBottom));
    });
    console.info(`popup in Japanese: ${height} px tall with two tag rules on`);
    expect(height).toBeLessThanOrEqual(600);
    await patchSettings(browser.serviceWorker, { tags: {} });
    // Every tag rule open, so each tag's name and note shows.
    await popup.locator('#all-tags').click();
    await popup.locator('#tag-list').waitFor();
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('ja');
    expect(await popup.locator('label[for="tag-megane-hide"]').textContent()).toBe('メガネ');
    expect(await englishWords(popup, await gpuNames(popup))).toEqual([]);
    expect(popupMissing).toEqual([]);

    const options = await browser.context.newPage();
    const optionsMissing = missingMessages(options);
    await options.goto(browser.extensionUrl('options.html'));
    await options.locator('#tag-list').waitFor();
    expect(await options.evaluate(() => document.documentElement.lang)).toBe('ja');
    expect(await englishWords(options)).toEqual([]);
    // The Statistics tab, with the counts of the page checked above (its chart's key, table and rules).
    await options.locator('#tab-stats').click();
    await expect.poll(() => options.locator('#total-checked').textContent(), { timeout: 15_000 }).not.toBe('0');
    await options.locator('.day-table summary').click();
    expect(await englishWords(options)).toEqual([]);
    expect(optionsMissing).toEqual([]);
  }, 120_000);

  it('the labels over covered images are in Japanese', async () => {
    await patchSettings(browser.serviceWorker, { tags: { photo: { hide: true } } });
    const page = await browser.context.newPage();
    await page.goto(`${server.pageOrigin}/index.html`);
    const labels = () =>
      inMeganeWorld(
        page,
        () => {
          const host = document.querySelector('megane-labels');
          const dom = (globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(el: Element): ShadowRoot | null } } }).chrome.dom;
          const root = host ? dom.openOrClosedShadowRoot(host) : null;
          return [...(root?.querySelectorAll<HTMLElement>('.label') ?? [])].map((l) => l.textContent ?? '').filter((t) => t !== '');
        },
        undefined,
      );
    await expect.poll(async () => (await labels()).some((t) => t.includes('写真')), { timeout: 120_000 }).toBe(true);
    const english = (await labels()).flatMap((t) => (t.match(/[A-Za-z][A-Za-z'’]{2,}/g) ?? []).filter((w) => !NAMES.has(w.toLowerCase())));
    expect(english).toEqual([]);
  }, 180_000);
});

describe('in English', () => {
  let browser: ExtensionBrowser;
  beforeAll(async () => {
    browser = await launchWithExtension({ keepWelcome: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('every page finds its messages and says lang="en"', async () => {
    for (const path of ['welcome.html', 'popup.html', 'options.html']) {
      const page = await browser.context.newPage();
      const missing = missingMessages(page);
      await page.goto(browser.extensionUrl(path));
      await page.locator('main').waitFor();
      await page.waitForTimeout(500);
      expect(await page.evaluate(() => document.documentElement.lang), path).toMatch(/^en/);
      expect(missing, path).toEqual([]);
      await page.close();
    }
  }, 120_000);
});
