// A model worker's entry (built to /inference-worker.js, a script of the extension's own: blob: workers
// are not allowed in extension pages). Wiring only: src/offscreen/inference-worker.ts.
import * as tf from '@tensorflow/tfjs';
import { setupWasm } from '../src/model/setup-backend';
import { loadBitmapModel } from '../src/offscreen/bitmap-model';
import { type InferenceScope, startInferenceWorker } from '../src/offscreen/inference-worker';

export default defineUnlistedScript(() => {
  startInferenceWorker(self as unknown as InferenceScope, {
    async load(spec) {
      await setupWasm();
      return loadBitmapModel(spec);
    },
    tensors: () => tf.memory().numTensors,
  });
});
