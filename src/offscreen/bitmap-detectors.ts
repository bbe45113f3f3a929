// Adapts the detector models to the host: ImageBitmaps in (decoded at the detector's size, aspect
// ratio kept, since both detectors letterbox), tag scores out.
import * as tf from '@tensorflow/tfjs';
import { FACE_MODEL_PATHS, faceTagScores, loadFaceDetector } from '../model/face-detector';
import { loadObjectDetector, objectTagScores } from '../model/object-detector';
import type { Detector } from '../tags/vocabulary';
import { extensionUrl } from '../util/extension-url';
import type { HostedDetector } from './model-host';

/** The object detector's files (copied by scripts/extract-models.mjs); the face files are in FACE_MODEL_PATHS. */
const CENTERNET = '/models/human/centernet/model.json';
/**
 * Faces are decoded larger than BlazeFace's 256 px input: the gender model reads its 224 px crop of
 * each face from this image, and small faces need the pixels (measured: one more miss per gender at 256).
 */
const FACE_DECODE_WIDTH = 512;

export async function loadBitmapDetector(kind: Detector): Promise<HostedDetector<ImageBitmap>> {
  if (kind === 'faces') {
    const detector = await loadFaceDetector({
      detectorUrl: extensionUrl(FACE_MODEL_PATHS.detector),
      genderUrl: extensionUrl(FACE_MODEL_PATHS.gender),
    });
    return {
      decodeSize: FACE_DECODE_WIDTH,
      fit: 'contain',
      scoreBatch: (bitmaps) =>
        withPixels(bitmaps, async (pixels) => (await detector.detectBatch(pixels)).map((faces) => ({ tags: faceTagScores(faces), faces }))),
      dispose: () => detector.dispose(),
    };
  }
  const detector = await loadObjectDetector({ url: extensionUrl(CENTERNET) });
  return {
    decodeSize: detector.inputSize,
    fit: 'contain',
    scoreBatch: (bitmaps) =>
      withPixels(bitmaps, async (pixels) => (await detector.detectBatch(pixels)).map((found) => ({ tags: objectTagScores(found) }))),
    dispose: () => detector.dispose(),
  };
}

async function withPixels<T>(bitmaps: ImageBitmap[], use: (pixels: tf.Tensor3D[]) => Promise<T>): Promise<T> {
  const pixels = bitmaps.map((bitmap) => {
    const tensor = tf.browser.fromPixels(bitmap);
    bitmap.close();
    return tensor;
  });
  try {
    return await use(pixels);
  } finally {
    tf.dispose(pixels);
  }
}
