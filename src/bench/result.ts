// What one bench page reports back to scripts/bench.mjs (as JSON on window.__benchResult). Plain data only.
import type { Backend } from '../model/backends';
import type { ModelId, NsfwClass } from '../model/catalog';
import type { BenchPlan } from './plan';

/** Mean and max of |ours - reference| over the images compared. */
export interface DeltaStats {
  mean: number;
  max: number;
}

export interface AgreementRow {
  /** Which of our preprocessing variants, e.g. "createImageBitmap high". */
  variant: string;
  nsfw: DeltaStats;
  classes: Record<NsfwClass, DeltaStats>;
  /** Image with the largest NSFW-score difference ('' when every difference is 0). */
  worstImage: string;
}

export interface AgreementResult {
  /** Images compared (those both paths decoded). */
  images: number;
  rows: AgreementRow[];
}

export interface ThroughputResult {
  batch: number;
  /** Timed predict calls (0 when skipped). */
  calls: number;
  imagesPerSecond: number;
  /** Set when the size was skipped because one call was estimated to take this long. */
  skippedEstimateMs?: number;
}

export interface NsfwjsResult {
  loadMs: number;
  images: number;
  imagesPerSecond: number;
}

export interface DecodeResult {
  images: number;
  /** fetch + createImageBitmap at model size + fromPixels + /255, mean ms per image. */
  oursMs: number;
  /** fetch + full-size <img> decode + fromPixels + /255 + resizeBilinear, mean ms per image. */
  nsfwjsMs: number;
  /** fetch alone (included in both above), mean ms per image. */
  fetchMs: number;
}

/** A section either ran or says why not. */
export type Section<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ModelResult {
  model: ModelId;
  /** loadNsfwModel: fetch weights, build, warm-up predict. */
  load: Section<{ ms: number }>;
  latency: Section<{ medianMs: number; runs: number }>;
  throughput: Section<ThroughputResult[]>;
  nsfwjs: Section<NsfwjsResult>;
  decode: Section<DecodeResult>;
  /** Only on the page asked to measure agreement. */
  agreement: Section<AgreementResult> | null;
}

export interface BackendResult {
  backend: Backend;
  /** 'absent': the browser does not offer it; 'failed': offered but did not start. */
  status: 'ok' | 'absent' | 'failed';
  /** setupBackend's reason, or why it is absent/failed. */
  reason: string;
  /** GPU adapter / renderer the backend runs on, '' for wasm/cpu. */
  device: string;
  plan: BenchPlan;
  models: ModelResult[];
}
