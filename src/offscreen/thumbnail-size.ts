// The size of a mark's thumbnail: what the dataset keeps of an image, and so also the size a trained
// model's images passed through before training. Pure.

export const THUMBNAIL_MAX_SIDE = 256;

/** The thumbnail's size for an image: the long side at most `max`, aspect ratio kept, never upscaled. */
export function thumbnailSize(width: number, height: number, max = THUMBNAIL_MAX_SIDE): { width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new Error(`image has no size (${width} x ${height})`);
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
