// The model workers (inference-worker.ts) as one hosted model: `size` WASM instances of the same
// model, each scoring one batch at a time, so the model host runs `lanes` batches at once and the
// offscreen document's own thread stays free for fetching and decoding. A worker that stops (crashed,
// out of memory) fails what it was scoring and every later predict, so the host's watchdog fails and
// the host reloads the models (a fresh pool); dispose() terminates the workers.
import type { ModelSpec } from '../model/catalog';
import type { HostedModel, Prediction } from './model-host';
import type { InferenceMessage, InferenceReply } from './inference-worker';

interface Lane {
  worker: Worker;
  busy: boolean;
  /** Live tensors in the worker after its last batch (null before the first). */
  tensors: number | null;
  pending: Map<number, { resolve: (p: Prediction[]) => void; reject: (e: Error) => void }>;
}

export async function loadPooledModel(spec: ModelSpec, size: number, start: () => Worker): Promise<HostedModel<ImageBitmap>> {
  const lanes: Lane[] = [];
  const waiting: (() => void)[] = [];
  let broken: Error | null = null;
  let nextId = 0;

  const breakPool = (error: Error) => {
    broken ??= error;
    for (const lane of lanes) {
      for (const p of lane.pending.values()) p.reject(broken);
      lane.pending.clear();
    }
    waiting.splice(0).forEach((wake) => wake());
  };

  const dispose = () => {
    breakPool(new Error('the model was unloaded'));
    for (const lane of lanes) lane.worker.terminate();
  };

  const loaded = Array.from({ length: size }, () => {
    const lane: Lane = { worker: start(), busy: false, tensors: null, pending: new Map() };
    lanes.push(lane);
    return new Promise<void>((resolve, reject) => {
      lane.worker.addEventListener('message', ({ data }: MessageEvent<InferenceReply>) => {
        if (data.type === 'loaded') return resolve();
        if (data.type === 'load-failed') return reject(new Error(data.error));
        const p = lane.pending.get(data.id);
        if (!p) return;
        lane.pending.delete(data.id);
        if (data.type === 'predicted') {
          lane.tensors = data.tensors;
          p.resolve(data.predictions);
        } else p.reject(new Error(data.error));
      });
      lane.worker.addEventListener('error', (event) => {
        const error = new Error(`a model worker stopped (${event.message || 'no reason given'})`);
        reject(error);
        breakPool(error);
      });
      lane.worker.postMessage({ type: 'load', spec } satisfies InferenceMessage);
    });
  });
  try {
    await Promise.all(loaded);
  } catch (error) {
    dispose();
    throw error;
  }

  /** Takes a free worker (marked busy before anyone else can look), waiting for one when all are busy. */
  const takeLane = async (): Promise<Lane> => {
    for (;;) {
      if (broken) throw broken;
      const lane = lanes.find((l) => !l.busy);
      if (lane) {
        lane.busy = true;
        return lane;
      }
      await new Promise<void>((wake) => waiting.push(wake));
    }
  };

  return {
    lanes: size,
    tensors: () => lanes.reduce((sum, lane) => sum + (lane.tensors ?? 0), 0),
    async predict(bitmaps) {
      let lane: Lane;
      try {
        lane = await takeLane();
      } catch (error) {
        bitmaps.forEach((b) => b.close());
        throw error;
      }
      const id = nextId++;
      try {
        return await new Promise<Prediction[]>((resolve, reject) => {
          lane.pending.set(id, { resolve, reject });
          lane.worker.postMessage({ type: 'predict', id, bitmaps } satisfies InferenceMessage, bitmaps);
        });
      } finally {
        lane.busy = false;
        waiting.shift()?.();
      }
    },
    dispose,
  };
}
