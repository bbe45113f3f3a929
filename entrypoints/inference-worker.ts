// A model worker's entry (built to /inference-worker.js, a script of the extension's own: blob: workers
// are not allowed in extension pages). Wiring only: src/offscreen/inference-worker.ts.
import * as tf from '@tensorflow/tfjs';
import { setupWasm } from '../src/model/setup-backend';
import { loadBitmapDetector } from '../src/offscreen/bitmap-detectors';
import { loadBitmapModel } from '../src/offscreen/bitmap-model';
import { loadBitmapTrained } from '../src/offscreen/bitmap-trained';
import { type InferenceScope, startInferenceWorker } from '../src/offscreen/inference-worker';

export default defineUnlistedScript(() => {
  startInferenceWorker(self as unknown as InferenceScope, {
    async load(spec) {
      await setupWasm();
      return loadBitmapModel(spec);
    },
    loadDetector: loadBitmapDetector,
    loadTrained: loadBitmapTrained,
    tensors: () => tf.memory().numTensors,
  });
});
