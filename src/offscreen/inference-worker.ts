// A model worker (entrypoints/inference-worker.ts): one WASM instance of the NSFW model and its
// embedding heads, scoring the batches the offscreen document's pool (inference-pool.ts) sends it.
// WASM runs one thread per instance here (extension pages are not cross-origin isolated), so the pool
// runs one of these per core it may use. It runs from the extension's own URL: blob: workers are not
// allowed in extension pages, and the model files and .wasm binaries come from the same origin.
import type { ModelSpec } from '../model/catalog';
import { errorText } from '../util/checks';
import type { HostedModel, Prediction } from './model-host';

export type InferenceMessage = { type: 'load'; spec: ModelSpec } | { type: 'predict'; id: number; bitmaps: ImageBitmap[] };

export type InferenceReply =
  | { type: 'loaded' }
  | { type: 'load-failed'; error: string }
  /** `tensors`: tfjs tensors alive in this worker after the batch (the weights and nothing else, unless one leaks). */
  | { type: 'predicted'; id: number; predictions: Prediction[]; tensors: number }
  | { type: 'predict-failed'; id: number; error: string };

/** The worker's global scope, typed by hand: the project compiles against the DOM library, not WebWorker's. */
export interface InferenceScope {
  onmessage: ((event: MessageEvent<InferenceMessage>) => void) | null;
  postMessage(message: InferenceReply): void;
}

export interface InferenceWorkerDeps {
  /** Starts the backend and loads the model on it. */
  load(spec: ModelSpec): Promise<HostedModel<ImageBitmap>>;
  /** tfjs's count of live tensors (tf.memory().numTensors). */
  tensors(): number;
}

/** Answers the pool's messages: one load, then predicts, each answered by its id. */
export function startInferenceWorker(scope: InferenceScope, deps: InferenceWorkerDeps): void {
  let model: Promise<HostedModel<ImageBitmap>> | null = null;
  scope.onmessage = ({ data }) => {
    if (data.type === 'load') {
      model ??= deps.load(data.spec);
      model.then(
        () => scope.postMessage({ type: 'loaded' }),
        (error: unknown) => scope.postMessage({ type: 'load-failed', error: errorText(error) }),
      );
      return;
    }
    const { id, bitmaps } = data;
    if (!model) {
      bitmaps.forEach((b) => b.close());
      scope.postMessage({ type: 'predict-failed', id, error: 'no model loaded' });
      return;
    }
    model
      .then((m) => m.predict(bitmaps))
      .then(
        (predictions) => scope.postMessage({ type: 'predicted', id, predictions, tensors: deps.tensors() }),
        (error: unknown) => scope.postMessage({ type: 'predict-failed', id, error: errorText(error) }),
      );
  };
}
