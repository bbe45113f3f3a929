// Decodes frames of a video file (MP4, WebM, Ogg: feeds serve their "GIFs" as these) in the offscreen
// document with a <video> on the file's own URL (a RemoteVideo: only the byte ranges it seeks to are
// fetched) or on a blob: URL of bytes already fetched, seeking to each moment video-times.ts picks, one
// frame at a time (use-frames.ts).
import { headOf } from './blob-head';
import { RemoteVideo } from './load-image';
import { type Decoded, decodeOne, useFrames } from './use-frames';
import { videoType, VIDEO_SNIFF_BYTES } from './video-sniff';
import { pickVideoTimes } from './video-times';

/**
 * Runs `use` on the frames pickVideoTimes picks in the segment starting at `from` seconds, and returns
 * the results in time order;
 * null when the bytes are not a video (the caller goes on as for an image). Throws a readable Error
 * when the browser cannot play the file, it has no picture, or no frame decodes: the video is then
 * "couldn't check", never shown unchecked.
 */
export async function eachVideoFrame<T>(
  source: Blob | VideoFrame | RemoteVideo,
  signal: AbortSignal,
  use: (frame: VideoFrame) => Promise<T>,
  from = 0,
): Promise<T[] | null> {
  if (source instanceof VideoFrame) return null;
  if (source instanceof Blob && videoType(await headOf(source, VIDEO_SNIFF_BYTES)) === null) return null;
  const url = source instanceof RemoteVideo ? source.url : URL.createObjectURL(source);
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  try {
    video.src = url;
    await mediaEvent(video, 'loadeddata', signal);
    if (video.videoWidth === 0 || video.videoHeight === 0) throw new Error('decode failed: the video has no picture');
    async function* decoded(): AsyncGenerator<Decoded> {
      let previous = -1;
      for (const t of pickVideoTimes(video.duration, from)) {
        if (signal.aborted) return;
        if (video.currentTime !== t) {
          video.currentTime = t;
          await mediaEvent(video, 'seeked', signal);
          // A video of unknown length ends before the times run out: the seek lands at its end.
          if (video.currentTime <= previous) return;
        }
        previous = video.currentTime;
        yield await decodeOne(() => new VideoFrame(video, { timestamp: Math.round(video.currentTime * 1e6) }));
      }
    }
    return await useFrames(decoded(), use, 'video');
  } finally {
    video.removeAttribute('src');
    video.load();
    if (source instanceof Blob) URL.revokeObjectURL(url);
  }
}

/** Resolves on the media event, rejects with the media error's message (or on abort). */
function mediaEvent(video: HTMLVideoElement, name: 'loadeddata' | 'seeked', signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = new AbortController();
    const finish = (error?: Error) => {
      done.abort();
      if (error) reject(error);
      else resolve();
    };
    video.addEventListener(name, () => finish(), { signal: done.signal });
    video.addEventListener(
      'error',
      () => finish(new Error(`decode failed: ${video.error?.message || 'the browser cannot play this video'}`)),
      { signal: done.signal },
    );
    signal.addEventListener('abort', () => finish(new Error('timed out')), { signal: done.signal });
    if (signal.aborted) finish(new Error('timed out'));
  });
}
