// The thumbnail a mark keeps (at most 256 px on the long side, JPEG), so the dataset survives the
// image leaving the web. Made in the offscreen document from the bytes it fetched itself.
import type { ThumbnailData } from '../messaging/background-offscreen';
import { bytesToBase64 } from '../util/base64';
import { fetchImage, withTimeout } from './load-image';
import { THUMBNAIL_MAX_SIDE, thumbnailSize } from './thumbnail-size';

const QUALITY = 0.85;

export async function makeThumbnail(
  url: string,
  timeoutMs = 15_000,
): Promise<{ thumbnail: ThumbnailData; imageSize: { width: number; height: number } }> {
  return withTimeout(
    timeoutMs,
    async (signal) => {
      const blob = await fetchImage(url, signal);
      const full = await decodeFull(blob);
      try {
        const imageSize = { width: full.width, height: full.height };
        const size = thumbnailSize(full.width, full.height);
        const canvas = new OffscreenCanvas(size.width, size.height);
        const context = canvas.getContext('2d');
        if (!context) throw new Error('no 2D canvas');
        context.imageSmoothingQuality = 'high';
        context.fillStyle = '#fff'; // transparent PNGs become JPEGs on white, not black
        context.fillRect(0, 0, size.width, size.height);
        context.drawImage(full, 0, 0, size.width, size.height);
        const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: QUALITY });
        return { thumbnail: { type: 'image/jpeg', base64: bytesToBase64(new Uint8Array(await jpeg.arrayBuffer())), ...size }, imageSize };
      } finally {
        if ('close' in full) full.close();
      }
    },
    `thumbnail timed out after ${Math.round(timeoutMs / 1000)} s`,
  );
}

async function decodeFull(blob: Blob): Promise<ImageBitmap | HTMLImageElement> {
  if (!blob.type.includes('svg')) {
    return createImageBitmap(blob).catch((error: Error) => {
      throw new Error(`decode failed: ${error.message || 'not an image'}`);
    });
  }
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.src = url;
    await img.decode().catch(() => {
      throw new Error('decode failed: invalid SVG');
    });
    if (!img.naturalWidth) {
      img.width = THUMBNAIL_MAX_SIDE;
      img.height = THUMBNAIL_MAX_SIDE;
    }
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}
