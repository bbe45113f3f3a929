// The frames of a fetched file that the host scores: a video's (video-frames.ts; a later segment of a
// long one when the URL names it, video-times.ts), an animated image's (animation-frames.ts), or null
// for a still image, which the host decodes whole.
import { eachAnimationFrame } from './animation-frames';
import type { RemoteVideo } from './load-image';
import { eachVideoFrame } from './video-frames';
import { segmentStart } from './video-times';

export async function eachFrame<T>(
  source: Blob | VideoFrame | RemoteVideo,
  signal: AbortSignal,
  use: (frame: VideoFrame) => Promise<T>,
  url = '',
): Promise<T[] | null> {
  const video = await eachVideoFrame(source, signal, use, segmentStart(url));
  if (video !== null || !(source instanceof Blob)) return video;
  return eachAnimationFrame(source, signal, use);
}
