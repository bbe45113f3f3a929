// Our model host's speed: load (with warm-up), warm single-image latency and batched throughput, timing
// only predict on images decoded beforehand.
import type * as tf from '@tensorflow/tfjs';
import { modelPath, type ModelSpec } from '../model/catalog';
import { loadNsfwModel, type NsfwModel } from '../model/nsfw-model';
import { callsFor, type BenchPlan } from './plan';
import type { ThroughputResult } from './result';
import { median } from './stats';
import { timeCalls } from './timing';
import { extensionUrl } from '../util/extension-url';

/** loadNsfwModel exactly as the offscreen host calls it (src/offscreen/bitmap-model.ts). */
export async function timedLoad(spec: ModelSpec): Promise<{ model: NsfwModel; ms: number }> {
  const t0 = performance.now();
  const model = await loadNsfwModel({ spec, modelUrl: extensionUrl(modelPath(spec.id)) });
  return { model, ms: performance.now() - t0 };
}

/** Median ms of `plan.latencyRuns` one-image predict calls on the first image, after one untimed call. */
export async function measureLatency(
  model: NsfwModel,
  images: readonly tf.Tensor3D[],
  plan: BenchPlan,
): Promise<{ medianMs: number; runs: number }> {
  const image = images[0];
  if (image === undefined) throw new Error('no decoded images');
  await model.predict([image]);
  const timed = await timeCalls(() => model.predict([image]), plan.latencyRuns, plan.loopBudgetMs);
  return { medianMs: median(timed.samplesMs), runs: timed.calls };
}

/** `batch` images taken round-robin from `images`, starting at `offset`. */
function batchOf(images: readonly tf.Tensor3D[], batch: number, offset: number): tf.Tensor3D[] {
  return Array.from({ length: batch }, (_, i) => images[(offset + i) % images.length]).filter((t): t is tf.Tensor3D => t !== undefined);
}

/**
 * Images per second at each batch size, timed calls over different images, reported through `onRow` as
 * each size finishes. With plan.warmEachBatch one untimed call comes first at each size (new shapes
 * compile new kernels on GPU backends). A size that would take longer than plan.maxBatchSizeMs to
 * measure, judging by `latencyMs` or the size before, is skipped (the row says so).
 */
export async function measureThroughput(
  model: NsfwModel,
  images: readonly tf.Tensor3D[],
  plan: BenchPlan,
  latencyMs: number | null,
  onRow: (row: ThroughputResult) => void,
  log: (line: string) => void,
): Promise<void> {
  if (images.length === 0) throw new Error('no decoded images');
  let msPerImage = latencyMs ?? 0;
  for (const batch of plan.batchSizes) {
    const estimateMs = msPerImage * batch;
    if (estimateMs * (plan.warmEachBatch ? 2 : 1) > plan.maxBatchSizeMs) {
      log(`batch ${batch}: skipped, one call would take ~${(estimateMs / 1000).toFixed(0)} s`);
      onRow({ batch, calls: 0, imagesPerSecond: 0, skippedEstimateMs: estimateMs });
      continue;
    }
    if (plan.warmEachBatch) await model.predict(batchOf(images, batch, 0));
    const timed = await timeCalls(
      (i) => model.predict(batchOf(images, batch, (i + 1) * batch)),
      callsFor(plan.imagesPerBatchSize, batch),
      plan.loopBudgetMs,
    );
    msPerImage = timed.totalMs / (batch * timed.calls);
    const imagesPerSecond = 1000 / msPerImage;
    log(`batch ${batch}: ${timed.calls} call(s), ${imagesPerSecond.toFixed(2)} img/s`);
    onRow({ batch, calls: timed.calls, imagesPerSecond });
  }
}
