// The toolbar button as a person sees it: its badge counts the images covered on the tab (each tab its
// own), its tooltip says so, and it says "off" where Megane is not filtering: switched off, or off on
// the tab's site. The badge can be turned off in the options. Headless Chromium draws no toolbar, so
// the button's face is read through the same action API the browser draws it from.
import { expect, it } from 'vitest';
import type { DemoServer, ExtensionBrowser } from './helpers';
import { browserAndServerPerFile } from './helpers/per-file';
import { patchSettings, tabIdOf } from './helpers/extension';
import { waitForStates } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;
browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

/** What the button shows on `tabId`: its badge text and its tooltip. */
const face = (tabId: number) =>
  browser.serviceWorker.evaluate(
    async (id) => ({ badge: await chrome.action.getBadgeText({ tabId: id }), title: await chrome.action.getTitle({ tabId: id }) }),
    tabId,
  );

/** Opens a page with `drawings` drawings and `photos` photos (fresh URLs) and waits for their verdicts with "illust" hidden. */
async function pageWith(drawings: number, photos: number, n: string) {
  const page = await browser.context.newPage();
  // A URL of its own: tabIdOf finds the tab by its URL.
  await page.goto(`${server.pageOrigin}/followed.html?tab=${n}`);
  const images = [
    ...Array.from({ length: drawings }, (_, i) => [`d${i}`, `drawing-beagle.png?n=${n}-${i}`, 'hidden']),
    ...Array.from({ length: photos }, (_, i) => [`p${i}`, `photo-owl.jpg?n=${n}-${i}`, 'safe']),
  ];
  await page.evaluate(
    ({ images, origin }) => {
      for (const [id, file] of images) {
        const img = document.createElement('img');
        img.id = id as string;
        img.width = 160;
        img.src = `${origin}/${file}`;
        document.body.append(img);
      }
    },
    { images, origin: server.imageOrigin },
  );
  await waitForStates(page, Object.fromEntries(images.map(([id, , state]) => [id, state])), 120_000);
  return { page, tabId: await tabIdOf(browser.serviceWorker, page) };
}

it('counts the covered images of each tab, and says where Megane is off', async () => {
  await patchSettings(browser.serviceWorker, { tags: { illust: { hide: true } } });
  const a = await pageWith(2, 1, 'a');
  const b = await pageWith(3, 0, 'b');
  await expect.poll(() => face(a.tabId), { timeout: 10_000 }).toEqual({ badge: '2', title: 'Megane: 2 images covered on this tab' });
  await expect.poll(() => face(b.tabId), { timeout: 10_000 }).toEqual({ badge: '3', title: 'Megane: 3 images covered on this tab' });

  // Off on a's site (both pages are on the same demo host here): the button says so, no count.
  const host = new URL(server.pageOrigin).hostname;
  await patchSettings(browser.serviceWorker, { siteRules: { [host]: false } });
  await expect.poll(() => face(a.tabId), { timeout: 10_000 }).toEqual({ badge: '', title: 'Megane is off on this site' });
  await patchSettings(browser.serviceWorker, { siteRules: {} });
  await expect.poll(() => face(a.tabId), { timeout: 10_000 }).toMatchObject({ title: 'Megane: 2 images covered on this tab' });

  await patchSettings(browser.serviceWorker, { enabled: false });
  await expect.poll(() => face(b.tabId), { timeout: 10_000 }).toEqual({ badge: '', title: 'Megane is off' });
  await patchSettings(browser.serviceWorker, { enabled: true });
  await expect.poll(() => face(b.tabId), { timeout: 10_000 }).toMatchObject({ badge: '3' });

  // The badge turned off in the options: the tooltip still counts.
  await patchSettings(browser.serviceWorker, { showBadge: false });
  await expect.poll(() => face(b.tabId), { timeout: 10_000 }).toEqual({ badge: '', title: 'Megane: 3 images covered on this tab' });
  await patchSettings(browser.serviceWorker, { showBadge: true });

  // A covered image taken off the page is no longer counted (at the frame's next report: here a photo
  // added after it).
  await a.page.evaluate((origin) => {
    document.getElementById('d0')?.remove();
    const img = document.createElement('img');
    img.id = 'late';
    img.width = 160;
    img.src = `${origin}/photo-owl.jpg?n=a-late`;
    document.body.append(img);
  }, server.imageOrigin);
  await waitForStates(a.page, { late: 'safe' }, 60_000);
  await expect.poll(() => face(a.tabId), { timeout: 10_000 }).toMatchObject({ badge: '1' });

  // A new page in the tab starts from nothing.
  await b.page.goto(`${server.pageOrigin}/followed.html?tab=b-again`);
  await expect.poll(() => face(b.tabId), { timeout: 10_000 }).toEqual({ badge: '', title: 'Megane: no image covered on this tab' });
  await a.page.close();
  await b.page.close();
}, 240_000);

it('the site shortcut is registered with its suggested keys', async () => {
  const commands = await browser.serviceWorker.evaluate(() => chrome.commands.getAll());
  expect(commands.find((c) => c.name === 'toggle-site')).toMatchObject({
    shortcut: 'Alt+Shift+M',
    description: 'Switch Megane on or off for the current site',
  });
});

it('the manifest names the icons, and each is a PNG the extension serves', async () => {
  const icons = await browser.serviceWorker.evaluate(() => chrome.runtime.getManifest().icons ?? {});
  expect(Object.keys(icons).sort()).toEqual(['128', '16', '32', '48']);
  const page = await browser.context.newPage();
  for (const path of [...Object.values(icons), '/icon-off/16.png', '/icon-off/128.png']) {
    const response = await page.goto(browser.extensionUrl(path));
    expect(response?.headers()['content-type']).toBe('image/png');
  }
  await page.close();
});
