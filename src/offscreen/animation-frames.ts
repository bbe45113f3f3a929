// Decodes the frames of an animated GIF, WebP or APNG with WebCodecs' ImageDecoder, so the host can
// score more than the first frame (what createImageBitmap and <img> decode), one frame at a time
// (use-frames.ts).
import { animationType, SNIFF_BYTES } from './animation-sniff';
import { headOf } from './blob-head';
import { MAX_FRAMES, pickFrames } from './frame-pick';
import { type Decoded, decodeOne, useFrames } from './use-frames';

let notedMissing = false;

/**
 * Runs `use` on up to `maxFrames` frames spread over an animated image (frame-pick.ts) and returns
 * the results in frame order. Null for a still image (the caller decodes it whole, as before) and
 * when this browser has no ImageDecoder (then only the first frame is checked, noted once in the
 * console). A frame that fails to decode is left out (the browser cannot paint it either); when no
 * frame decodes it throws, and the image is "couldn't check". A VideoFrame (already one frame) is
 * still.
 */
export async function eachAnimationFrame<T>(
  source: Blob | VideoFrame,
  signal: AbortSignal,
  use: (frame: VideoFrame) => Promise<T>,
  maxFrames: number = MAX_FRAMES,
): Promise<T[] | null> {
  if (!(source instanceof Blob)) return null;
  const type = animationType(await headOf(source, SNIFF_BYTES));
  if (type === null) return null;
  if (typeof ImageDecoder === 'undefined') {
    if (!notedMissing) console.info('[Megane] no ImageDecoder in this browser: animated images are checked by their first frame only');
    notedMissing = true;
    return null;
  }
  if (!(await ImageDecoder.isTypeSupported(type))) return null;
  const decoder = new ImageDecoder({ data: source.stream(), type, preferAnimation: true });
  decoder.completed.catch(() => {}); // close() rejects it when a still image returns early: not an error
  try {
    const frameCount = await animatedFrameCount(decoder);
    const indices = pickFrames(frameCount, maxFrames);
    if (indices.length <= 1) return null;
    async function* decoded(): AsyncGenerator<Decoded> {
      for (const frameIndex of indices) {
        if (signal.aborted) return;
        yield await decodeOne(async () => (await decoder.decode({ frameIndex })).image);
      }
    }
    return await useFrames(decoded(), use, 'animation');
  } finally {
    decoder.close();
  }
}

/**
 * The number of frames, once every byte is parsed (or up to the damage in a truncated file); 1 for a
 * still image and for one the decoder cannot read (which then takes the still path, and fails there
 * as it always did).
 */
async function animatedFrameCount(decoder: ImageDecoder): Promise<number> {
  try {
    await decoder.tracks.ready;
    const track = decoder.tracks.selectedTrack;
    if (!track?.animated) return 1;
    // A truncated file rejects here; the frames parsed before the damage are the ones a browser plays.
    await decoder.completed.catch(() => {});
    return track.frameCount;
  } catch {
    return 1;
  }
}
