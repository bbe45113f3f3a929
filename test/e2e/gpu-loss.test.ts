// A lost GPU changes nothing a person sees: with the WebGL backend chosen, the model worker's WebGL
// context (on an OffscreenCanvas) is lost (WEBGL_lose_context, as a GPU reset or a driver crash does)
// while images are on their way; they still get their verdicts (a drawing hidden by the "illust" rule,
// a photo shown), and the popup's Backend line says what was recovered. A second loss moves the host
// off WebGL.
// WebGPU here is only SwiftShader's fallback adapter, where loading twice takes minutes: its
// device.destroy() case is in the stress suite (test/stress/webgpu-loss.test.ts).
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DemoServer, ExtensionBrowser } from './helpers';
import { browserAndServerPerFile } from './helpers/per-file';
import { patchSettings, popupUrlFor } from './helpers/extension';
import { modelWorkerSessions, type OffscreenSession } from './helpers/offscreen';
import { waitForStates } from './helpers/observe';

let browser: ExtensionBrowser;
let server: DemoServer;
browserAndServerPerFile((b, s) => {
  browser = b;
  server = s;
});

let round = 0;

/** Adds a drawing and a photo never seen before (fresh URLs, answered after `ms`) and returns their ids. */
async function addPair(page: Page, ms: number): Promise<{ drawing: string; photo: string }> {
  round++;
  const ids = { drawing: `drawing-${round}`, photo: `photo-${round}` };
  await page.evaluate(
    ({ ids, srcs }) => {
      for (const [key, id] of Object.entries(ids)) {
        const img = document.createElement('img');
        img.id = id;
        img.width = 200;
        img.src = srcs[key as keyof typeof srcs];
        document.body.append(img);
      }
    },
    {
      ids,
      srcs: {
        drawing: `${server.imageOrigin}/slow/${DRAWING}?ms=${ms}&n=${round}-${Date.now()}`,
        photo: `${server.imageOrigin}/slow/${PHOTO}?ms=${ms}&n=${round}-${Date.now()}`,
      },
    },
  );
  return ids;
}

/** The live WebGL contexts of one target, each lost as a GPU reset or a driver crash loses it. */
async function loseContextsOf(target: OffscreenSession): Promise<boolean[]> {
  const proto = (await target.send('Runtime.evaluate', { expression: 'WebGL2RenderingContext.prototype' })) as {
    result: { objectId: string };
  };
  const found = (await target.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId })) as {
    objects: { objectId: string };
  };
  const lost = (await target.send('Runtime.callFunctionOn', {
    objectId: found.objects.objectId,
    // A context lost earlier may not be collected yet: it has no extension to call, and is not ours to count.
    functionDeclaration:
      'function () { return this.filter((gl) => !gl.isContextLost()).map((gl) => { gl.getExtension("WEBGL_lose_context").loseContext(); return gl.isContextLost(); }); }',
    returnByValue: true,
  })) as { result: { value: boolean[] }; exceptionDetails?: { text: string; exception?: { description?: string } } };
  if (lost.exceptionDetails) throw new Error(lost.exceptionDetails.exception?.description ?? lost.exceptionDetails.text);
  return lost.result.value;
}

/**
 * Loses every live WebGL context of the model workers, where the model runs (the worker owns its
 * context); answers one entry per context.
 */
async function loseWebGl(page: Page): Promise<boolean[]> {
  const sessions = await modelWorkerSessions(browser, page);
  try {
    const lost: boolean[] = [];
    for (const worker of sessions.workers) lost.push(...(await loseContextsOf(worker)));
    return lost;
  } finally {
    await sessions.close();
  }
}

const DRAWING = 'drawing-beagle.png';
const PHOTO = 'photo-owl.jpg';
/** What a person sees with "illust" hidden: the drawing covered with its label, the photo shown. */
const verdicts = (ids: { drawing: string; photo: string }) => ({ [ids.drawing]: 'hidden', [ids.photo]: 'safe' });

it('a lost WebGL context reloads the model, images still get their verdicts, and the popup says so', async () => {
  await patchSettings(browser.serviceWorker, { backend: 'webgl', tags: { illust: { hide: true } } });
  const page = await browser.context.newPage();
  await page.goto(`${server.pageOrigin}/followed.html`);
  await waitForStates(page, verdicts(await addPair(page, 1)), 120_000);
  const popup = await browser.context.newPage();
  await popup.goto(await popupUrlFor(browser, page));
  const backend = popup.locator('#model-backend');
  await expect.poll(() => backend.getAttribute('data-backend'), { timeout: 15_000 }).toBe('webgl');
  expect(await backend.textContent()).not.toMatch(/Recovered/);

  // Images on their way (answered after 1.5 s) while the context goes: checked on the new context.
  const inFlight = await addPair(page, 1_500);
  expect(await loseWebGl(page)).toEqual([true]);
  const lostAt = Date.now();
  await waitForStates(page, verdicts(inFlight), 120_000);
  console.info(`gpu-loss: images in flight checked ${((Date.now() - lostAt) / 1000).toFixed(1)} s after the context was lost`);
  await waitForStates(page, verdicts(await addPair(page, 1)), 120_000);
  await expect
    .poll(() => backend.textContent(), { timeout: 15_000 })
    .toMatch(/Recovered: the WebGL context was lost; reloaded on webgl \(\d\d:\d\d\)$/);
  expect(await backend.getAttribute('data-backend')).toBe('webgl');

  // Lost again: the host moves to the next backend (WASM here: the WebGL renderer is SwiftShader).
  expect(await loseWebGl(page)).toEqual([true]);
  await waitForStates(page, verdicts(await addPair(page, 1)), 120_000);
  await expect.poll(() => backend.getAttribute('data-backend'), { timeout: 15_000 }).toBe('wasm');
  // The backend shows as soon as it is chosen; "reloaded on" once the model is ready on it (the popup refreshes).
  await expect
    .poll(() => backend.textContent(), { timeout: 15_000 })
    .toMatch(/Recovered: the WebGL context was lost again; moving off webgl; reloaded on wasm/);
  await popup.close();
  await page.close();
}, 300_000);
