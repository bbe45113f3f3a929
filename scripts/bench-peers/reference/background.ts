// The reference's service worker: forwards each image URL from a content script to the offscreen
// document (created on first use, as the peers do) and relays the answer.
import { BACKEND_KEY, isClassifyRequest, type OffscreenRequest, type PeerAnswer, type PeerBackend } from './protocol';

let creating: Promise<void> | undefined;

async function ensureOffscreen(): Promise<void> {
  const contexts = await chrome.runtime.getContexts({ contextTypes: [chrome.runtime.ContextType.OFFSCREEN_DOCUMENT] });
  if (contexts.length > 0) return;
  creating ??= (async () => {
    const stored = await chrome.storage.local.get(BACKEND_KEY);
    const backend: PeerBackend = stored[BACKEND_KEY] === 'wasm' ? 'wasm' : 'webgl';
    await chrome.offscreen.createDocument({
      url: `offscreen.html?backend=${backend}`,
      reasons: [chrome.offscreen.Reason.DOM_PARSER],
      justification: 'Runs nsfwjs on page images (benchmark reference).',
    });
  })().finally(() => {
    creating = undefined;
  });
  await creating;
}

async function classify(url: string): Promise<PeerAnswer> {
  await ensureOffscreen();
  const request: OffscreenRequest = { type: 'peer-offscreen-classify', url };
  return (await chrome.runtime.sendMessage(request)) as PeerAnswer;
}

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  if (!isClassifyRequest(message) || sender.tab === undefined) return false;
  classify(message.url).then(sendResponse, (error: unknown) => sendResponse({ error: String(error) } satisfies PeerAnswer));
  return true;
});
