// Samples a video stream only the page can read (a MediaSource or blob: URL, a MediaStream) while it
// plays: the offscreen document cannot fetch it, but the content script can draw the page's video.
// The first frame is checked before the video shows (it is covered until then); after that a frame
// at least every VIDEO_STEP_S seconds of playback, and after every seek. Later answers go to `later`,
// which covers the video at once when one should be hidden.
import type { ClassifyResult } from '../messaging/content-background';
import { VIDEO_STEP_S } from '../offscreen/video-times';

export interface VideoSamplerDeps {
  /** Scores the frame the video shows now (drawn here at model size). */
  classifyFrame(video: HTMLVideoElement, key: string): Promise<ClassifyResult>;
  /** An answer for a frame after the first. */
  later(video: HTMLVideoElement, key: string, result: ClassifyResult): void;
  /** Whether the video still plays `key` (sampling stops when it plays something else). */
  current(video: HTMLVideoElement, key: string): boolean;
}

/** HTMLMediaElement.HAVE_CURRENT_DATA: a frame to draw. */
const HAVE_CURRENT_DATA = 2;

/**
 * Starts sampling `video` as `key`; resolves with the first frame's answer once the video has a frame
 * (until then it stays covered, as unchecked).
 */
export function sampleVideo(video: HTMLVideoElement, key: string, deps: VideoSamplerDeps, signal: AbortSignal): Promise<ClassifyResult> {
  const stop = new AbortController();
  const stopped = () => signal.aborted || stop.signal.aborted || !deps.current(video, key);
  signal.addEventListener('abort', () => stop.abort(), { once: true, signal: stop.signal });
  let lastAt = Number.NaN;
  let busy = false;
  let again = false;

  const sampleNow = async (): Promise<ClassifyResult> => {
    lastAt = video.currentTime;
    return deps.classifyFrame(video, key);
  };
  /** A later sample; one at a time, and one more after it when a seek came meanwhile. */
  const sampleLater = () => {
    if (stopped()) {
      stop.abort();
      return;
    }
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    void sampleNow().then((result) => {
      busy = false;
      if (stopped()) return stop.abort();
      deps.later(video, key, result);
      if (again) {
        again = false;
        sampleLater();
      }
    });
  };

  return new Promise<ClassifyResult>((resolve) => {
    const first = () => {
      if (stopped()) return;
      // Later samples wait for this one (busy), and go on from the time it was drawn.
      busy = true;
      void sampleNow().then((result) => {
        busy = false;
        resolve(result);
        if (again) {
          again = false;
          sampleLater();
        }
      });
      const onTime = () => {
        if (!(Math.abs(video.currentTime - lastAt) < VIDEO_STEP_S)) sampleLater();
      };
      video.addEventListener('timeupdate', onTime, { signal: stop.signal });
      video.addEventListener('seeked', sampleLater, { signal: stop.signal });
    };
    if (video.readyState >= HAVE_CURRENT_DATA) first();
    else video.addEventListener('loadeddata', first, { once: true, signal: stop.signal });
  });
}
