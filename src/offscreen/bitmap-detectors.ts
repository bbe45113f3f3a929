// Adapts the detector models to the host: ImageBitmaps in (decoded at the detector's size, aspect
// ratio kept, since both detectors letterbox), tag scores out.
import * as tf from '@tensorflow/tfjs';
import { faceTagScores, loadFaceDetector } from '../model/face-detector';
import { loadObjectDetector, objectTagScores } from '../model/object-detector';
import type { Detector } from '../tags/vocabulary';
import type { HostedDetector } from './model-host';

/** Where each detector's files are served from (copied by scripts/extract-models.mjs). */
export const DETECTOR_FILES = {
  blazeface: '/models/human/blazeface/model.json',
  gender: '/models/human/gender/model.json',
  centernet: '/models/human/centernet/model.json',
} as const;

export async function loadBitmapDetector(kind: Detector): Promise<HostedDetector<ImageBitmap>> {
  const url = (path: string) => chrome.runtime.getURL(path);
  if (kind === 'faces') {
    const detector = await loadFaceDetector({ detectorUrl: url(DETECTOR_FILES.blazeface), genderUrl: url(DETECTOR_FILES.gender) });
    return {
      inputSize: detector.inputSize,
      fit: 'contain',
      score: (bitmap) =>
        withPixels(bitmap, async (pixels) => {
          const faces = await detector.detect(pixels);
          return { tags: faceTagScores(faces), faces };
        }),
      dispose: () => detector.dispose(),
    };
  }
  const detector = await loadObjectDetector({ url: url(DETECTOR_FILES.centernet) });
  return {
    inputSize: detector.inputSize,
    fit: 'contain',
    score: (bitmap) => withPixels(bitmap, async (pixels) => ({ tags: objectTagScores(await detector.detect(pixels)) })),
    dispose: () => detector.dispose(),
  };
}

async function withPixels<T>(bitmap: ImageBitmap, use: (pixels: tf.Tensor3D) => Promise<T>): Promise<T> {
  const pixels = tf.browser.fromPixels(bitmap);
  bitmap.close();
  try {
    return await use(pixels);
  } finally {
    pixels.dispose();
  }
}
