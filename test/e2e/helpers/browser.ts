// Launches Chromium with an unpacked extension for end-to-end tests. Extensions need a persistent
// context (a real profile directory), so each launch gets a fresh temporary profile that close()
// deletes again.
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { extensionArgs, findChrome, notFoundMessage } from '../../../scripts/find-chrome.mjs';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** Where `npm run build` (wxt build) puts the Chrome MV3 extension. */
export const BUILT_EXTENSION_DIR = join(ROOT, '.output/chrome-mv3');

export interface LaunchOptions {
  /** Unpacked extension to load; defaults to the built Megane. */
  extensionDir?: string;
  /** Defaults to true; set false (with a display) to watch a test run. */
  headless?: boolean;
  /** How long to wait for the extension's service worker to start. Default 30 s. */
  workerTimeoutMs?: number;
  /** Extra Chromium flags. */
  args?: string[];
  /**
   * Reuse this profile (e.g. one kept from an earlier launch, to restart the browser with the same
   * extension storage). It is not deleted on close; by default each launch gets a fresh one that is.
   */
  profileDir?: string;
  /**
   * Leave the first-run page open: by default it is closed once it opens, as a person would close it,
   * so the tests start from the browser's own tab.
   */
  keepWelcome?: boolean;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  /** The extension's id: the host of its chrome-extension:// URLs. */
  extensionId: string;
  /** The extension's background service worker, for evaluate() inside it. */
  serviceWorker: Worker;
  /** The extension's service worker running now (a stopped one is replaced by a new one), else the first. */
  currentWorker(): Worker;
  /** chrome-extension://<id>/<path>, e.g. extensionUrl('popup.html'). */
  extensionUrl(path: string): string;
  profileDir: string;
  /** Closes the browser and deletes the temporary profile (not one passed in LaunchOptions.profileDir). */
  close(): Promise<void>;
  /** Closes the browser but keeps the profile, for a relaunch with { profileDir }. */
  closeKeepingProfile(): Promise<void>;
}

function chromePath(): string {
  const { path, tried } = findChrome();
  if (!path) throw new Error(notFoundMessage(tried));
  return path;
}

const isExtensionWorker = (w: Worker) => w.url().startsWith('chrome-extension://');

async function extensionWorker(context: BrowserContext, timeout: number): Promise<Worker> {
  // The worker may already be running by the time we look, so check before waiting for the event.
  const running = context.serviceWorkers().find(isExtensionWorker);
  if (running) return running;
  return context.waitForEvent('serviceworker', { predicate: isExtensionWorker, timeout });
}

/**
 * The extension's first-run page once it shows `url` (within `timeout`), or null. Polled: a tab the
 * extension opens may first be announced at about:blank.
 */
export async function firstRunPage(context: BrowserContext, url: string, timeout: number): Promise<Page | null> {
  const end = Date.now() + timeout;
  for (;;) {
    const open = context.pages().find((p) => p.url() === url);
    if (open || Date.now() > end) return open ?? null;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const dir = resolve(options.extensionDir ?? BUILT_EXTENSION_DIR);
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`No unpacked extension at ${dir} (manifest.json missing). Run "npm run build" first.`);
  }
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'megane-e2e-'));
  const removeProfile = () => {
    if (options.profileDir === undefined) rmSync(profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };

  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromePath(),
      headless: options.headless ?? true,
      // Playwright passes --disable-extensions by default, which would switch ours off.
      ignoreDefaultArgs: ['--disable-extensions'],
      // The same flags as `npm start`, plus WebGPU so the backend probe sees the software adapter.
      args: [...extensionArgs(dir), '--enable-unsafe-webgpu', ...(options.args ?? [])],
    });
  } catch (err) {
    removeProfile();
    throw err;
  }

  let serviceWorker: Worker;
  try {
    serviceWorker = await extensionWorker(context, options.workerTimeoutMs ?? 30_000);
  } catch (err) {
    await context.close().catch(() => {});
    removeProfile();
    throw new Error(`The extension in ${dir} did not start a service worker: ${(err as Error).message}`);
  }
  const extensionId = new URL(serviceWorker.url()).host;
  // A fresh profile installs the extension: Megane opens its first-run page (none on a relaunch).
  if (!options.keepWelcome && options.profileDir === undefined && existsSync(join(dir, 'welcome.html'))) {
    await firstRunPage(context, `chrome-extension://${extensionId}/welcome.html`, 30_000).then((page) => page?.close());
  }

  let closing: Promise<void> | undefined;
  return {
    context,
    extensionId,
    serviceWorker,
    currentWorker: () => context.serviceWorkers().find(isExtensionWorker) ?? serviceWorker,
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    profileDir,
    close() {
      closing ??= context
        .close()
        .catch(() => {})
        .then(removeProfile);
      return closing;
    },
    closeKeepingProfile() {
      closing ??= context.close().catch(() => {});
      return closing;
    },
  };
}
