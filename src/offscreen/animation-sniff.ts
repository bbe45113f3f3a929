// Tells from an image's first bytes whether it may be animated, so a still image never pays for the
// frame-by-frame path: JPEG and still PNG or WebP are recognised from their headers alone. GIF says
// nothing up front about its frame count, so every GIF is a candidate and the decoder counts.

export type AnimationType = 'image/gif' | 'image/png' | 'image/webp';

/** Bytes to read for the sniff: enough to reach a PNG's acTL past ordinary metadata chunks. */
export const SNIFF_BYTES = 64 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/**
 * The type to hand ImageDecoder when the image may be animated, by content (servers mislabel types):
 * a GIF; a PNG with an acTL chunk before its first IDAT (APNG), or whose chunks run past the bytes
 * given; a WebP whose VP8X header sets the animation flag. Null for anything else.
 */
export function animationType(head: Uint8Array): AnimationType | null {
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'image/gif';
  if (PNG_SIGNATURE.every((byte, i) => head[i] === byte)) return apngType(head);
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') {
    return ascii(head, 12, 4) === 'VP8X' && ((head[20] ?? 0) & 0x02) !== 0 ? 'image/webp' : null;
  }
  return null;
}

function apngType(head: Uint8Array): AnimationType | null {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let at = PNG_SIGNATURE.length;
  while (at + 8 <= head.length) {
    const type = ascii(head, at + 4, 4);
    if (type === 'acTL') return 'image/png';
    if (type === 'IDAT' || type === 'IEND') return null;
    at += 12 + view.getUint32(at);
  }
  return 'image/png'; // the header chunks run past what was read: let the decoder tell
}
