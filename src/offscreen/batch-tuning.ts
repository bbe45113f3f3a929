// On a GPU the batch size is measured when the model loads, not assumed: one predict of n images
// costs an upload, a dispatch and a readback, so how many images a batch should hold depends on the
// device (a discrete GPU gains up to 32; a software renderer may gain nothing). The host times the
// watchdog's known image at growing batch sizes within a small budget and keeps the size with the
// fewest milliseconds per image. On WASM one image per call was measured fastest (batch-size.ts), so
// nothing is measured there.

export interface BatchTiming {
  size: number;
  msPerImage: number;
}

/** Sizes tried, smallest first; measuring stops at the first that is slower per image than the one before. */
export const BATCH_CANDIDATES = [1, 4, 8, 16, 32] as const;

/**
 * A larger batch must be this much faster per image to be chosen: a bigger batch also makes each
 * image wait for the others, so a gain within the noise is not worth it.
 */
const GAIN_NEEDED = 0.1;

/** The size with the fewest ms per image, preferring the smaller one unless the larger is clearly faster. */
export function chooseBatchSize(timings: readonly BatchTiming[]): number {
  let best: BatchTiming | undefined;
  for (const timing of [...timings].sort((a, b) => a.size - b.size)) {
    if (!Number.isFinite(timing.msPerImage) || timing.msPerImage <= 0) continue;
    if (!best || timing.msPerImage < best.msPerImage * (1 - GAIN_NEEDED)) best = timing;
  }
  return best?.size ?? 1;
}

export interface MeasureOptions {
  /** The largest size worth trying (the backend's cap). */
  maxSize: number;
  /** Time the whole measurement may take; the size being timed when it runs out is the last. */
  budgetMs: number;
  now?: () => number;
}

/**
 * Times `run(n)` (one predict of n images, awaited to its readback) for each candidate size up to
 * `maxSize`, after one untimed call at size 1 (the first call compiles the kernels). Stops early when a
 * size is slower per image than the one before, or when the budget is spent.
 */
export async function measureBatchSizes(
  run: (size: number) => Promise<void>,
  { maxSize, budgetMs, now = () => performance.now() }: MeasureOptions,
): Promise<BatchTiming[]> {
  const start = now();
  await run(1);
  const timings: BatchTiming[] = [];
  for (const size of BATCH_CANDIDATES) {
    if (size > maxSize) break;
    if (now() - start > budgetMs) break;
    const before = now();
    await run(size);
    const timing = { size, msPerImage: (now() - before) / size };
    timings.push(timing);
    const previous = timings.at(-2);
    if (previous && timing.msPerImage >= previous.msPerImage) break;
  }
  return timings;
}
