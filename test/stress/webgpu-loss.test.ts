// A lost WebGPU device changes nothing a person sees (issue #11, "GPU loss"): with the WebGPU backend
// chosen, the model worker's GPUDevice is destroyed (device.destroy(), as a GPU reset or a
// driver crash ends it) while images are on their way; they still get their verdicts and the popup's
// Backend line says what was recovered. WebGPU here is SwiftShader's fallback adapter, where every
// load takes minutes: this runs in `npm run test:stress`, not `npm test` (test/e2e/gpu-loss.test.ts
// does the same for WebGL in the fast suite).
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { DemoServer, ExtensionBrowser } from '../e2e/helpers';
import { browserAndServerPerFile } from '../e2e/helpers/per-file';
import { patchSettings, tabIdOf } from '../e2e/helpers/extension';
import { modelWorkerSessions } from '../e2e/helpers/offscreen';
import { waitForStates } from '../e2e/helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;
browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

const DRAWING = 'drawing-beagle.png';
const PHOTO = 'photo-owl.jpg';
let round = 0;

/** Adds a drawing and a photo never seen before (answered after `ms`); what a person must then see. */
async function addPair(page: Page, ms: number): Promise<Record<string, string>> {
  round++;
  const ids = { drawing: `drawing-${round}`, photo: `photo-${round}` };
  const n = `${round}-${Date.now()}`;
  await page.evaluate(
    (add: [string, string][]) => {
      for (const [id, src] of add) {
        const img = document.createElement('img');
        img.id = id;
        img.width = 200;
        img.src = src;
        document.body.append(img);
      }
    },
    [
      [ids.drawing, `${server.imageOrigin}/slow/${DRAWING}?ms=${ms}&n=${n}`],
      [ids.photo, `${server.imageOrigin}/slow/${PHOTO}?ms=${ms}&n=${n}`],
    ] satisfies [string, string][],
  );
  return { [ids.drawing]: 'hidden', [ids.photo]: 'safe' };
}

/** Destroys every GPUDevice of the model workers (where the model runs); answers how many there were. */
async function destroyDevices(page: Page): Promise<number> {
  const sessions = await modelWorkerSessions(browser, page);
  try {
    let count = 0;
    for (const worker of sessions.workers) {
      const proto = (await worker.send('Runtime.evaluate', { expression: 'GPUDevice.prototype' })) as { result: { objectId: string } };
      const found = (await worker.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId })) as {
        objects: { objectId: string };
      };
      const destroyed = (await worker.send('Runtime.callFunctionOn', {
        objectId: found.objects.objectId,
        functionDeclaration: 'function () { this.forEach((device) => device.destroy()); return this.length; }',
        returnByValue: true,
      })) as { result: { value: number } };
      count += destroyed.result.value;
    }
    return count;
  } finally {
    await sessions.close();
  }
}

it('a destroyed WebGPU device reloads the model, images still get their verdicts, and the popup says so', async () => {
  await patchSettings(browser.serviceWorker, { backend: 'webgpu', tags: { illust: { hide: true } } });
  const page = await browser.context.newPage();
  await page.goto(`${server.pageOrigin}/followed.html`);
  await waitForStates(page, await addPair(page, 1), 600_000);
  const popup = await browser.context.newPage();
  await popup.goto(browser.extensionUrl(`popup.html?tabId=${await tabIdOf(browser.serviceWorker, page)}`));
  const backend = popup.locator('#model-backend');
  await expect.poll(() => backend.getAttribute('data-backend'), { timeout: 15_000 }).toBe('webgpu');

  const inFlight = await addPair(page, 1_500);
  expect(await destroyDevices(page)).toBeGreaterThan(0);
  const lostAt = Date.now();
  await waitForStates(page, inFlight, 600_000);
  console.info(`webgpu-loss: images in flight checked ${((Date.now() - lostAt) / 1000).toFixed(1)} s after the device was destroyed`);
  await expect
    .poll(() => backend.textContent(), { timeout: 30_000 })
    .toMatch(/Recovered: the WebGPU device was lost \(destroyed.*\); reloaded on webgpu \(\d\d:\d\d\)$/);
  await popup.close();
  await page.close();
}, 1_500_000);
