// Incognito in split mode, Megane's mode (docs/architecture.md#incognito-split-mode): the built
// extension is copied to a folder of its own, "incognito": "split" set in its manifest (as built).
// Allowed in Incognito, it checks an incognito page's images with an offscreen document of the
// incognito profile (its cookies, its memory-only cache and storage), not the regular profile's; the
// build as shipped (spanning) fails this test. Incognito access is switched on the way a user does it (the extensions
// page's developerPrivate API); Chromium then disables an extension loaded from the command line
// until the next start, so the browser restarts on the same profile before the incognito window opens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_EXTENSION_DIR, launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';

interface Target {
  type: string;
  url: string;
  browserContextId: string;
}

let server: DemoServer;
let browser: ExtensionBrowser;

/** The built extension with `"incognito": "split"` in its manifest, in a temporary folder. */
function splitBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'megane-split-'));
  cpSync(BUILT_EXTENSION_DIR, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, incognito: 'split' }));
  return dir;
}

let extensionDir: string;

beforeAll(async () => {
  server = await startDemoServer();
  extensionDir = splitBuild();
  browser = await launchWithExtension({ extensionDir });
  const extensions = await browser.context.newPage();
  await extensions.goto('chrome://extensions');
  await extensions.evaluate(
    (extensionId) =>
      (
        globalThis as unknown as { chrome: { developerPrivate: { updateExtensionConfiguration(c: object): Promise<void> } } }
      ).chrome.developerPrivate.updateExtensionConfiguration({ extensionId, incognitoAccess: true }),
    browser.extensionId,
  );
  const { profileDir } = browser;
  await browser.closeKeepingProfile();
  browser = await launchWithExtension({ profileDir, extensionDir });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(extensionDir, { recursive: true, force: true });
});

describe('incognito in split mode', () => {
  it("checks an incognito page's images in an offscreen document of the incognito profile", async () => {
    const page = await browser.context.newPage();
    await page.goto('about:blank');
    const cdp = await browser.context.newCDPSession(page);
    const targets = async () => ((await cdp.send('Target.getTargets')) as { targetInfos: Target[] }).targetInfos;
    const regular = (await targets()).find((t) => t.type === 'page' && t.url === 'about:blank')?.browserContextId;

    const gallery = `${server.pageOrigin}/index.html`;
    void browser.serviceWorker.evaluate((url) => chrome.windows.create({ incognito: true, url }), gallery);
    await expect.poll(async () => (await targets()).some((t) => t.type === 'page' && t.url === gallery), { timeout: 20_000 }).toBe(true);
    const incognito = (await targets()).find((t) => t.type === 'page' && t.url === gallery)?.browserContextId;
    expect(incognito).toBeDefined();
    expect(incognito).not.toBe(regular);

    const offscreen = async () => (await targets()).filter((t) => t.url.endsWith('/offscreen.html')).map((t) => t.browserContextId);
    await expect.poll(offscreen, { timeout: 30_000 }).toContain(incognito);
    expect(await offscreen()).not.toContain(regular);
    const workers = (await targets()).filter((t) => t.type === 'service_worker' && t.url.includes(browser.extensionId));
    expect(workers.map((t) => t.browserContextId).sort()).toEqual([incognito, regular].sort());
  });
});
