// Firefox with the built add-on (.output/firefox-mv3), driven over WebDriver BiDi by puppeteer-core:
// Debian's firefox-esr, headless, a fresh profile. The add-on's internal UUID is fixed through a pref,
// so its pages have a known address; Firefox 153 lets WebDriver open moz-extension:// pages only with
// --remote-allow-system-access. One extension page stays open as the "control" page: it reads and
// writes the add-on's storage and asks for tab ids, as the service worker does in the Chromium tests.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { SETTINGS_VERSION } from '../../../src/settings/schema';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const FIREFOX_BUILD_DIR = join(ROOT, '.output/firefox-mv3');
const UUID = '3a1f6c0e-6d2b-4c55-9f0e-6d3b2a1c0f4e';

export interface FirefoxExtension {
  browser: Browser;
  /** An extension page kept open to reach the add-on's storage and tabs. */
  control: Page;
  extensionUrl(path: string): string;
  /** Opens one of the add-on's pages in a new tab, once it has loaded. */
  openExtensionPage(path: string): Promise<Page>;
  patchSettings(patch: Record<string, unknown>): Promise<void>;
  /** The tab id of the tab showing `url`. */
  tabIdOf(url: string): Promise<number>;
  close(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  dir?: string;
  /**
   * A profile folder to keep across launches (a restart). Firefox uninstalls a temporary add-on when
   * it closes; the add-on is installed again on the next launch, keeping its UUID and its storage
   * (the prefs web-ext sets for the same reason).
   */
  profileDir?: string;
}

export async function launchFirefoxWithExtension({
  dir = FIREFOX_BUILD_DIR,
  profileDir,
}: FirefoxLaunchOptions = {}): Promise<FirefoxExtension> {
  const executablePath = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!existsSync(executablePath)) {
    throw new Error(`No Firefox at ${executablePath}: install it (Debian: apt-get install firefox-esr) or set FIREFOX_PATH`);
  }
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`No Firefox build in ${dir}: run npm run build:firefox`);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const id: string = manifest.browser_specific_settings.gecko.id;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    args: ['--remote-allow-system-access'],
    ...(profileDir ? { userDataDir: profileDir } : {}),
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [id]: UUID }),
      'extensions.webextensions.keepStorageOnUninstall': true,
      'extensions.webextensions.keepUuidOnUninstall': true,
    },
  });
  await browser.installExtension(dir);
  const extensionUrl = (path: string) => `moz-extension://${UUID}/${path.replace(/^\//, '')}`;
  const openExtensionPage = async (path: string): Promise<Page> => {
    const page = await browser.newPage();
    // The navigation happens, but BiDi never reports it done for a moz-extension:// page: wait for the
    // document instead.
    await page.goto(extensionUrl(path), { timeout: 3_000 }).catch(() => {});
    const end = Date.now() + 20_000;
    for (;;) {
      const ready = await page
        .evaluate(() => location.protocol === 'moz-extension:' && document.readyState === 'complete')
        .catch(() => false);
      if (ready) return page;
      if (Date.now() > end) throw new Error(`${path} did not open`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const control = await openExtensionPage('options.html');
  return {
    browser,
    control,
    extensionUrl,
    openExtensionPage,
    patchSettings: async (patch) => {
      await control.evaluate(
        async (p, version) => {
          const api = (globalThis as unknown as { browser: typeof chrome }).browser;
          const { settings } = await api.storage.local.get('settings');
          await api.storage.local.set({ settings: { ...((settings as object) ?? {}), ...p, version } });
        },
        patch,
        SETTINGS_VERSION,
      );
    },
    tabIdOf: async (url) => {
      const tabId = await control.evaluate(async (u) => {
        const api = (globalThis as unknown as { browser: typeof chrome }).browser;
        return (await api.tabs.query({})).find((t) => t.url === u)?.id ?? null;
      }, url);
      if (tabId === null) throw new Error(`no tab shows ${url}`);
      return tabId;
    },
    close: () => browser.close(),
  };
}
