// "Show the covered image under the pointer" (Alt+Shift+S): the background tells every frame of the
// tab, and the frame the user's pointer is in reveals the covered image under it, as a click on it
// would. Headless Chromium cannot press a browser shortcut, so the test sends what the shortcut's
// handler sends (entrypoints/background.ts); a pointer a page script fakes moves nothing.
import { expect, it } from 'vitest';
import type { DemoServer, ExtensionBrowser } from './helpers';
import { patchSettings, tabIdOf } from './helpers/extension';
import { meganeStates } from './helpers/megane-world';
import { browserAndServerPerFile } from './helpers/per-file';

let browser: ExtensionBrowser;
let server: DemoServer;
browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

it('reveals the covered image under the real pointer, and only that one', async () => {
  await patchSettings(browser.serviceWorker, { nsfwThreshold: 0 });
  const page = await browser.context.newPage();
  await page.goto(`${server.pageOrigin}/kinds.html`);
  await expect
    .poll(async () => Object.values(await meganeStates(page, ['plain', 'srcset'])), { timeout: 90_000 })
    .toEqual(['nsfw', 'nsfw']);
  const tabId = await tabIdOf(browser.serviceWorker, page);
  const plain = await page.locator('#plain').boundingBox();
  const srcset = await page.locator('#srcset').boundingBox();
  if (!plain || !srcset) throw new Error('no boxes');
  // The user's pointer rests on #plain, away from its label (in the middle).
  await page.mouse.move(plain.x + 20, plain.y + plain.height - 20);
  // A page script fakes a pointer over #srcset: not the user's, so it does not count.
  await page.evaluate(({ x, y }) => window.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: y, bubbles: true })), {
    x: srcset.x + 20,
    y: srcset.y + 20,
  });
  await browser
    .currentWorker()
    .evaluate((id) => chrome.tabs.sendMessage(id, { channel: 'background->content', type: 'reveal-under-pointer' }), tabId);
  await expect.poll(async () => (await meganeStates(page, ['plain'])).plain, { timeout: 10_000 }).toBe('shown');
  expect(await page.locator('#plain').evaluate((el) => getComputedStyle(el).filter)).toBe('none');
  expect((await meganeStates(page, ['srcset'])).srcset).toBe('nsfw');
}, 150_000);

it('registers the shortcut', async () => {
  const commands = await browser.currentWorker().evaluate(() => chrome.commands.getAll());
  expect(commands.find((c) => c.name === 'reveal-under-pointer')).toMatchObject({ shortcut: 'Alt+Shift+S' });
});
