// Which moments of a video get scored. The promise is that a frame that should be hidden is never
// shown: a clip is scanned before it shows, one frame every VIDEO_STEP_S seconds of media, so nothing
// lasting longer than that can pass between two looks. A video longer than one segment
// (VIDEO_SEGMENT_S) is scanned a segment at a time: its first before it shows, each next one while
// the one before plays, asked for by the content script (video-sources.ts) by a URL fragment.

/** Seconds of media between two scored frames. */
export const VIDEO_STEP_S = 2;

/** Seconds of media one scan covers: 60 frames at VIDEO_STEP_S. */
export const VIDEO_SEGMENT_S = 120;

/** The fragment that names a later segment of a video file: `#megane-from=<seconds>`. */
const SEGMENT_FRAGMENT = /#megane-from=(\d+)$/;

/**
 * The URL that asks for the segment of `url` starting at `from` seconds (the file's URL itself for 0).
 * A fragment the page put on the URL is dropped (fetch ignores it anyway): a page that names its video
 * `clip.mp4#megane-from=120` must not have its first two minutes skipped.
 */
export function segmentUrl(url: string, from: number): string {
  const file = url.split('#')[0] ?? url;
  return from > 0 ? `${file}#megane-from=${from}` : file;
}

/** Where the segment a URL names starts, in seconds (0 for a plain URL). */
export function segmentStart(url: string): number {
  const match = SEGMENT_FRAGMENT.exec(url);
  return match ? Number(match[1]) : 0;
}

/**
 * The times (seconds, ascending, distinct) to score in the segment starting at `from`: every `step`
 * seconds to the segment's end or the video's last moment, which is included. A video of unknown
 * length (`Infinity`, some live WebM) gets the segment's steps; the caller stops at its end.
 */
export function pickVideoTimes(duration: number, from = 0, step: number = VIDEO_STEP_S, segment: number = VIDEO_SEGMENT_S): number[] {
  if (!(duration > 0)) return from > 0 ? [] : [0];
  // The last frame starts a little before the end; seeking to the end itself shows nothing new.
  const last = Number.isFinite(duration) ? Math.max(0, duration - Math.min(0.05, duration / 2)) : Number.POSITIVE_INFINITY;
  if (from > last) return [];
  const end = Math.min(last, from + segment);
  const times: number[] = [];
  for (let t = from; t < end; t += step) times.push(t);
  if (end === last && times.at(-1) !== last) times.push(round(last));
  return times;
}

const round = (t: number) => Math.round(t * 1000) / 1000;
