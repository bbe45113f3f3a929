// The offscreen document owns the model host and nothing else. Only chrome.runtime exists here.
import { isBackgroundToOffscreen } from '../../src/messaging/background-offscreen';
import { setupBackend } from '../../src/model/setup-backend';
import { loadBitmapDetector } from '../../src/offscreen/bitmap-detectors';
import { loadBitmapModel } from '../../src/offscreen/bitmap-model';
import { decodeAtSize, fetchImage } from '../../src/offscreen/load-image';
import { batchSizeFor } from '../../src/offscreen/batch-size';
import { createModelHost } from '../../src/offscreen/model-host';

const host = createModelHost<Blob, ImageBitmap>(
  {
    setupBackend,
    loadModel: loadBitmapModel,
    loadDetector: loadBitmapDetector,
    loadSource: fetchImage,
    toPixels: decodeAtSize,
    release: (bitmap) => bitmap.close(),
  },
  { imageTimeoutMs: 15_000, maxBatch: batchSizeFor, maxConcurrentLoads: 8 },
);

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only the service worker (no tab) may drive the host; content scripts reach this listener too.
  if (sender.id !== chrome.runtime.id || sender.tab || !isBackgroundToOffscreen(message)) return false;
  if (message.type === 'status') {
    sendResponse(host.status());
    return false;
  }
  host.classify(message.config, message.job).then(sendResponse);
  return true;
});
