// Which frames of an animation get scored: a bounded number, spread evenly over its frames, the first
// and the last always among them, so a picture that appears late in the loop is seen.

/**
 * Frames scored per animated image. Each costs one decode and one model input (in the same batch as
 * the others); docs/models.md ("Animated images") has the measured cost.
 */
export const MAX_FRAMES = 8;

/**
 * Indices of the frames to score, ascending: every frame when there are at most `max`, otherwise `max`
 * frames evenly spread over the indices, first and last included. Spread over frames rather than over
 * time: a frame's duration is only known once it is decoded, and decoding all of them to find out is
 * the cost this bound avoids.
 */
export function pickFrames(count: number, max: number = MAX_FRAMES): number[] {
  const n = Math.max(0, Math.floor(count));
  const k = Math.max(1, Math.floor(max));
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  if (k === 1) return [0];
  return Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / (k - 1)));
}
