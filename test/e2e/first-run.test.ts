// The first-run page as a new user meets it: it opens by itself once, when Megane is installed, and
// never again when the browser restarts; its strictness choice is what the slider then shows; the
// options page opens it again.
import { rmSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { firstRunPage, launchWithExtension, type ExtensionBrowser } from './helpers';

let browser: ExtensionBrowser | undefined;
afterAll(async () => {
  await browser?.close();
});

const storedThreshold = (b: ExtensionBrowser) =>
  b.serviceWorker.evaluate(
    async () => ((await chrome.storage.local.get('settings')).settings as { nsfwThreshold?: number } | undefined)?.nsfwThreshold,
  );

it('opens once on install, sets the strictness, and not again after a restart', async () => {
  const first = await launchWithExtension({ keepWelcome: true });
  browser = first;
  const url = first.extensionUrl('welcome.html');
  const welcome = await firstRunPage(first.context, url, 15_000);
  expect(welcome, 'the first-run page opened').not.toBeNull();
  if (!welcome) return;
  expect(first.context.pages().filter((p) => p.url() === url)).toHaveLength(1);
  await expect.poll(() => welcome.locator('#strictness-balanced').isChecked(), { timeout: 10_000 }).toBe(true);
  expect(await welcome.locator('#privacy').textContent()).toMatch(/nothing is uploaded/);
  await welcome.locator('label[for="strictness-strict"]').click();
  await expect.poll(() => storedThreshold(first), { timeout: 5_000 }).toBe(0.4);

  // Restarted with the same profile: installed already, so no first-run page, and the choice kept.
  const profileDir = first.profileDir;
  await first.closeKeepingProfile();
  const again = await launchWithExtension({ profileDir, keepWelcome: true });
  browser = again;
  expect(await firstRunPage(again.context, url, 5_000)).toBeNull();
  expect(await storedThreshold(again)).toBe(0.4);

  // The options page opens it again, showing the choice.
  const options = await again.context.newPage();
  await options.goto(again.extensionUrl('options.html'));
  const [opened] = await Promise.all([again.context.waitForEvent('page'), options.locator('#open-welcome').click()]);
  await opened.waitForURL(url);
  await expect.poll(() => opened.locator('#strictness-strict').isChecked(), { timeout: 10_000 }).toBe(true);
  await again.close();
  rmSync(profileDir, { recursive: true, force: true });
}, 180_000);
