// Which moments of a video get scored. The promise is that a frame that should be hidden is never
// shown: a clip is scanned before it shows, one frame every VIDEO_STEP_S seconds of media, so nothing
// lasting longer than that can pass between two looks. A longer video is bounded by MAX_VIDEO_FRAMES
// spread evenly over its whole length (docs/models.md, "Video", has the cost and this limit).

/** Seconds of media between two scored frames. */
export const VIDEO_STEP_S = 2;

/** Frames scored per video at most: VIDEO_STEP_S apart covers the first 2 minutes of a video. */
export const MAX_VIDEO_FRAMES = 60;

/**
 * The times (seconds, ascending, distinct) to score: 0, then every `step` seconds, then the last
 * moment, for a video of at most `max` frames at that step; otherwise `max` times evenly spread from
 * the start to the last moment. A video of unknown length (`Infinity`, some live WebM) gets the
 * first `max` steps; the caller stops at its end.
 */
export function pickVideoTimes(duration: number, step: number = VIDEO_STEP_S, max: number = MAX_VIDEO_FRAMES): number[] {
  const k = Math.max(1, Math.floor(max));
  if (!(duration > 0)) return [0];
  if (!Number.isFinite(duration)) return Array.from({ length: k }, (_, i) => i * step);
  // The last frame starts a little before the end; seeking to the end itself shows nothing new.
  const last = Math.max(0, duration - Math.min(0.05, duration / 2));
  if (k === 1) return [0];
  const steps = Math.ceil(last / step);
  if (steps + 1 <= k) {
    const times = Array.from({ length: steps }, (_, i) => i * step);
    if (times.at(-1) !== last) times.push(last);
    return times;
  }
  return Array.from({ length: k }, (_, i) => round((i * last) / (k - 1)));
}

const round = (t: number) => Math.round(t * 1000) / 1000;
