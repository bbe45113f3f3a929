// How much work the bench does on each backend. On a machine without a GPU, WebGPU and WebGL run on
// SwiftShader (seconds per image) and the CPU backend is plain JS, so they get far fewer iterations than
// WASM; the report prints the plan so nobody mistakes a 1-call figure for a careful one.
import type { Backend } from '../model/backends';

export interface BenchPlan {
  /** Timed single-image predict calls after one untimed call; the latency is their median. */
  latencyRuns: number;
  /** Batch sizes measured for throughput. */
  batchSizes: number[];
  /** Timed images per batch size (rounded up to whole calls, at least one call). */
  imagesPerBatchSize: number;
  /** One untimed call before timing each batch size: new shapes compile new kernels on GPU backends. */
  warmEachBatch: boolean;
  /**
   * Skip a batch size if measuring it (the untimed call, if any, plus one timed call) is estimated, from the
   * latency or the size before, to take longer than this.
   */
  maxBatchSizeMs: number;
  /** Images nsfwjs classifies one at a time for its throughput ('all': the whole gallery). */
  nsfwjsImages: number | 'all';
  /** Images per path for the decode cost ('all': the whole gallery). */
  decodeImages: number | 'all';
  /** A timed loop stops early once it has run this long (after at least one call). */
  loopBudgetMs: number;
}

const BATCH_SIZES = [1, 8, 32];

export const PLANS: Record<Backend, BenchPlan> = {
  wasm: {
    latencyRuns: 15,
    batchSizes: BATCH_SIZES,
    imagesPerBatchSize: 64,
    warmEachBatch: true,
    maxBatchSizeMs: 60_000,
    nsfwjsImages: 'all',
    decodeImages: 'all',
    loopBudgetMs: 20_000,
  },
  webgl: {
    latencyRuns: 3,
    batchSizes: BATCH_SIZES,
    imagesPerBatchSize: 8,
    warmEachBatch: true,
    maxBatchSizeMs: 60_000,
    nsfwjsImages: 4,
    decodeImages: 8,
    loopBudgetMs: 8_000,
  },
  // No kernels to compile, so no untimed call per batch size.
  cpu: {
    latencyRuns: 3,
    batchSizes: BATCH_SIZES,
    imagesPerBatchSize: 8,
    warmEachBatch: false,
    maxBatchSizeMs: 45_000,
    nsfwjsImages: 4,
    decodeImages: 8,
    loopBudgetMs: 8_000,
  },
  // 4-20 s per image on SwiftShader: one timed call per measurement; batch 8/32 only if a call fits in 40 s.
  webgpu: {
    latencyRuns: 1,
    batchSizes: BATCH_SIZES,
    imagesPerBatchSize: 1,
    warmEachBatch: false,
    maxBatchSizeMs: 40_000,
    nsfwjsImages: 1,
    decodeImages: 2,
    loopBudgetMs: 8_000,
  },
};

/** Number of timed calls for `images` images at batch size `batch`: whole calls, at least one. */
export function callsFor(images: number, batch: number): number {
  return Math.max(1, Math.ceil(images / batch));
}

/** The first `count` items ('all': every item). */
export function take<T>(items: readonly T[], count: number | 'all'): T[] {
  return count === 'all' ? [...items] : items.slice(0, count);
}
