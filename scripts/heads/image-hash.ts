// Fingerprints for keeping the test gallery out of the training set: SHA-256 of a file's bytes catches
// exact copies, and a 64-bit difference hash (dHash) of the picture catches the same picture re-encoded,
// resized or flattened (the gallery's files are all re-encoded copies of Debian package images).
import { createHash } from 'node:crypto';
import sharp from 'sharp';

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * dHash of an encoded image (any format sharp reads, transparency flattened onto white): shrink to 9x8
 * grey, then one bit per horizontal neighbour pair (left brighter than right). 16 hex digits.
 */
export async function dHash(encoded: Buffer): Promise<string> {
  const grey = await sharp(encoded, { animated: false, limitInputPixels: false })
    .rotate()
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize(9, 8, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  let hex = '';
  for (let row = 0; row < 8; row++) {
    let byte = 0;
    for (let col = 0; col < 8; col++) {
      const left = grey[row * 9 + col] ?? 0;
      const right = grey[row * 9 + col + 1] ?? 0;
      byte = (byte << 1) | (left > right ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Number of differing bits between two dHashes. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new Error(`hash lengths differ: ${a.length} vs ${b.length}`);
  let bits = 0;
  for (let i = 0; i < a.length; i += 2) {
    let x = Number.parseInt(a.slice(i, i + 2), 16) ^ Number.parseInt(b.slice(i, i + 2), 16);
    while (x) {
      bits += x & 1;
      x >>= 1;
    }
  }
  return bits;
}

/** dHashes this close (of 64 bits) are treated as the same picture. */
export const SAME_PICTURE_BITS = 10;
