// A model worker (entrypoints/inference-worker.ts): one instance of the NSFW model and its embedding
// heads, and of the detectors and the imported trained model once a tag rule needs them, scoring the
// batches the offscreen document's pool (inference-pool.ts) sends it, on the backend the document
// chose. WASM runs one thread per instance here (extension pages are not cross-origin isolated), so
// the pool runs one of these per core it may use; a GPU backend runs in one, which owns the device
// (its WebGL context on an OffscreenCanvas, or its WebGPU device) and says when it is lost. It runs
// from the extension's own URL: blob: workers are not allowed in extension pages, and the model files
// and .wasm binaries come from the same origin.
import { type Words, wordsOf } from '../messaging/words';
import type { Backend } from '../model/backends';
import type { ModelSpec } from '../model/catalog';
import type { Detector } from '../tags/vocabulary';
import { errorText } from '../util/checks';
import type { Fit, HostedDetector, HostedModel, HostedTrainedModel } from './model-host';

/** A model a worker runs beside the NSFW model: a detector, or an imported trained model (model3). */
export type ExtraModel = { kind: 'detector'; detector: Detector } | { kind: 'trained'; id: string };

/** What the document needs to know of a loaded extra model: the size its images are decoded at. */
export type ExtraInfo = { kind: 'detector'; decodeSize: number; fit: Fit } | { kind: 'trained'; inputSize: number; tags: string[] };

export type InferenceMessage =
  /** Starts `backend` before any model (the document's backend choice tries a GPU backend here). */
  | { type: 'start'; backend: Backend }
  /** Loads the NSFW model on `backend` (started first if 'start' did not). */
  | { type: 'load'; spec: ModelSpec; backend: Backend }
  /** Loads `extra` (once; a second load answers the first's info). */
  | { type: 'load-extra'; id: number; extra: ExtraModel }
  | { type: 'unload-extra'; extra: ExtraModel }
  /** Scores a batch on the NSFW model, or on `extra` when given. */
  | { type: 'predict'; id: number; bitmaps: ImageBitmap[]; extra?: ExtraModel };

/** Why a start or a load failed, and why a device was lost, are words the model's status shows (words.ts). */
export type InferenceReply =
  | { type: 'started' }
  | { type: 'start-failed'; error: Words }
  | { type: 'loaded' }
  /** The device under the loaded model went away (once): the document reloads the models. */
  | { type: 'device-lost'; why: Words }
  | { type: 'load-failed'; error: Words }
  | { type: 'extra-loaded'; id: number; info: ExtraInfo }
  /**
   * `predictions`: in the batch's order, what the model scored gives (Prediction, DetectorResult or
   * the trained model's tag scores). `tensors`: tfjs tensors alive in this worker after the batch
   * (the weights and nothing else, unless one leaks).
   */
  | { type: 'predicted'; id: number; predictions: unknown[]; tensors: number }
  /** A predict or load-extra that failed. */
  | { type: 'predict-failed'; id: number; error: string };

/** The worker's global scope, typed by hand: the project compiles against the DOM library, not WebWorker's. */
export interface InferenceScope {
  onmessage: ((event: MessageEvent<InferenceMessage>) => void) | null;
  postMessage(message: InferenceReply): void;
}

export interface InferenceWorkerDeps {
  /** Starts `backend` in this worker's tfjs, or throws why it could not. */
  start(backend: Backend): Promise<void>;
  /** Loads the model on the started backend. */
  load(spec: ModelSpec): Promise<HostedModel<ImageBitmap>>;
  /** Calls `onLost` once when the started backend's device goes away (backend-health.ts). */
  watchDevice(backend: Backend, onLost: (why: Words) => void): void;
  loadDetector(kind: Detector): Promise<HostedDetector<ImageBitmap>>;
  loadTrained(id: string): Promise<HostedTrainedModel<ImageBitmap>>;
  /** tfjs's count of live tensors (tf.memory().numTensors). */
  tensors(): number;
}

/** One name per extra model, for the worker's table of loaded ones. */
export const extraKey = (extra: ExtraModel): string => (extra.kind === 'detector' ? `detector:${extra.detector}` : `trained:${extra.id}`);

