// How closely our preprocessing reproduces nsfwjs's scores: every gallery image through our model after
// createImageBitmap at each resizeQuality, compared with nsfwjs.classify on the full-size image. A control
// row feeds our model nsfwjs's own input (full-size pixels, bilinear inside predict) to show the loader
// itself adds no difference.
import * as tf from '@tensorflow/tfjs';
import type { NsfwModel } from '../model/nsfw-model';
import { NSFW_RESIZE_QUALITY } from '../offscreen/load-image';
import { decodeToPixels, RESIZE_QUALITIES } from './decode';
import type { AgreementResult } from './result';
import { compareScores } from './stats';

export interface AgreementInputs {
  names: readonly string[];
  blobs: readonly Blob[];
  fullSize: readonly HTMLImageElement[];
  /** nsfwjs's probabilities per image (NSFW_CLASSES order). */
  reference: readonly number[][];
}

const BATCH = 8;

/** Our model's probabilities for every image, `BATCH` at a time, pixels made by `pixels`. */
async function scoreAll<S>(model: NsfwModel, sources: readonly S[], pixels: (source: S) => Promise<tf.Tensor3D>): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < sources.length; i += BATCH) {
    const tensors = await Promise.all(sources.slice(i, i + BATCH).map(pixels));
    try {
      out.push(...(await model.predict(tensors)).map((p) => p.classes));
    } finally {
      tensors.forEach((t) => t.dispose());
    }
  }
  return out;
}

export async function measureAgreement(model: NsfwModel, inputs: AgreementInputs, log: (line: string) => void): Promise<AgreementResult> {
  const size = model.spec.inputSize;
  const pairs = (scores: readonly number[][]) =>
    scores.map((ours, i) => ({ image: inputs.names[i] ?? `#${i}`, ours, reference: inputs.reference[i] ?? [] }));
  const rows = [];
  for (const quality of RESIZE_QUALITIES) {
    const scores = await scoreAll(model, inputs.blobs, (blob) => decodeToPixels(blob, size, quality));
    // The label follows what the extension really uses, so the table cannot name the wrong one.
    const label = `createImageBitmap ${quality}${quality === NSFW_RESIZE_QUALITY ? ' (shipped)' : ''}`;
    rows.push(compareScores(label, pairs(scores)));
    log(`agreement ${quality}: mean |Δ nsfw| ${rows[rows.length - 1]?.nsfw.mean.toFixed(4)}`);
  }
  const control = await scoreAll(model, inputs.fullSize, async (img) => tf.browser.fromPixels(img));
  rows.push(compareScores('control: full-size + bilinear, our loader', pairs(control)));
  return { images: inputs.names.length, rows };
}
