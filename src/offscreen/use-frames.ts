// The loop animation-frames.ts and video-frames.ts share: each decoded frame goes to `use` (which
// scales it to the model sizes) and is closed before the next is decoded, so at most one full-size
// frame is held whatever the length. A frame that fails to decode or to scale is left out (the
// browser cannot paint it either); when none is left the file is "couldn't check".
import { errorText } from '../util/checks';

/** One frame as its decoder gave it, or why it could not. */
export type Decoded = { frame: VideoFrame } | { failed: unknown };

/** Runs `frame` and wraps its outcome, so a decoder's loop can yield a failure instead of stopping. */
export function decodeOne(frame: () => VideoFrame | Promise<VideoFrame>): Promise<Decoded> {
  return Promise.resolve()
    .then(frame)
    .then(
      (decoded) => ({ frame: decoded }),
      (error: unknown) => ({ failed: error }),
    );
}

export async function useFrames<T>(
  decoded: AsyncIterable<Decoded>,
  use: (frame: VideoFrame) => Promise<T>,
  what: 'animation' | 'video',
): Promise<T[]> {
  const results: T[] = [];
  let failure: unknown = null;
  for await (const next of decoded) {
    if ('failed' in next) {
      failure ??= next.failed;
      continue;
    }
    try {
      results.push(await use(next.frame));
    } catch (error) {
      failure ??= error;
    } finally {
      next.frame.close();
    }
  }
  if (results.length === 0) throw new Error(`decode failed: no frame of the ${what} decodes (${errorText(failure)})`);
  return results;
}
