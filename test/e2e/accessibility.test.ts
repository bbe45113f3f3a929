// Megane's own pages pass an automated accessibility check: axe-core (run inside each page through
// DevTools, which the extension pages' CSP does not block) finds no serious or critical violation on
// the first-run page, the popup (short list and every tag open) or the options page. Real Chromium,
// the built extension.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { DemoServer, ExtensionBrowser } from './helpers';
import { popupUrlFor } from './helpers/extension';
import { browserAndServerPerFile } from './helpers/per-file';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: ExtensionBrowser;
let server: DemoServer;
browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

/** The serious and critical violations axe finds on the page, as "rule: target" lines. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type AxeViolation = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe;
    const result = await axe.run(document);
    // A check that ran: an empty page, or axe failing to start, would pass nothing.
    if (result.passes.length < 5) return [`axe passed only ${result.passes.length} rules`];
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  });
}

it('the first-run page', async () => {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('welcome.html'));
  await page.locator('#strictness-balanced:checked').waitFor();
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 90_000);

it('the popup, with the short list and with every tag open', async () => {
  const site = await browser.context.newPage();
  await site.goto(`${server.pageOrigin}/index.html`);
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 340, height: 600 });
  await popup.goto(await popupUrlFor(browser, site));
  await expect.poll(() => popup.locator('#model-state').getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
  expect(await violations(popup)).toEqual([]);
  await popup.locator('#all-tags').click();
  await popup.locator('#tag-list').waitFor();
  expect(await violations(popup)).toEqual([]);
  await popup.close();
  await site.close();
}, 120_000);

it('the options page', async () => {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await page.locator('#tag-list').waitFor();
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 90_000);

it("the options page's Statistics tab, with counts, its table open", async () => {
  const site = await browser.context.newPage();
  await site.goto(`${server.pageOrigin}/index.html`);
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html#stats'));
  // The site's images are counted as they are checked.
  await expect.poll(() => page.locator('#total-checked').textContent(), { timeout: 60_000 }).not.toBe('0');
  await site.close();
  await page.locator('.day-table summary').click();
  await page.locator('[data-testid="clear-stats"]').click();
  expect(await violations(page)).toEqual([]);
  await page.close();
}, 90_000);
