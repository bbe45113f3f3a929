// The offscreen document owns the model host and nothing else. Only chrome.runtime exists here.
import { isBackgroundToOffscreen, type CaptureResult } from '../../src/messaging/background-offscreen';
import { setupBackend } from '../../src/model/setup-backend';
import { loadBitmapDetector } from '../../src/offscreen/bitmap-detectors';
import { loadBitmapModel } from '../../src/offscreen/bitmap-model';
import { loadBitmapTrained } from '../../src/offscreen/bitmap-trained';
import { decodeAtSize, fetchImage } from '../../src/offscreen/load-image';
import { batchSizeFor } from '../../src/offscreen/batch-size';
import { createModelHost } from '../../src/offscreen/model-host';
import { trainPersonal } from '../../src/offscreen/personal-trainer';
import { makeThumbnail } from '../../src/offscreen/thumbnail';
import { loadPersonalModel } from '../../src/personal/personal-store';

const host = createModelHost<Blob, ImageBitmap>(
  {
    setupBackend,
    loadModel: loadBitmapModel,
    loadDetector: loadBitmapDetector,
    loadSource: fetchImage,
    toPixels: decodeAtSize,
    release: (bitmap) => bitmap.close(),
    loadPersonal: (model) => loadPersonalModel(model),
    loadTrained: loadBitmapTrained,
  },
  { imageTimeoutMs: 15_000, maxBatch: batchSizeFor, maxConcurrentLoads: 8 },
);

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only the service worker (no tab) may drive the host; content scripts reach this listener too.
  if (sender.id !== chrome.runtime.id || sender.tab || !isBackgroundToOffscreen(message)) return false;
  switch (message.type) {
    case 'status':
      sendResponse(host.status());
      return false;
    case 'classify':
      host.classify(message.config, message.job).then(sendResponse);
      return true;
    case 'capture': {
      const thumbnail = makeThumbnail(message.job.url).then(
        (made) => made,
        (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
      );
      Promise.all([host.classify(message.config, message.job), thumbnail]).then(([result, made]): void => {
        const answer: CaptureResult =
          'error' in made ? { result, thumbnail: null, imageSize: null, thumbnailError: made.error } : { result, ...made };
        sendResponse(answer);
      });
      return true;
    }
    case 'train-personal':
      trainPersonal(message.model).then(sendResponse);
      return true;
  }
});
