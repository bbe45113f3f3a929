import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageSize, MAX_PIXELS, withinPixelCap } from './image-header';

/** A real file of `width` x `height` in `format`, made by sharp (libvips). */
async function made(
  format: 'jpeg' | 'png' | 'gif' | 'webp' | 'avif',
  width: number,
  height: number,
  options: object = {},
): Promise<Uint8Array> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 20 } } });
  return new Uint8Array(await image.toFormat(format, options).toBuffer());
}

describe('imageSize', () => {
  it.each([
    ['jpeg', 'jpeg', {}],
    ['progressive jpeg', 'jpeg', { progressive: true }],
    ['png', 'png', {}],
    ['gif', 'gif', {}],
    ['lossy webp (VP8)', 'webp', {}],
    ['lossless webp (VP8L)', 'webp', { lossless: true }],
    ['avif (ispe)', 'avif', {}],
  ] as const)('reads the size of a %s', async (_, format, options) => {
    const bytes = await made(format, 321, 123, options);
    expect(imageSize(bytes)).toEqual({ type: format, width: 321, height: 123 });
  });

  it('reads a webp with an extended header (VP8X) by its canvas', async () => {
    const bytes = new Uint8Array(
      await sharp({ create: { width: 300, height: 200, channels: 4, background: '#0000' } })
        .webp()
        .withMetadata()
        .toBuffer(),
    );
    // An alpha channel makes libwebp write VP8X.
    expect(String.fromCharCode(...bytes.subarray(12, 16))).toBe('VP8X');
    expect(imageSize(bytes)).toEqual({ type: 'webp', width: 300, height: 200 });
  });

  it('finds the SOF of a jpeg behind a large metadata segment', async () => {
    const plain = await made('jpeg', 40, 30);
    const app = new Uint8Array(4 + 60_000);
    app.set([0xff, 0xe2, (60_002 >> 8) & 0xff, 60_002 & 0xff]);
    const bytes = new Uint8Array([...plain.subarray(0, 2), ...app, ...plain.subarray(2)]);
    expect(imageSize(bytes)).toEqual({ type: 'jpeg', width: 40, height: 30 });
  });

  it('reads a 16,000 x 16,000 png (a decompression bomb) from its first 24 bytes and refuses it', async () => {
    const bytes = await made('png', 1, 1);
    new DataView(bytes.buffer).setUint32(16, 16_000);
    new DataView(bytes.buffer).setUint32(20, 16_000);
    const size = imageSize(bytes.subarray(0, 24));
    expect(size).toEqual({ type: 'png', width: 16_000, height: 16_000 });
    expect(withinPixelCap(size)).toBe(false);
  });

  it('counts a gif frame larger than its logical screen', async () => {
    const bytes = await made('gif', 10, 10);
    // The first image descriptor after the header and the colour table: widen the frame to 9,000 x 9,000.
    const at = bytes.indexOf(0x2c, 13);
    new DataView(bytes.buffer).setUint16(at + 5, 9_000, true);
    new DataView(bytes.buffer).setUint16(at + 7, 9_000, true);
    expect(imageSize(bytes)).toEqual({ type: 'gif', width: 9_000, height: 9_000 });
  });

  it('says nothing about what it cannot read', async () => {
    const png = await made('png', 5, 5);
    expect(imageSize(png.subarray(0, 20))).toBeNull(); // cut before IHDR's size
    expect(imageSize(new TextEncoder().encode('<!doctype html><p>not an image</p>'))).toBeNull();
    expect(imageSize(new Uint8Array(0))).toBeNull();
    expect(imageSize(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]))).toBeNull(); // scan before a frame header
  });
});

describe('withinPixelCap', () => {
  it('lets through what it cannot measure and what fits, not what exceeds the cap', () => {
    expect(withinPixelCap(null)).toBe(true);
    expect(withinPixelCap({ type: 'jpeg', width: 8_000, height: 6_000 })).toBe(true);
    expect(withinPixelCap({ type: 'jpeg', width: 10_000, height: MAX_PIXELS / 10_000 + 1 })).toBe(false);
  });
});
