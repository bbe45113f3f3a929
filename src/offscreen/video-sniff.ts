// Tells from a file's first bytes whether it is a video the offscreen document should scan frame by
// frame, by content (servers mislabel types, and a page's "GIF" is often an MP4). ISO files (MP4, MOV)
// share their `ftyp` box with AVIF and HEIC still images, so the brand decides.

export type VideoType = 'video/mp4' | 'video/webm' | 'video/ogg';

/** Bytes to read for the sniff. */
export const VIDEO_SNIFF_BYTES = 64;

/** ISO base media brands of still images (and image sequences the browser shows as an <img>). */
const IMAGE_BRANDS = new Set(['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'jpeg', 'jpgs']);

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/** The video container the bytes start with, or null for anything else (images included). */
export function videoType(head: Uint8Array): VideoType | null {
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'video/webm';
  if (ascii(head, 0, 4) === 'OggS') return 'video/ogg';
  if (ascii(head, 4, 4) === 'ftyp') {
    const major = ascii(head, 8, 4).trim().toLowerCase();
    return IMAGE_BRANDS.has(major) ? null : 'video/mp4';
  }
  return null;
}
