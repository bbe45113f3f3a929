// Adapts the NSFW model to the host: decoded ImageBitmaps in, scores out. The bitmaps are already at
// the model's input size, so preprocessing is only the /255 scaling.
import * as tf from '@tensorflow/tfjs';
import type { ModelId, ModelSpec } from '../model/catalog';
import { loadNsfwModel } from '../model/nsfw-model';
import { modelPath } from '../model/catalog';
import { applyHeads, headsPath, parseHeads, type Heads } from '../model/embedding-heads';
import { nsfwScore } from '../model/scores';
import { referenceImage } from '../model/reference-image';
import { extensionUrl } from '../util/extension-url';
import type { HostedModel } from './model-host';

export async function loadBitmapModel(spec: ModelSpec): Promise<HostedModel<ImageBitmap>> {
  const [model, heads] = await Promise.all([loadNsfwModel({ spec, modelUrl: extensionUrl(modelPath(spec.id)) }), loadHeads(spec.id)]);
  const tagsOf = (classes: number[], embedding: number[]) => ({
    ...(heads ? applyHeads(heads, embedding) : classTags(classes)),
    nsfw: nsfwScore(classes),
  });
  return {
    async predict(bitmaps) {
      const pixels = bitmaps.map((bitmap) => tf.browser.fromPixels(bitmap));
      bitmaps.forEach((bitmap) => bitmap.close());
      try {
        const predictions = await model.predict(pixels);
        return predictions.map(({ classes, embedding }) => ({ classes, embedding, tags: tagsOf(classes, embedding) }));
      } finally {
        pixels.forEach((t) => t.dispose());
      }
    },
    dispose: () => model.dispose(),
  };
}

/** The photo/illust heads trained for this model (public/heads), or null when none ships for it. */
async function loadHeads(id: ModelId): Promise<Heads | null> {
  const response = await fetch(extensionUrl(headsPath(id))).catch(() => null);
  if (!response?.ok) return null;
  const heads = parseHeads(await response.json());
  if (heads.modelId !== id) throw new Error(`heads file for ${heads.modelId} shipped as ${id}`);
  return heads;
}

/**
 * Without heads (a model no head was trained for), the NSFW classes stand in: Drawing + Hentai for
 * illust, the rest for photo. Measured to agree with photo/drawing labels for only 57-75% of images,
 * so the heads are preferred wherever they exist.
 */
function classTags(classes: number[]): { photo: number; illust: number } {
  const [drawing = 0, hentai = 0] = classes;
  const illust = Math.min(1, drawing + hentai);
  return { illust, photo: 1 - illust };
}

/** The watchdog's known image (reference-image.ts), as the host's pixels at the model's input size. */
export function referenceBitmap(size: number): Promise<ImageBitmap> {
  return createImageBitmap(new ImageData(referenceImage(size), size, size));
}
