// The model host as it runs in a page with a DOM: Chrome's offscreen document, Firefox's background
// page. Models in workers placed by backend, image fetch and decode, batching, the personal trainer;
// answered through the background -> offscreen handlers (offscreen-handlers.ts). One module for both
// browsers: only where it runs differs (host-link.ts).
import * as tf from '@tensorflow/tfjs';
import { browser } from 'wxt/browser';
import type { BackgroundToOffscreen, BackgroundToOffscreenReplies } from '../messaging/background-offscreen';
import type { Handlers } from '../messaging/protocol';
import { setupBackend, startHere } from '../model/setup-backend';
import { resetBackend } from '../model/backend-health';
import { loadBitmapDetector } from './bitmap-detectors';
import { loadBitmapModel, referenceBitmap } from './bitmap-model';
import { createModelPlacement } from './model-placement';
import { modelWorkerCount, reportedCores } from '../model/worker-count';
import { loadBitmapTrained } from './bitmap-trained';
import { decodeAtSize, fetchSource, RemoteVideo } from './load-image';
import { eachFrame } from './each-frame';
import { batchSizeFor } from './batch-size';
import { createModelHost } from './model-host';
import { createActiveTabs } from './active-tabs';
import { checkPriority } from './check-priority';
import { createOffscreenHandlers } from './offscreen-handlers';
import { trainPersonal } from './personal-trainer';
import { makeThumbnail } from './thumbnail';
import { loadPersonalModel } from '../personal/personal-store';

export interface LocalModelHost {
  /** The background -> offscreen requests, answered here. */
  handlers: Handlers<BackgroundToOffscreen, BackgroundToOffscreenReplies>;
  /** Frees the models (they load again with the next image) while this page stays open. */
  unload(): void;
}

/** Starts a model host in this page; it loads its models with the first image. */
export function createLocalModelHost(): LocalModelHost {
  const activeTabs = createActiveTabs();
  // The models run in model workers: one per core but one on WASM, one that owns the GPU device otherwise.
  const placement = createModelPlacement({
    newWorker: () => new Worker(browser.runtime.getURL('/inference-worker.js')),
    wasmWorkers: (workers) => modelWorkerCount(workers, reportedCores()),
    startHere: (backend) => startHere(backend),
    loadHere: loadBitmapModel,
    runningHere: () => tf.getBackend() ?? null,
  });
  const host = createModelHost<Blob | VideoFrame | RemoteVideo, ImageBitmap>(
    {
      setupBackend: (choice, avoid) => setupBackend(choice, { avoid, start: placement.start }),
      resetBackend,
      referencePixels: referenceBitmap,
      loadModel: placement.load,
      loadDetector: loadBitmapDetector,
      loadSource: fetchSource,
      toPixels: (source, size, fit, quality, signal) => {
        // A video is scored by its frames (eachFrame); one that is not a video cannot be decoded either.
        if (source instanceof RemoteVideo) return Promise.reject(new Error('decode failed: not a video the browser can play'));
        return decodeAtSize(source, size, fit, quality, signal);
      },
      eachFrame,
      release: (bitmap) => bitmap.close(),
      loadPersonal: (model) => loadPersonalModel(model),
      loadTrained: loadBitmapTrained,
      // The active tab's images in view first, then near and far, then other tabs' (check-priority.ts).
      priorityOf: (job) => checkPriority(job.place, activeTabs.isActive(job.tab, job.active)),
    },
    {
      fetchTimeoutMs: 40_000,
      // 30 s: with twenty tabs loading, 9 of 700 ordinary photos took over 15 s to decode (the first
      // decodes start their workers); a bomb still ends here, its worker terminated.
      decodeTimeoutMs: 30_000,
      maxBatch: batchSizeFor,
      // On a GPU the size that serves best is measured at load, up to batchSizeFor's cap (batch-tuning.ts).
      tuneBatchOn: ['webgpu', 'webgl'],
      maxConcurrentFetches: 16,
      maxFetchesPerHost: 6,
      maxConcurrentDecodes: 8,
      // ~1 MB of bitmaps each with CenterNet's size: a backlog of 1,000 (twenty tabs) held ~1 GB before.
      maxDecodedImages: 48,
    },
  );
  const handlers = createOffscreenHandlers({
    host,
    activeTabs,
    makeThumbnail,
    // On the document's own WASM (or CPU), never a GPU of its own beside the model worker's.
    trainPersonal: async (model) => {
      await placement.readyHere();
      return trainPersonal(model);
    },
  });
  return { handlers, unload: () => host.unload() };
}
