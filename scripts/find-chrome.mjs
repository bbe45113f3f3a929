// Finding a Chromium/Chrome binary and the flags to load Megane unpacked, shared by `npm start`
// (scripts/start.mjs) and the end-to-end tests (test/e2e/helpers), so both run the same browser
// the same way.
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where browsers usually live, most specific first. CHROME_PATH is tried before all of these. */
export function candidatePaths(platform = process.platform, env = process.env) {
  if (platform === 'darwin') {
    const apps = ['/Applications', join(homedir(), 'Applications')];
    return apps.flatMap((dir) => [
      join(dir, 'Chromium.app/Contents/MacOS/Chromium'),
      join(dir, 'Google Chrome.app/Contents/MacOS/Google Chrome'),
      join(dir, 'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing'),
      join(dir, 'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary'),
    ]);
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean);
    return roots.flatMap((root) => [join(root, 'Chromium/Application/chrome.exe'), join(root, 'Google/Chrome/Application/chrome.exe')]);
  }
  return [
    '/usr/lib/chromium/chromium', // Debian's real binary (/usr/bin/chromium is a wrapper script)
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/snap/bin/chromium',
  ];
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first browser binary that exists, trying env.CHROME_PATH first.
 * @returns {{ path: string | null, tried: string[] }} `tried` lists every path looked at, in order,
 *   so a caller can tell the user exactly where it looked.
 */
export function findChrome({ env = process.env, platform = process.platform } = {}) {
  const tried = [];
  for (const path of [env.CHROME_PATH, ...candidatePaths(platform, env)]) {
    if (!path || tried.includes(path)) continue;
    tried.push(path);
    if (isExecutable(path)) return { path, tried };
  }
  return { path: null, tried };
}

/** A message for when no browser was found: what was tried and how to point at one. */
export function notFoundMessage(tried) {
  return [
    'Could not find Chromium or Google Chrome. Looked for:',
    ...tried.map((p) => `  ${p}`),
    'Install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROME_PATH to the browser binary.',
  ].join('\n');
}

/** Chrome refuses its sandbox as root (containers, CI); only then is it turned off. */
export const runningAsRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Flags for a quiet, reproducible browser that loads the unpacked extension in `extensionDir`.
 * Branded Chrome 137+ ignores --load-extension unless the feature that disables it is turned off;
 * Chromium accepts it either way.
 */
export function extensionArgs(extensionDir) {
  return [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--disable-features=DisableLoadExtensionCommandLineSwitch',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    ...(runningAsRoot() ? ['--no-sandbox'] : []),
  ];
}