interface LoadedExtra {
  info: ExtraInfo;
  run(bitmaps: ImageBitmap[]): Promise<unknown[]>;
  dispose(): void;
}

/** Answers the pool's messages: one load, then extra loads and predicts, each answered by its id. */
export function startInferenceWorker(scope: InferenceScope, deps: InferenceWorkerDeps): void {
  let started: { backend: Backend; ready: Promise<void> } | null = null;
  let model: Promise<HostedModel<ImageBitmap>> | null = null;
  const extras = new Map<string, Promise<LoadedExtra>>();

  /**
   * One backend per worker, started once: tfjs has one global backend. Its device is watched from
   * then on, so a loss while the model loads is told too (the pool keeps it until the host watches).
   */
  const start = (backend: Backend): Promise<void> => {
    if (started && started.backend !== backend) return Promise.reject(new Error(`this model worker runs ${started.backend}`));
    if (!started) {
      const ready = deps.start(backend).then(() => deps.watchDevice(backend, (why) => scope.postMessage({ type: 'device-lost', why })));
      started = { backend, ready };
      ready.catch(() => {});
    }
    return started.ready;
  };

  const load = async (spec: ModelSpec, backend: Backend): Promise<HostedModel<ImageBitmap>> => {
    await start(backend);
    return deps.load(spec);
  };

  const loadExtra = async (extra: ExtraModel): Promise<LoadedExtra> => {
    // Extras run on the backend the NSFW model started.
    if (!model) throw new Error('no model loaded');
    await model;
    if (extra.kind === 'detector') {
      const detector = await deps.loadDetector(extra.detector);
      return {
        info: { kind: 'detector', decodeSize: detector.decodeSize, fit: detector.fit },
        run: (bitmaps) => detector.scoreBatch(bitmaps),
        dispose: () => detector.dispose(),
      };
    }
    const trained = await deps.loadTrained(extra.id);
    return {
      info: { kind: 'trained', inputSize: trained.inputSize, tags: [...trained.tags] },
      run: (bitmaps) => trained.predict(bitmaps),
      dispose: () => trained.dispose(),
    };
  };

  const extraFor = (extra: ExtraModel): Promise<LoadedExtra> => {
    const key = extraKey(extra);
    let loading = extras.get(key);
    if (!loading) {
      loading = loadExtra(extra);
      extras.set(key, loading);
      // A failed load is forgotten: the next asks again.
      loading.catch(() => extras.get(key) === loading && extras.delete(key));
    }
    return loading;
  };

  scope.onmessage = ({ data }) => {
    switch (data.type) {
      case 'start':
        start(data.backend).then(
          () => scope.postMessage({ type: 'started' }),
          (error: unknown) => scope.postMessage({ type: 'start-failed', error: wordsOf(error) }),
        );
        return;
      case 'load':
        model ??= load(data.spec, data.backend);
        model.then(
          () => scope.postMessage({ type: 'loaded' }),
          (error: unknown) => scope.postMessage({ type: 'load-failed', error: wordsOf(error) }),
        );
        return;
      case 'load-extra': {
        const { id } = data;
        extraFor(data.extra).then(
          ({ info }) => scope.postMessage({ type: 'extra-loaded', id, info }),
          (error: unknown) => scope.postMessage({ type: 'predict-failed', id, error: errorText(error) }),
        );
        return;
      }
      case 'unload-extra': {
        const key = extraKey(data.extra);
        const loading = extras.get(key);
        extras.delete(key);
        loading?.then((e) => e.dispose()).catch(() => {});
        return;
      }
      case 'predict': {
        const { id, bitmaps, extra } = data;
        if (!model) {
          bitmaps.forEach((b) => b.close());
          scope.postMessage({ type: 'predict-failed', id, error: 'no model loaded' });
          return;
        }
        const loaded = model;
        const run = extra ? extraFor(extra).then((e) => e.run(bitmaps)) : loaded.then((m): Promise<unknown[]> => m.predict(bitmaps));
        run.then(
          (predictions) => scope.postMessage({ type: 'predicted', id, predictions, tensors: deps.tensors() }),
          (error: unknown) => {
            bitmaps.forEach((b) => b.close());
            scope.postMessage({ type: 'predict-failed', id, error: errorText(error) });
          },
        );
        return;
      }
    }
  };
}
