// The reference's offscreen document: nsfwjs 4.3.0 on the backend named in its URL (?backend=webgl as
// the peers ship it, or wasm), with the model files Megane ships, served from the extension. Each
// request fetches the image, decodes it into an <img> and calls classify() on it, one image at a time.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { load } from 'nsfwjs/core';
import { isOffscreenRequest, type PeerAnswer, THRESHOLD } from './protocol';

const backend = new URLSearchParams(location.search).get('backend') === 'wasm' ? 'wasm' : 'webgl';
/** Model runs so far, for the bench (read through DevTools). */
const counters = { runs: 0 };
Object.assign(globalThis, { __peerRuns: counters });

const model = (async () => {
  if (backend === 'wasm') {
    // Extension pages are not cross-origin isolated: single-threaded binaries, from the extension.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(chrome.runtime.getURL('wasm/'));
  }
  if (!(await tf.setBackend(backend))) throw new Error(`${backend} did not start`);
  await tf.ready();
  return load(chrome.runtime.getURL('models/mobilenet_v2_mid/model.json'), { size: 224, type: 'graph' });
})();

async function classify(url: string): Promise<PeerAnswer> {
  const nsfwjs = await model;
  const response = await fetch(url);
  if (!response.ok) return { error: `HTTP ${response.status}` };
  const objectUrl = URL.createObjectURL(await response.blob());
  try {
    // onload, as the peers do: decode() never settles in an offscreen document, which is never rendered.
    const img = new Image();
    await new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new Error('not an image'));
      img.src = objectUrl;
    });
    const predictions = await nsfwjs.classify(img, 5);
    counters.runs++;
    const score = predictions.filter((p) => p.className !== 'Neutral' && p.className !== 'Drawing').reduce((s, p) => s + p.probability, 0);
    return { nsfw: score >= THRESHOLD, score };
  } finally {
    URL.revokeObjectURL(objectUrl);
  }
}

let queue: Promise<unknown> = Promise.resolve();

chrome.runtime.onMessage.addListener((message: unknown, _sender, sendResponse) => {
  if (!isOffscreenRequest(message)) return false;
  const job = queue.then(() => classify(message.url));
  queue = job.catch(() => undefined);
  job.then(sendResponse, (error: unknown) => sendResponse({ error: String(error) } satisfies PeerAnswer));
  return true;
});
