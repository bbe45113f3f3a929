// Keeps the canvas-flag content script (src/content/canvas-flag.ts) registered exactly while the
// `checkCanvases` setting is on. Registered scripts persist across browser sessions; the registration
// is compared with the setting at each start of the background and on each change.
import { browser } from 'wxt/browser';
import { CANVAS_FLAG_SCRIPT } from '../content/canvas-flag';

/** One change at a time: two quick toggles must not register the same id twice. */
let queue: Promise<void> = Promise.resolve();

export function syncCanvasScript(on: boolean): Promise<void> {
  queue = queue.then(() => apply(on)).catch((error) => console.warn('[Megane] canvas flag script', error));
  return queue;
}

async function apply(on: boolean): Promise<void> {
  const { id, file } = CANVAS_FLAG_SCRIPT;
  const registered = (await browser.scripting.getRegisteredContentScripts({ ids: [id] })).length > 0;
  if (on === registered) return;
  if (!on) {
    await browser.scripting.unregisterContentScripts({ ids: [id] });
    return;
  }
  await browser.scripting.registerContentScripts([
    {
      id,
      js: [file],
      matches: ['<all_urls>'],
      runAt: 'document_start',
      allFrames: true,
      // As the main content script: about:blank, srcdoc, data: and blob: frames too.
      matchOriginAsFallback: true,
    },
  ]);
}
