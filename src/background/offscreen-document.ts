// The one place that uses chrome.* rather than WXT's browser: chrome.offscreen and
// chrome.runtime.getContexts (WXT's fake browser has neither, so tests stub this module). Creation is
// idempotent across service-worker restarts: runtime.getContexts first, and one in-flight creation at
// a time.
export const OFFSCREEN_PATH = '/offscreen.html';

let creating: Promise<void> | null = null;

export async function hasOffscreenDocument(): Promise<boolean> {
  const contexts = await chrome.runtime.getContexts({
    contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT],
    documentUrls: [chrome.runtime.getURL(OFFSCREEN_PATH)],
  });
  return contexts.length > 0;
}

export async function ensureOffscreenDocument(): Promise<void> {
  if (await hasOffscreenDocument()) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: [chrome.offscreen.Reason.WORKERS, chrome.offscreen.Reason.BLOBS],
      justification: 'Runs the image classifier (TensorFlow.js) on this device, off the service worker.',
    })
    .catch((error: unknown) => {
      // Another creation won the race (e.g. right after a worker restart): that is success.
      if (!String(error).includes('Only a single offscreen')) throw error;
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

export async function closeOffscreenDocument(): Promise<void> {
  if (await hasOffscreenDocument()) await chrome.offscreen.closeDocument();
}
