// Where the NSFW model (and with it the detectors and an imported trained model) runs for each
// backend, so the offscreen document's own thread only fetches and decodes:
// - WASM: a pool of model workers, one per core it may use (worker-count.ts);
// - a GPU backend (WebGPU, WebGL): one model worker that owns the device. The backend choice
//   (setup-backend.ts) starts it there, so a GPU that refuses a worker its device falls through to the
//   next backend as one that refuses the document would; the model then loads in that same worker;
// - the CPU fallback: the document itself.
// The document's own tfjs runs WASM (or the CPU) in every case, for what it computes itself (the
// personal model's training on stored embeddings).
import { type Words, words, wordsOf } from '../messaging/words';
import type { Backend } from '../model/backends';
import type { ModelSpec } from '../model/catalog';
import { loadPooledModel } from './inference-pool';
import type { InferenceMessage, InferenceReply } from './inference-worker';
import type { HostedModel } from './model-host';

/** Backends whose device a model worker owns. */
export const runsOnDevice = (backend: Backend): boolean => backend === 'webgpu' || backend === 'webgl';

export interface PlacementDeps {
  /** A new model worker (entrypoints/inference-worker.ts). */
  newWorker(): Worker;
  /** Model workers for WASM, from ModelConfig's `workers` (modelWorkerCount). */
  wasmWorkers(workers: number): number;
  /** Starts a backend in the document's tfjs; null on success, else why it failed (startHere). */
  startHere(backend: Backend): Promise<Words | null>;
  /** Loads the model in the document, on its started backend. */
  loadHere(spec: ModelSpec): Promise<HostedModel<ImageBitmap>>;
  /** The backend the document's own tfjs runs now, null before one started (tf.getBackend). */
  runningHere(): string | null;
  /** Time a model worker gets to start a GPU backend before it counts as failed (default 30 s). */
  startTimeoutMs?: number;
}

export interface ModelPlacement {
  /** setupBackend's `start`: starts `backend` where the model will run; null on success, else why not. */
  start(backend: Backend): Promise<Words | null>;
  /** Loads the model where `backend` runs it (which `start` started). */
  load(spec: ModelSpec, backend: Backend, workers: number): Promise<HostedModel<ImageBitmap>>;
  /**
   * Makes sure the document's own tfjs runs WASM or the CPU before it computes (the personal model's
   * training): before any model load, or after a reset dropped it, tfjs would pick a GPU backend itself.
   */
  readyHere(): Promise<void>;
}

export function createModelPlacement(deps: PlacementDeps): ModelPlacement {
  /** The worker that started a GPU backend, kept for the load that follows. */
  let started: { backend: Backend; worker: Worker } | null = null;

  const dropStarted = () => {
    started?.worker.terminate();
    started = null;
  };

  /** Asks a new worker to start `backend`; null and the worker kept, or why it failed. */
  const startInWorker = async (backend: Backend): Promise<Words | null> => {
    dropStarted();
    const worker = deps.newWorker();
    const limitMs = deps.startTimeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const error = await new Promise<Words | null>((resolve) => {
      worker.addEventListener('message', ({ data }: MessageEvent<InferenceReply>) => {
        if (data.type === 'started') resolve(null);
        else if (data.type === 'start-failed') resolve(data.error);
      });
      worker.addEventListener('error', (event) =>
        resolve(words('background.backend.workerStopped', event.message || words('background.model.noReasonGiven'))),
      );
      // A driver can hang asking for a device: the choice then moves on instead of waiting forever.
      timer = setTimeout(() => resolve(words('background.backend.startTimeout', String(Math.round(limitMs / 1000)))), limitMs);
      worker.postMessage({ type: 'start', backend } satisfies InferenceMessage);
    }).finally(() => clearTimeout(timer));
    if (error !== null) {
      worker.terminate();
      return error;
    }
    started = { backend, worker };
    return null;
  };

  /** The document's own tfjs: WASM, else the CPU. */
  const startDocument = async (): Promise<void> => {
    if ((await deps.startHere('wasm')) !== null) await deps.startHere('cpu');
  };

  return {
    async start(backend) {
      if (!runsOnDevice(backend)) {
        dropStarted();
        return deps.startHere(backend);
      }
      try {
        const error = await startInWorker(backend);
        if (error === null) await startDocument();
        return error;
      } catch (error) {
        return wordsOf(error);
      }
    },
    load(spec, backend, workers) {
      if (backend === 'cpu') return deps.loadHere(spec);
      if (backend === 'wasm') return loadPooledModel(spec, deps.wasmWorkers(workers), deps.newWorker, backend);
      const take = () => {
        if (started?.backend !== backend) dropStarted();
        const worker = started?.worker ?? deps.newWorker();
        started = null;
        return worker;
      };
      return loadPooledModel(spec, 1, take, backend);
    },
    async readyHere() {
      const here = deps.runningHere();
      if (here !== 'wasm' && here !== 'cpu') await startDocument();
    },
  };
}
