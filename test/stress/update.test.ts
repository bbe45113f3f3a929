// Updating from the previous release keeps the user's marks and settings: the release before this one
// is built from git into a temporary folder, loaded in Chromium from folder X (an unpacked extension
// without a manifest key gets its id from its path), given marks (a dataset imported on its own options
// page) and settings; then the browser closes, X gets the new build, and the browser starts again on
// the same profile: the new options page must show the same marks and settings.
// About two minutes here, most of it building the old release (kept in the temporary directory for
// the next run): `npm run test:stress`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyMarks } from '../../src/marks/apply-mark';
import { exportDataset } from '../../src/marks/dataset-zip';
import type { MarkRecord } from '../../src/marks/mark-types';
import { BUILT_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../e2e/helpers/browser';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
/** The last release before issue 11 (settings v7, marks database v1). Move it forward with each release. */
const PREVIOUS_RELEASE = 'e196312';

const temp: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
};

/**
 * `git archive` of the release, sharing this checkout's node_modules and unpacked models, built with
 * wxt into a folder of the temporary directory named after the commit, which later runs reuse.
 */
function buildRelease(commit: string): string {
  const src = join(tmpdir(), `megane-release-${commit}`);
  const built = join(src, '.output/chrome-mv3');
  if (existsSync(join(built, 'manifest.json'))) return built;
  rmSync(src, { recursive: true, force: true });
  mkdirSync(join(src, 'public'), { recursive: true });
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive --format=tar ${commit} | tar -x -C "${src}"`]);
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  for (const dir of ['models', 'wasm']) {
    if (existsSync(join(ROOT, 'public', dir)) && !existsSync(join(src, 'public', dir)))
      symlinkSync(join(ROOT, 'public', dir), join(src, 'public', dir));
  }
  execFileSync('npx', ['wxt', 'build'], { cwd: src, stdio: 'pipe' });
  return built;
}

function record(url: string, marks: Partial<MarkRecord['marks']>): MarkRecord {
  return {
    url,
    pageUrl: 'https://gallery.example.com/',
    createdAt: 1_717_000_000_000,
    updatedAt: 1_717_000_000_000,
    marks: { ...emptyMarks(), ...marks },
    model: { id: 'mobilenet_v2_mid', version: 'nsfwjs-4.3.0' },
    scores: { classes: [0.1, 0.05, 0.8, 0.03, 0.02], tags: { photo: 0.9 }, nsfw: 0.1 },
    embedding: new Float32Array([0.5, -1, 2]),
    faces: [],
    thumbnail: null,
    imageSize: { width: 1024, height: 768 },
  };
}

const LIKED = 'https://img.example.com/liked.jpg';
const HIDDEN = 'https://img.example.com/hidden.jpg';

let browser: ExtensionBrowser | null = null;
let previous: string;

beforeAll(async () => {
  if (!existsSync(join(BUILT_EXTENSION_DIR, 'manifest.json'))) throw new Error('Run "npm run build" first');
  previous = buildRelease(PREVIOUS_RELEASE);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe('update from the previous release', () => {
  it('keeps the marks and settings the previous release stored', async () => {
    const folder = tempDir('megane-installed-');
    cpSync(previous, folder, { recursive: true });
    browser = await launchWithExtension({ extensionDir: folder });
    const { extensionId } = browser;

    // Marks, the way the previous release's user made them there: a dataset imported on its options page.
    const zipFile = join(tempDir('megane-zip-'), 'marks.zip');
    const records = [record(LIKED, { like: true, tags: ['cat'] }), record(HIDDEN, { dislike: true, verdict: 'hide' })];
    writeFileSync(zipFile, exportDataset(records, { exportedAt: 1, extensionVersion: 'test' }));
    const old = await browser.context.newPage();
    await old.goto(browser.extensionUrl('options.html'));
    await old.locator('#import-dataset').setInputFiles(zipFile);
    await expect.poll(() => old.locator('.mark-card').count(), { timeout: 30_000 }).toBe(2);
    // Settings, changed on that release's options page.
    await old.locator('#show-mark-controls').uncheck();
    await old.locator('#model').selectOption('inception_v3');
    await old.locator('#min-image-size').fill('96');
    await old.locator('#min-image-size').press('Tab');
    await old.locator('#add-site').fill('example.com');
    await old.locator('#add-site-button').click();
    const settingsNow = () => browser?.serviceWorker.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
    await expect
      .poll(settingsNow, { timeout: 10_000 })
      .toMatchObject({ showMarkControls: false, model: 'inception_v3', minImageSize: 96, siteRules: { 'example.com': false } });
    const stored = await browser.serviceWorker.evaluate(async () => (await chrome.storage.local.get('settings')).settings);

    const profileDir = browser.profileDir;
    await browser.closeKeepingProfile();
    browser = null;
    rmSync(folder, { recursive: true, force: true });
    cpSync(BUILT_EXTENSION_DIR, folder, { recursive: true });
    browser = await launchWithExtension({ extensionDir: folder, profileDir });
    temp.push(profileDir);
    expect(browser.extensionId).toBe(extensionId);

    // What the new release reads is what the old one stored, field for field.
    const now = await browser.serviceWorker.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
    expect(now).toEqual(stored);
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    await expect.poll(() => page.locator('.mark-card').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.locator(`.mark-card[data-url="${LIKED}"]`).getAttribute('data-marks')).toBe('like,tag:cat');
    expect(await page.locator(`.mark-card[data-url="${HIDDEN}"]`).getAttribute('data-marks')).toBe('dislike,hide');
    expect(await page.locator('#min-image-size').inputValue()).toBe('96');
    expect(await page.locator('#model').inputValue()).toBe('inception_v3');
    expect(await page.locator('#show-mark-controls').isChecked()).toBe(false);
    expect(await page.locator('#site-rules li').allTextContents()).toEqual([expect.stringMatching(/^example\.com.*not filtered/)]);
  });
});
