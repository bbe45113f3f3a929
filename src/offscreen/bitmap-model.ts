// Adapts the NSFW model to the host: decoded ImageBitmaps in, scores out. The bitmaps are already at
// the model's input size, so preprocessing is only the /255 scaling.
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../model/catalog';
import { loadNsfwModel } from '../model/nsfw-model';
import { modelPath } from '../model/catalog';
import { nsfwScore } from '../model/scores';
import type { HostedModel } from './model-host';

export async function loadBitmapModel(spec: ModelSpec): Promise<HostedModel<ImageBitmap>> {
  const model = await loadNsfwModel({ spec, modelUrl: chrome.runtime.getURL(modelPath(spec.id)) });
  return {
    async predict(bitmaps) {
      const pixels = bitmaps.map((bitmap) => tf.browser.fromPixels(bitmap));
      bitmaps.forEach((bitmap) => bitmap.close());
      try {
        const predictions = await model.predict(pixels);
        return predictions.map(({ classes, embedding }) => ({ classes, embedding, tags: { nsfw: nsfwScore(classes) } }));
      } finally {
        pixels.forEach((t) => t.dispose());
      }
    },
    dispose: () => model.dispose(),
  };
}
