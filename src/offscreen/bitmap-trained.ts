// Runs an imported trained model (model3) in the host: its weights come from IndexedDB, images arrive
// decoded and stretched to its input size, RGB scaled to 0..1 as its megane-model.json says, and its
// outputs become tag scores (a sigmoid when the model gives logits).
import * as tf from '@tensorflow/tfjs';
import { loadTrainedModel } from '../trained/trained-model-store';
import type { TrainedScores } from '../messaging/background-offscreen';
import type { HostedTrainedModel } from './model-host';

export async function loadBitmapTrained(id: string): Promise<HostedTrainedModel<ImageBitmap>> {
  const { descriptor, artifacts } = await loadTrainedModel(id);
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
  const size = descriptor.inputSize;
  const outputs = model.outputs[0]?.shape.at(-1);
  if (outputs !== descriptor.tags.length) {
    model.dispose();
    throw new Error(`${descriptor.name}: the model has ${String(outputs)} outputs, megane-model.json names ${descriptor.tags.length} tags`);
  }
  const run = (input: tf.Tensor4D) => {
    const out = model.predict(input) as tf.Tensor2D;
    return descriptor.output === 'logits' ? tf.sigmoid(out) : out;
  };
  // Warm-up: the first run compiles shaders / allocates buffers.
  tf.tidy(() => run(tf.zeros([1, size, size, 3]) as tf.Tensor4D)).dispose();
  return {
    inputSize: size,
    tags: descriptor.tags,
    async predict(bitmaps) {
      const scores = tf.tidy(() => {
        const batch = tf.stack(bitmaps.map((b) => tf.browser.fromPixels(b))) as tf.Tensor4D;
        return run(tf.div(tf.cast(batch, 'float32'), 255) as tf.Tensor4D);
      });
      bitmaps.forEach((b) => b.close());
      try {
        const values = (await scores.array()) as number[][];
        // An output the model did not give stays missing (the host's score check fails it), never 0.
        return values.map(
          (row) =>
            Object.fromEntries(descriptor.tags.flatMap((tag, i) => (i < row.length ? [[tag, row[i]]] : []))) as TrainedScores['tags'],
        );
      } finally {
        scores.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}
