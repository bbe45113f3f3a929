// The model workers (inference-worker.ts) as one hosted model: `size` instances of the same model
// (WASM: one per core it may use; a GPU backend: one, which owns the device), each scoring one batch
// at a time, so the model host runs `lanes` batches at once and the offscreen document's own thread
// stays free for fetching and decoding. The detectors and the
// imported trained model load into the same workers when a tag rule needs them, and their batches
// take a worker like the NSFW model's: one pool shares the cores, whichever model a batch is for.
// A worker that stops (crashed, out of memory) fails what it was scoring and every later predict, so
// the host's watchdog fails and the host reloads the models (a fresh pool); a worker whose device was
// lost says so (watchDevice), and the host reloads too. dispose() terminates the workers.
import type { Backend } from '../model/backends';
import type { ModelSpec } from '../model/catalog';
import type { TrainedScores } from '../messaging/background-offscreen';
import { type Words, WordsError, words } from '../messaging/words';
import type { DetectorResult, HostedModel, HostedTrainedModel, Prediction } from './model-host';
import type { ExtraInfo, ExtraModel, InferenceMessage, InferenceReply } from './inference-worker';

interface Lane {
  worker: Worker;
  busy: boolean;
  /** Live tensors in the worker after its last batch (null before the first). */
  tensors: number | null;
  pending: Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>;
}

/** A hosted model whose detectors and trained models run in the same workers as it. */
export type PooledModel = HostedModel<ImageBitmap> &
  Required<Pick<HostedModel<ImageBitmap>, 'loadDetector' | 'loadTrained' | 'watchDevice'>>;

/** `start` gives each lane its worker (a new one, or one that already started `backend`). */
export async function loadPooledModel(spec: ModelSpec, size: number, start: () => Worker, backend: Backend): Promise<PooledModel> {
  const lanes: Lane[] = [];
  const waiting: (() => void)[] = [];
  let broken: Error | null = null;
  let nextId = 0;
  /** Who watches the device: the host, once the model is ready. A loss before that waits for them. */
  let onLost: ((why: Words) => void) | null = null;
  let lostEarly: Words | null = null;
  const deviceLost = (why: Words) => {
    if (onLost) onLost(why);
    else lostEarly ??= why;
  };

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
        if (data.type === 'load-failed') return reject(new WordsError(data.error));
        if (data.type === 'device-lost') return deviceLost(data.why);
        if (data.type === 'started' || data.type === 'start-failed') return;
        const p = lane.pending.get(data.id);
        if (!p) return;
        lane.pending.delete(data.id);
        if (data.type === 'predicted') {
          lane.tensors = data.tensors;
          p.resolve(data.predictions);
        } else if (data.type === 'extra-loaded') p.resolve(data.info);
        else p.reject(new Error(data.error));
      });
      lane.worker.addEventListener('error', (event) => {
        const error = new WordsError(words('background.model.workerStopped', event.message || words('background.model.noReasonGiven')));
        reject(error);
        breakPool(error);
      });
      lane.worker.postMessage({ type: 'load', spec, backend } satisfies InferenceMessage);
    });
  });
  try {
    await Promise.all(loaded);
  } catch (error) {
    dispose();
    throw error;
  }

  /** Sends `lane` a message with a new id and waits for the reply to it. */
  const ask = (lane: Lane, message: (id: number) => InferenceMessage, transfer: Transferable[] = []): Promise<unknown> => {
    if (broken) return Promise.reject(broken);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      lane.pending.set(id, { resolve, reject });
      lane.worker.postMessage(message(id), transfer);
    });
  };

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

  /** Scores a batch on the first free worker, on the NSFW model or on `extra`. */
  const run = async (bitmaps: ImageBitmap[], extra?: ExtraModel): Promise<unknown[]> => {
    let lane: Lane;
    try {
      lane = await takeLane();
    } catch (error) {
      bitmaps.forEach((b) => b.close());
      throw error;
    }
    try {
      return (await ask(lane, (id) => ({ type: 'predict', id, bitmaps, ...(extra ? { extra } : {}) }), bitmaps)) as unknown[];
    } finally {
      lane.busy = false;
      waiting.shift()?.();
    }
  };

  /** Loads `extra` in every worker (any of them may get its next batch); answers what they say of it. */
  const loadExtra = async (extra: ExtraModel): Promise<{ info: ExtraInfo; dispose: () => void }> => {
    const infos = await Promise.all(lanes.map((lane) => ask(lane, (id) => ({ type: 'load-extra', id, extra }))));
    return {
      info: infos[0] as ExtraInfo,
      dispose: () => {
        if (broken) return;
        for (const lane of lanes) lane.worker.postMessage({ type: 'unload-extra', extra } satisfies InferenceMessage);
      },
    };
  };

  return {
    lanes: size,
    tensors: () => lanes.reduce((sum, lane) => sum + (lane.tensors ?? 0), 0),
    predict: (bitmaps) => run(bitmaps) as Promise<Prediction[]>,
    async loadDetector(detector) {
      const extra: ExtraModel = { kind: 'detector', detector };
      const { info, dispose: unload } = await loadExtra(extra);
      if (info.kind !== 'detector') throw new Error(`a model worker loaded ${info.kind} for a detector`);
      return {
        decodeSize: info.decodeSize,
        fit: info.fit,
        scoreBatch: (bitmaps) => run(bitmaps, extra) as Promise<DetectorResult[]>,
        dispose: unload,
      };
    },
    async loadTrained(id) {
      const extra: ExtraModel = { kind: 'trained', id };
      const { info, dispose: unload } = await loadExtra(extra);
      if (info.kind !== 'trained') throw new Error(`a model worker loaded ${info.kind} for a trained model`);
      return {
        inputSize: info.inputSize,
        tags: info.tags as HostedTrainedModel<ImageBitmap>['tags'],
        predict: (bitmaps) => run(bitmaps, extra) as Promise<TrainedScores['tags'][]>,
        dispose: unload,
      };
    },
    watchDevice(lost) {
      let watching = true;
      const once = (why: Words) => {
        if (!watching) return;
        watching = false;
        lost(why);
      };
      onLost = once;
      if (lostEarly !== null) once(lostEarly);
      return () => {
        watching = false;
      };
    },
    dispose,
  };
}
