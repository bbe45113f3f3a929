// Reads an image's dimensions from its header, before anything decodes it, so a decompression bomb
// (a 2 MB PNG of 16,000 x 16,000 is a 1 GiB bitmap) is refused without being decoded. Pure, by
// content (servers mislabel types): JPEG (the first SOF marker), PNG (IHDR), GIF (the logical screen
// and the first frame), WebP (VP8, VP8L, VP8X), AVIF/HEIF (the largest `ispe` box) and BMP.

export interface ImageSize {
  type: 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' | 'bmp';
  width: number;
  height: number;
}

/** Images with more pixels are not decoded: 50 MP is a 200 MB bitmap, beyond any camera photo a page shows. */
export const MAX_PIXELS = 50_000_000;

/** Bytes to read for the header: a JPEG's SOF may follow large EXIF and ICC segments. */
export const HEADER_BYTES = 512 * 1024;

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/** The dimensions the header declares, or null when the format is unknown or the header is cut short. */
export function imageSize(bytes: Uint8Array): ImageSize | null {
  if (bytes.length < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes, view);
  if (ascii(bytes, 1, 3) === 'PNG' && bytes[0] === 0x89) {
    if (bytes.length < 24 || ascii(bytes, 12, 4) !== 'IHDR') return null;
    return { type: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return gifSize(bytes, view);
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return webpSize(bytes, view);
  if (ascii(bytes, 4, 4) === 'ftyp') return ispeSize(bytes, view);
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 26) {
    return { type: 'bmp', width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
  }
  return null;
}

/** Whether a decoder may be given the image: false only when its header declares more than `maxPixels`. */
export function withinPixelCap(size: ImageSize | null, maxPixels = MAX_PIXELS): boolean {
  return size === null || size.width * size.height <= maxPixels;
}

function jpegSize(bytes: Uint8Array, view: DataView): ImageSize | null {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null; // not a marker: a damaged file
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    // Markers without a length: TEM, RSTn, SOI, EOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      at += 2;
      continue;
    }
    const length = view.getUint16(at + 2);
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > bytes.length) return null;
      return { type: 'jpeg', height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    if (marker === 0xda) return null; // scan data before any frame header
    at += 2 + length;
  }
  return null;
}

function gifSize(bytes: Uint8Array, view: DataView): ImageSize | null {
  let width = view.getUint16(6, true);
  let height = view.getUint16(8, true);
  // A frame may be larger than the logical screen; decoders grow the canvas to hold it.
  const flags = bytes[10] ?? 0;
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  while (at < bytes.length) {
    const block = bytes[at];
    if (block === 0x2c) {
      if (at + 9 > bytes.length) break;
      width = Math.max(width, view.getUint16(at + 1, true) + view.getUint16(at + 5, true));
      height = Math.max(height, view.getUint16(at + 3, true) + view.getUint16(at + 7, true));
      break;
    }
    if (block !== 0x21) break; // the trailer, or damage
    at += 2; // introducer and label, then sub-blocks until a zero length
    while (at < bytes.length && bytes[at] !== 0) at += 1 + (bytes[at] ?? 0);
    at++;
  }
  return { type: 'gif', width, height };
}

function webpSize(bytes: Uint8Array, view: DataView): ImageSize | null {
  if (bytes.length < 30) return null;
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8 ') {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return null;
    return { type: 'webp', width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return null;
    const bits = view.getUint32(21, true);
    return { type: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const width = (view.getUint32(24, true) & 0xffffff) + 1;
    const height = (view.getUint32(27, true) & 0xffffff) + 1;
    return { type: 'webp', width, height };
  }
  return null;
}

/** AVIF and HEIF: the largest image spatial extent (`ispe`) property in the bytes read. */
function ispeSize(bytes: Uint8Array, view: DataView): ImageSize | null {
  let best: ImageSize | null = null;
  for (let at = 4; at + 16 <= bytes.length; at++) {
    // i s p e, preceded by the box's 32-bit size (20: size, type, version/flags, width, height).
    if (bytes[at] !== 0x69 || bytes[at + 1] !== 0x73 || bytes[at + 2] !== 0x70 || bytes[at + 3] !== 0x65) continue;
    if (view.getUint32(at - 4) !== 20) continue;
    const width = view.getUint32(at + 8);
    const height = view.getUint32(at + 12);
    if (!best || width * height > best.width * best.height) best = { type: 'avif', width, height };
  }
  return best;
}
