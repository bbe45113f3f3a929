// `npm start` (after `npm run build`): serve the demo gallery and open it in a fresh Chromium
// profile with the freshly built Megane loaded, so trying the extension takes one command.
//
// With a display the browser is a normal window and everything stops when it is closed.
// Without one (a Linux server, CI) it runs headless through playwright-core, saves a screenshot
// of the demo page to .output/demo-screenshot.png and exits.
//
// Options (environment): CHROME_PATH=<browser binary>, MEGANE_EXTENSION_DIR=<unpacked extension>
// (default .output/chrome-mv3), DEMO_WAIT_MS=<ms before the headless screenshot> (default 10000),
// MEGANE_LANG=<language> (e.g. ja: the browser, and so Megane, speaks it; default the system's).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from './demo-server.mjs';
import { extensionArgs, findChrome, notFoundMessage } from './find-chrome.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSION_DIR = resolve(process.env.MEGANE_EXTENSION_DIR ?? join(ROOT, '.output/chrome-mv3'));
const SCREENSHOT = join(ROOT, '.output/demo-screenshot.png');
const WAIT_MS = Number(process.env.DEMO_WAIT_MS ?? 10_000);
const LANG_ARGS = process.env.MEGANE_LANG ? [`--lang=${process.env.MEGANE_LANG}`] : [];

const hasDisplay = () => process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

function fail(message) {
  console.error(message);
  process.exit(1);
}

// Everything to undo on the way out, run once whichever way we leave.
const cleanups = [];
let cleaningUp;
function cleanup() {
  cleaningUp ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // Best effort: a leftover temp dir must not hide the real exit status.
      }
    }
  })();
  return cleaningUp;
}

function removeProfile(dir) {
  // Chromium can still be writing for a moment after exit; retries cover that.
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

async function runVisible(chromePath, profile, url) {
  const log = join(profile, 'chrome-stderr.log');
  const args = [`--user-data-dir=${profile}`, ...extensionArgs(EXTENSION_DIR), ...LANG_ARGS, url];
  // Chromium's stderr is full of harmless dbus/GPU/Vulkan chatter: keep it out of the terminal.
  const child = spawn(chromePath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.pipe(createWriteStream(log));
  console.log(`Opened ${chromePath} (browser log: ${log}).`);
  console.log('Close the browser window or press Ctrl-C to stop.');

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    child.kill('SIGTERM');
    // A browser that ignores SIGTERM still has to go, or the server would outlive us.
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const code = await new Promise((done) => {
    child.on('error', (err) => {
      console.error(`Could not start ${chromePath}: ${err.message}`);
      done(1);
    });
    child.on('exit', (status, signal) => done(signal ? 0 : (status ?? 0)));
  });
  return stopping ? 0 : code;
}

async function runHeadless(chromePath, profile, url) {
  console.log('No display found (DISPLAY and WAYLAND_DISPLAY are unset): running headless instead.');
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromePath,
    headless: true,
    // Playwright adds --disable-extensions by default, which would hide Megane.
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [...extensionArgs(EXTENSION_DIR), ...LANG_ARGS],
    viewport: { width: 1280, height: 900 },
  });
  cleanups.push(() => context.close());
  process.on('SIGINT', () => cleanup().then(() => process.exit(130)));
  process.on('SIGTERM', () => cleanup().then(() => process.exit(143)));

  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }).catch(() => null));
  console.log(
    worker
      ? `Megane loaded (extension id ${new URL(worker.url()).host}).`
      : 'Warning: the extension did not start a service worker; is the build complete?',
  );

  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  console.log(`Waiting ${WAIT_MS / 1000} s for Megane to check the images...`);
  await page.waitForTimeout(WAIT_MS);
  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  console.log(`Screenshot of the demo page: ${SCREENSHOT}`);
  return 0;
}

async function main() {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    fail(`No built extension at ${EXTENSION_DIR} (manifest.json missing). Run "npm run build" first.`);
  }
  const { path: chromePath, tried } = findChrome();
  if (!chromePath) fail(notFoundMessage(tried));

  const server = await startDemoServer();
  cleanups.push(() => server.close());
  const profile = mkdtempSync(join(tmpdir(), 'megane-profile-'));
  cleanups.push(() => removeProfile(profile));

  const url = `${server.pageOrigin}/`;
  console.log(`Megane demo gallery: ${url}  (every kind of image: ${server.pageOrigin}/kinds.html)`);
  console.log(`Extension: ${EXTENSION_DIR}`);

  let code = 1;
  try {
    code = hasDisplay() ? await runVisible(chromePath, profile, url) : await runHeadless(chromePath, profile, url);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
  } finally {
    await cleanup();
  }
  process.exit(code);
}

await main();
