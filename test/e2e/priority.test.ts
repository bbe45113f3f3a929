// Checks across tabs (issue 12): the tab the user looks at goes first. A background tab that asked
// first waits behind it: its waiting downloads are passed over once the user switches away from it.
// Seen at the image server: the order of the extension's own downloads (not the pages' <img> loads).
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoServer, ExtensionBrowser } from './helpers';
import { browserAndServerPerFile } from './helpers/per-file';
import { waitForStates } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;

browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

/** Each image takes this long to arrive, so the host's six downloads per host are all busy for a while. */
const SLOW_MS = 4_000;

/** A page of `count` fresh slow images named `<tab>-<n>`, all in the viewport. */
async function pageOfImages(tab: string, count: number): Promise<{ page: Page; ids: string[] }> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${server.pageOrigin}/followed.html`);
  const ids = Array.from({ length: count }, (_, i) => `${tab}-${i}`);
  const stamp = Date.now();
  await page.evaluate(
    ({ ids, origin, ms, stamp }) => {
      for (const id of ids) {
        const img = document.createElement('img');
        img.id = id;
        img.width = 90;
        img.height = 60;
        // Slow for the extension's download only: the pages' own loads share the browser's six
        // connections to the host, and would otherwise hold tab b's images back before Megane sees them.
        img.src = `${origin}/slow/photo-owl.jpg?ms=${ms}&only=fetch&id=${id}&t=${stamp}`;
        document.body.prepend(img);
      }
    },
    { ids, origin: server.imageOrigin, ms: SLOW_MS, stamp },
  );
  return { page, ids };
}

/** The extension's downloads of these pages' images so far, in the order the server saw them: each one's tab. */
const extensionDownloads = () =>
  server.requests
    .filter((r) => !r.byPage && r.url.includes('/slow/photo-owl.jpg') && /id=(a|b)-/.test(r.url))
    .map((r) => (/id=(a|b)-/.exec(r.url) as RegExpExecArray)[1]);

it("downloads the active tab's images before those a background tab asked for first", async () => {
  // The model loaded first, so only the downloads wait.
  const warm = await pageOfImages('warm', 1);
  await waitForStates(warm.page, { 'warm-0': 'shown' }, 90_000);
  await warm.page.close();

  const a = await pageOfImages('a', 18);
  // Tab a's first downloads are under way (six per host); the rest of its images wait in the host.
  await expect.poll(() => extensionDownloads().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
  const before = extensionDownloads().length;
  const b = await pageOfImages('b', 6);
  await b.page.bringToFront();
  await waitForStates(b.page, Object.fromEntries(b.ids.map((id) => [id, 'shown'])), 90_000);
  // The six downloads that followed once tab b asked were all b's, though a's were waiting first.
  const after = extensionDownloads().slice(before, before + 6);
  expect(after).toEqual(['b', 'b', 'b', 'b', 'b', 'b']);
  // And tab a is still checked, after.
  await waitForStates(a.page, Object.fromEntries(a.ids.map((id) => [id, 'shown'])), 120_000);
});
