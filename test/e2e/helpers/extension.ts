// Small actions on the running extension: read or patch its settings the way a tool or a backup
// restore would (chrome.storage.local, key "settings"), and find a page's tab id and its popup.
import type { Page, Worker } from 'playwright-core';
import { SETTINGS_VERSION } from '../../../src/settings/schema';
import type { ExtensionBrowser } from './browser';

export async function patchSettings(worker: Worker, patch: Record<string, unknown>): Promise<void> {
  await worker.evaluate(
    async ({ p, version }) => {
      const { settings } = await chrome.storage.local.get('settings');
      await chrome.storage.local.set({ settings: { ...(settings ?? {}), ...p, version } });
    },
    { p: patch, version: SETTINGS_VERSION },
  );
}

export async function resetSettings(worker: Worker): Promise<void> {
  await worker.evaluate(() => chrome.storage.local.remove('settings'));
}

export async function tabIdOf(worker: Worker, page: Page): Promise<number> {
  const url = page.url();
  const id = await worker.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? null, url);
  if (id === null) throw new Error(`no tab shows ${url}`);
  return id;
}

/** The popup's address for the tab showing `page` (the popup reads that tab's counts and site). */
export async function popupUrlFor(browser: Pick<ExtensionBrowser, 'serviceWorker' | 'extensionUrl'>, page: Page): Promise<string> {
  return browser.extensionUrl(`popup.html?tabId=${await tabIdOf(browser.serviceWorker, page)}`);
}

export interface StoredMark {
  marks: { like: boolean; dislike: boolean; verdict: string | null; tags: string[] };
  model: string | null;
  embeddingLength: number;
  thumbnailBytes: number;
}

/**
 * What is stored for an image URL (IndexedDB "megane", store "marks", read in the extension's service
 * worker), or null. Never creates the database: that would leave it without its stores.
 */
export async function storedMark(worker: Worker, url: string): Promise<StoredMark | null> {
  return worker.evaluate(async (u) => {
    const dbs = await indexedDB.databases();
    if (!dbs.some((d) => d.name === 'megane')) return null;
    return new Promise((resolve) => {
      const open = indexedDB.open('megane');
      open.onerror = () => resolve(null);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains('marks')) {
          db.close();
          resolve(null);
          return;
        }
        const get = db.transaction('marks').objectStore('marks').get(u);
        get.onsuccess = () => {
          const r = get.result;
          resolve(
            r
              ? {
                  marks: r.marks,
                  model: r.model?.id ?? null,
                  embeddingLength: r.embedding?.length ?? 0,
                  thumbnailBytes: r.thumbnail?.bytes?.length ?? 0,
                }
              : null,
          );
          db.close();
        };
        get.onerror = () => {
          resolve(null);
          db.close();
        };
      };
    });
  }, url);
}
