// A model worker's entry (built to /inference-worker.js, a script of the extension's own: blob: workers
// are not allowed in extension pages). Wiring only: src/offscreen/inference-worker.ts.
import * as tf from '@tensorflow/tfjs';
import { startOnly } from '../src/model/setup-backend';
import { watchBackend } from '../src/model/backend-health';
import { loadBitmapDetector } from '../src/offscreen/bitmap-detectors';
import { loadBitmapModel } from '../src/offscreen/bitmap-model';
import { loadBitmapTrained } from '../src/offscreen/bitmap-trained';
import { type InferenceScope, startInferenceWorker } from '../src/offscreen/inference-worker';

export default defineUnlistedScript(() => {
  startInferenceWorker(self as unknown as InferenceScope, {
    start: (backend) => startOnly(backend),
    load: loadBitmapModel,
    watchDevice: (backend, onLost) => void watchBackend(backend, onLost),
    loadDetector: loadBitmapDetector,
    loadTrained: loadBitmapTrained,
    tensors: () => tf.memory().numTensors,
  });
});
