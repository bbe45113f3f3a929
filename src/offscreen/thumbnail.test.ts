import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../util/base64';
import { thumbnailSize } from './thumbnail-size';

describe('thumbnail', () => {
  it.each([
    [1024, 768, { width: 256, height: 192 }],
    [768, 1024, { width: 192, height: 256 }],
    [100, 50, { width: 100, height: 50 }],
    [5000, 10, { width: 256, height: 1 }],
    [256, 256, { width: 256, height: 256 }],
  ])('%i x %i fits in 256 px as %j', (w, h, expected) => {
    expect(thumbnailSize(w, h)).toEqual(expected);
  });

  it.each([
    [0, 10],
    [10, Number.NaN],
  ])('refuses an image of %s x %s', (w, h) => {
    expect(() => thumbnailSize(w, h)).toThrow(/no size/);
  });

  it('round-trips bytes through base64, also past one chunk', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(bytesToBase64(new Uint8Array([255, 0, 1]))).toBe('/wAB');
  });
});
