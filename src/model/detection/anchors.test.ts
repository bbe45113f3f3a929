import { describe, expect, it } from 'vitest';
import {
  anchorCount,
  BLAZEFACE_REGRESSOR_SIZE,
  blazeFaceLayers,
  decodeBox,
  generateAnchors,
  layerAnchorCount,
  sigmoid,
  type AnchorLayer,
} from './anchors';

describe('blazeFaceLayers', () => {
  it.each([
    [
      128,
      [
        { stride: 8, anchorsPerCell: 2 },
        { stride: 16, anchorsPerCell: 6 },
      ],
    ],
    [
      256,
      [
        { stride: 16, anchorsPerCell: 2 },
        { stride: 32, anchorsPerCell: 6 },
      ],
    ],
  ])('%i px', (size, expected) => {
    expect(blazeFaceLayers(size)).toEqual(expected);
    // 16 x 16 x 2 + 8 x 8 x 6, the anchor count of both published BlazeFace models.
    expect(anchorCount(size, blazeFaceLayers(size))).toBe(896);
  });

  it.each([0, -256, 100, 256.5, Number.NaN])('rejects input size %d', (size) => {
    expect(() => blazeFaceLayers(size)).toThrow(/multiple of 16/);
  });
});

describe('generateAnchors', () => {
  it.each([
    ['one cell, one anchor', 4, [{ stride: 4, anchorsPerCell: 1 }], [2, 2]],
    ['2 x 2 grid, row by row', 4, [{ stride: 2, anchorsPerCell: 1 }], [1, 1, 3, 1, 1, 3, 3, 3]],
    ['anchors of a cell are repeated', 2, [{ stride: 2, anchorsPerCell: 3 }], [1, 1, 1, 1, 1, 1]],
    // ceil(5 / 2) = 3 cells per side: the partial last cell still gets an anchor, centred past the edge.
    ['partial cell', 5, [{ stride: 2, anchorsPerCell: 1 }], [1, 1, 3, 1, 5, 1, 1, 3, 3, 3, 5, 3, 1, 5, 3, 5, 5, 5]],
    [
      'layers in order',
      4,
      [
        { stride: 4, anchorsPerCell: 1 },
        { stride: 2, anchorsPerCell: 1 },
      ],
      [2, 2, 1, 1, 3, 1, 1, 3, 3, 3],
    ],
  ] as Array<[string, number, AnchorLayer[], number[]]>)('%s', (_label, size, layers, expected) => {
    expect(Array.from(generateAnchors(size, layers))).toEqual(expected);
  });

  it('lays out the 256 px BlazeFace anchors as the model outputs them', () => {
    const layers = blazeFaceLayers(256);
    const anchors = generateAnchors(256, layers);
    expect(anchors.length).toBe(896 * 2);
    expect(layerAnchorCount(256, layers[0] as AnchorLayer)).toBe(512);
    const at = (i: number) => [anchors[2 * i], anchors[2 * i + 1]];
    expect(at(0)).toEqual([8, 8]);
    expect(at(1)).toEqual([8, 8]); // two anchors per cell
    expect(at(2)).toEqual([24, 8]); // next column
    expect(at(32)).toEqual([8, 24]); // next row: 16 cells x 2 anchors later
    expect(at(511)).toEqual([248, 248]);
    expect(at(512)).toEqual([16, 16]); // second layer, stride 32
    expect(at(517)).toEqual([16, 16]); // its six anchors share the cell
    expect(at(518)).toEqual([48, 16]);
    expect(at(895)).toEqual([240, 240]);
  });

  it.each([[{ stride: 0, anchorsPerCell: 1 }], [{ stride: 4, anchorsPerCell: 0 }], [{ stride: 4, anchorsPerCell: 1.5 }]])(
    'rejects layer %j',
    (layer) => {
      expect(() => generateAnchors(8, [layer])).toThrow(/bad anchor layer/);
    },
  );
});

describe('decodeBox', () => {
  const row = (dx: number, dy: number, w: number, h: number) => [dx, dy, w, h, ...new Array<number>(12).fill(99)];
  const anchors = [128, 128, 8, 8];
  const regressors = [...row(0, 0, 64, 32), ...row(4, -2, 16, 16)];
  it.each([
    ['anchor centre, 64 x 32 px', 0, { left: 96 / 256, top: 112 / 256, right: 160 / 256, bottom: 144 / 256 }],
    ['offset from the anchor, past the top-left edge', 1, { left: 4 / 256, top: -2 / 256, right: 20 / 256, bottom: 14 / 256 }],
  ])('%s', (_label, index, expected) => {
    const box = decodeBox(regressors, BLAZEFACE_REGRESSOR_SIZE, index, anchors, 256);
    expect(box.left).toBeCloseTo(expected.left, 10);
    expect(box.top).toBeCloseTo(expected.top, 10);
    expect(box.right).toBeCloseTo(expected.right, 10);
    expect(box.bottom).toBeCloseTo(expected.bottom, 10);
  });

  it('gives NaN rather than a made-up box when the data is short', () => {
    expect(decodeBox([1, 2], BLAZEFACE_REGRESSOR_SIZE, 0, anchors, 256).right).toBeNaN();
  });
});

describe('sigmoid', () => {
  it.each([
    [0, 0.5],
    [Math.log(3), 0.75],
    [-Math.log(3), 0.25],
    [1000, 1],
    [-1000, 0],
  ])('sigmoid(%d) = %d', (x, expected) => {
    expect(sigmoid(x)).toBeCloseTo(expected, 12);
  });

  it('stays finite for huge logits and passes NaN through', () => {
    expect(Number.isFinite(sigmoid(-1e308))).toBe(true);
    expect(sigmoid(Number.NaN)).toBeNaN();
  });
});
