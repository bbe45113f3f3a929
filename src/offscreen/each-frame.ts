// The frames of a fetched file that the host scores: a video's (video-frames.ts), an animated image's
// (animation-frames.ts), or null for a still image, which the host decodes whole.
import { eachAnimationFrame } from './animation-frames';
import { eachVideoFrame } from './video-frames';

export async function eachFrame<T>(
  source: Blob | VideoFrame,
  signal: AbortSignal,
  use: (frame: VideoFrame) => Promise<T>,
): Promise<T[] | null> {
  return (await eachVideoFrame(source, signal, use)) ?? eachAnimationFrame(source, signal, use);
}
