// A model worker double (for inference-pool.ts and model-placement.ts) that answers like
// inference-worker.ts, with its predicts held until `finish`.
import type { ExtraInfo, InferenceMessage, InferenceReply } from '../../src/offscreen/inference-worker';
import { extraKey } from '../../src/offscreen/inference-worker';
import type { Prediction } from '../../src/offscreen/model-host';

export class FakeModelWorker extends EventTarget {
  terminated = false;
  held: { id: number; count: number; extra: string }[] = [];
  /** What each worker was told to load or unload beside the model. */
  extras: string[] = [];
  /** The backends it was told to start, then to load the model on. */
  starts: string[] = [];
  loads: string[] = [];
  private readonly loadError: string | null;
  private readonly startError: string | null;
  /** Never answers a start (a driver that hangs asking for a device). */
  private readonly hangStart: boolean;
  constructor(options: { loadError?: string | null; startError?: string | null; hangStart?: boolean } = {}) {
    super();
    this.loadError = options.loadError ?? null;
    this.startError = options.startError ?? null;
    this.hangStart = options.hangStart ?? false;
  }
  postMessage(message: InferenceMessage) {
    if (message.type === 'start') {
      this.starts.push(message.backend);
      if (this.hangStart) return;
      queueMicrotask(() => this.reply(this.startError === null ? { type: 'started' } : { type: 'start-failed', error: this.startError }));
    } else if (message.type === 'load') {
      this.loads.push(message.backend);
      queueMicrotask(() => this.reply(this.loadError === null ? { type: 'loaded' } : { type: 'load-failed', error: this.loadError }));
    } else if (message.type === 'load-extra') {
      this.extras.push(`load ${extraKey(message.extra)}`);
      const info: ExtraInfo =
        message.extra.kind === 'detector'
          ? { kind: 'detector', decodeSize: 512, fit: 'contain' }
          : { kind: 'trained', inputSize: 224, tags: ['cat'] };
      queueMicrotask(() => this.reply({ type: 'extra-loaded', id: message.id, info }));
    } else if (message.type === 'unload-extra') this.extras.push(`unload ${extraKey(message.extra)}`);
    else this.held.push({ id: message.id, count: message.bitmaps.length, extra: message.extra ? extraKey(message.extra) : 'nsfw' });
  }
  finish() {
    const { id, count, extra } = this.held.shift() as { id: number; count: number; extra: string };
    const predictions: unknown[] = Array.from({ length: count }, () =>
      extra === 'nsfw' ? ({ classes: [1, 0, 0, 0, 0], embedding: [], tags: {} } satisfies Prediction) : { tags: { [extra]: 1 } },
    );
    this.reply({ type: 'predicted', id, predictions, tensors: 100 + count });
  }
  loseDevice(why: string) {
    this.reply({ type: 'device-lost', why });
  }
  crash() {
    this.dispatchEvent(Object.assign(new Event('error'), { message: 'out of memory' }));
  }
  terminate() {
    this.terminated = true;
  }
  private reply(data: InferenceReply) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}
