// The model host: owns the loaded model and its backend, turns image jobs into scores. Images are
// fetched and decoded independently (each with its own time limit, so one slow image never holds
// back the others); decoded images that are ready together are scored in one batched predict.
import type { ImageJob, ModelConfig, ModelStatus, OffscreenResult } from '../messaging/background-offscreen';
import type { Backend, BackendChoice } from '../model/backends';
import { MODELS, type ModelSpec } from '../model/catalog';
import { createBatcher, type Batcher } from './micro-batcher';

/** What the host needs from the platform; the offscreen page wires tfjs and DOM decoding in. */
export interface ModelHostDeps<Pixels> {
  setupBackend(choice: BackendChoice): Promise<{ backend: Backend; reason: string }>;
  loadModel(spec: ModelSpec): Promise<HostedModel<Pixels>>;
  /** Fetches and decodes one image to spec.inputSize square pixels; throws a readable Error. */
  loadPixels(url: string, size: number, signal: AbortSignal): Promise<Pixels>;
  /** Frees decoded pixels that will not be scored. */
  release(pixels: Pixels): void;
}

export interface HostedModel<Pixels> {
  predict(batch: Pixels[]): Promise<{ classes: number[]; embedding: number[] }[]>;
  dispose(): void;
}

export interface ModelHostOptions {
  /** Time allowed to fetch and decode one image. */
  imageTimeoutMs: number;
  maxBatch: number;
  /** Images fetched and decoded at the same time. */
  maxConcurrentLoads: number;
}

interface Loaded<Pixels> {
  key: string;
  ready: Promise<{ model: HostedModel<Pixels>; batcher: Batcher<Pixels, { classes: number[]; embedding: number[] }> }>;
}

export function createModelHost<Pixels>(deps: ModelHostDeps<Pixels>, options: ModelHostOptions) {
  let current: Loaded<Pixels> | null = null;
  let status: ModelStatus = { model: 'mobilenet_v2_mid', state: 'idle', backend: null, reason: 'starts with the first image' };
  let loading = 0;
  const waiting: (() => void)[] = [];

  const ensureModel = (config: ModelConfig) => {
    const key = `${config.model}|${config.backend}`;
    if (current?.key === key) return current.ready;
    const previous = current;
    const spec = MODELS[config.model];
    status = { model: config.model, state: 'loading', backend: null, reason: 'choosing a backend' };
    const ready = (async () => {
      if (previous) await previous.ready.then(({ model }) => model.dispose()).catch(() => {});
      const { backend, reason } = await deps.setupBackend(config.backend);
      status = { model: config.model, state: 'loading', backend, reason };
      const model = await deps.loadModel(spec);
      status = { model: config.model, state: 'ready', backend, reason };
      const batcher = createBatcher<Pixels, { classes: number[]; embedding: number[] }>((batch) => model.predict(batch), {
        maxBatch: options.maxBatch,
      });
      return { model, batcher };
    })();
    ready.catch((error: unknown) => {
      if (current?.ready !== ready) return;
      status = { ...status, state: 'failed', error: errorMessage(error) };
      current = null; // the next image tries again
    });
    current = { key, ready };
    return ready;
  };

  // A small semaphore so a page with hundreds of images does not decode them all at once.
  const acquire = async () => {
    if (loading >= options.maxConcurrentLoads) await new Promise<void>((resolve) => waiting.push(resolve));
    loading++;
  };
  const releaseSlot = () => {
    loading--;
    waiting.shift()?.();
  };

  return {
    status: (): ModelStatus => status,
    async classify(config: ModelConfig, job: ImageJob): Promise<OffscreenResult> {
      const spec = MODELS[config.model];
      const modelReady = ensureModel(config);
      let pixels: Pixels;
      await acquire();
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        pixels = await Promise.race([
          deps.loadPixels(job.url, spec.inputSize, controller.signal),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              controller.abort();
              reject(new Error(`timed out after ${Math.round(options.imageTimeoutMs / 1000)} s`));
            }, options.imageTimeoutMs);
          }),
        ]);
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      } finally {
        clearTimeout(timer);
        releaseSlot();
      }
      try {
        const { batcher } = await modelReady;
        const { classes, embedding } = await batcher.add(pixels);
        return { ok: true, model: config.model, classes, embedding };
      } catch (error) {
        deps.release(pixels);
        return { ok: false, error: `model failed: ${errorMessage(error)}` };
      }
    },
  };
}

export type ModelHost = ReturnType<typeof createModelHost>;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
