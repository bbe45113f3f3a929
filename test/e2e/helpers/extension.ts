// Small actions on the running extension: read or patch its settings the way a tool or a backup
// restore would (chrome.storage.local, key "settings"), and find a page's tab id.
import type { Page, Worker } from 'playwright-core';
import { SETTINGS_VERSION } from '../../../src/settings/schema';

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
