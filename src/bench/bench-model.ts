// Everything measured for one model on the page's backend. Each part is its own section, so one failure
// (say, nsfwjs on a backend it dislikes) still leaves the other numbers.
import type * as tf from '@tensorflow/tfjs';
import type { ModelId, ModelSpec } from '../model/catalog';
import type { NsfwModel } from '../model/nsfw-model';
import { measureAgreement } from './agreement';
import { decodeFullSize, decodeToPixels } from './decode';
import { measureDecode } from './decode-cost';
import { measureLatency, measureThroughput, timedLoad } from './model-speed';
import { loadNsfwjs, runNsfwjs } from './nsfwjs-path';
import { take, type BenchPlan } from './plan';
import type { ModelResult, NsfwjsResult, Section, ThroughputResult } from './result';
import { errorText } from '../util/checks';

export interface BenchImages {
  names: readonly string[];
  urls: readonly string[];
  /** Fetched once up front (the decode-cost runs fetch again: Megane's fetches bypass the HTTP cache). */
  blobs: readonly Blob[];
}

export interface ModelBenchContext {
  plan: BenchPlan;
  images: BenchImages;
  agreement: boolean;
  log: (line: string) => void;
}

async function section<T>(name: string, log: (line: string) => void, run: () => Promise<T>): Promise<Section<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    log(`${name} failed: ${errorText(err)}`);
    return { ok: false, error: errorText(err) };
  }
}

const needsModel = { ok: false, error: 'model did not load' } as const;
export const NOT_REACHED = 'not reached';
/** Start of the error of a section left out on purpose (too slow on this backend). */
export const SKIPPED = 'skipped';
const notReached = { ok: false, error: NOT_REACHED } as const;

/**
 * A result with nothing measured yet. benchModel fills it in as it goes, so a page that runs out of time
 * still reports the parts that finished.
 */
export function pendingModelResult(model: ModelId, agreement: boolean): ModelResult {
  const agreementSection = agreement ? notReached : null;
  return {
    model,
    load: notReached,
    latency: notReached,
    throughput: notReached,
    nsfwjs: notReached,
    decode: notReached,
    agreement: agreementSection,
  };
}

/** nsfwjs's speed, and its scores for every image in `fullSize` (the agreement reference). */
async function nsfwjsSection(
  spec: ModelSpec,
  plan: BenchPlan,
  fullSize: readonly HTMLImageElement[],
  log: (line: string) => void,
): Promise<{ section: Section<NsfwjsResult>; scores: number[][] | null }> {
  let scores: number[][] | null = null;
  const measured = await section('nsfwjs', log, async () => {
    const { nsfwjs, ms } = await loadNsfwjs(spec);
    try {
      const timedCount = plan.nsfwjsImages === 'all' ? fullSize.length : plan.nsfwjsImages;
      const run = await runNsfwjs(nsfwjs, fullSize, timedCount, plan);
      scores = run.scores;
      log(`nsfwjs: ${run.speed.imagesPerSecond.toFixed(2)} img/s over ${run.speed.images} images`);
      return { loadMs: ms, ...run.speed };
    } finally {
      nsfwjs.dispose();
    }
  });
  return { section: measured, scores };
}

export async function benchModel(spec: ModelSpec, ctx: ModelBenchContext, result: ModelResult): Promise<void> {
  const { plan, images } = ctx;
  const log = (line: string) => ctx.log(`${spec.id}: ${line}`);
  const size = spec.inputSize;

  // Decoded beforehand: model-size pixels for our predict, full-size <img>s for nsfwjs.
  const pixels: tf.Tensor3D[] = await Promise.all(take(images.blobs, Math.max(...plan.batchSizes)).map((b) => decodeToPixels(b, size)));
  const fullSize = await Promise.all(take(images.blobs, ctx.agreement ? 'all' : plan.nsfwjsImages).map(decodeFullSize));
  log(`decoded ${pixels.length} + ${fullSize.length} images`);

  const loaded = await section('load', log, () => timedLoad(spec));
  const model: NsfwModel | null = loaded.ok ? loaded.value.model : null;
  result.load = loaded.ok ? { ok: true, value: { ms: loaded.value.ms } } : loaded;
  log(loaded.ok ? `loaded in ${loaded.value.ms.toFixed(0)} ms` : 'did not load');
  result.latency = model === null ? needsModel : await section('latency', log, () => measureLatency(model, pixels, plan));
  const latencyMs = result.latency.ok ? result.latency.value.medianMs : null;
  if (model === null) result.throughput = needsModel;
  else {
    // Rows appear as each batch size finishes.
    const rows: ThroughputResult[] = [];
    result.throughput = { ok: true, value: rows };
    const done = await section('throughput', log, () => measureThroughput(model, pixels, plan, latencyMs, (row) => rows.push(row), log));
    if (!done.ok) result.throughput = done;
  }
  pixels.forEach((t) => t.dispose());

  // On a backend this slow nsfwjs's load and first image would each take as long again: only worth it as the agreement reference.
  const nsfwjsRun =
    latencyMs !== null && latencyMs > plan.maxBatchSizeMs && !ctx.agreement
      ? { section: { ok: false, error: `${SKIPPED}: ~${Math.round(latencyMs / 1000)} s per image` } as const, scores: null }
      : await nsfwjsSection(spec, plan, fullSize, log);
  result.nsfwjs = nsfwjsRun.section;

  if (ctx.agreement) {
    const scores = nsfwjsRun.scores;
    result.agreement =
      model === null
        ? needsModel
        : scores === null
          ? { ok: false, error: 'nsfwjs gave no reference scores' }
          : await section('agreement', log, () =>
              measureAgreement(model, { names: images.names, blobs: images.blobs, fullSize, reference: scores }, log),
            );
  }
  model?.dispose();

  result.decode = await section('decode', log, () => measureDecode(take(images.urls, plan.decodeImages), size));
}
