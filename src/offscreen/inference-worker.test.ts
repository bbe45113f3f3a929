import { describe, expect, it } from 'vitest';
import type { Backend } from '../model/backends';
import { MODELS } from '../model/catalog';
import { type InferenceMessage, type InferenceReply, type InferenceScope, startInferenceWorker } from './inference-worker';

function worker(
  load: () => Promise<unknown>,
  loadDetector: () => Promise<unknown> = () => Promise.reject(new Error('none')),
  start: (backend: Backend) => Promise<void> = async () => {},
) {
  const replies: InferenceReply[] = [];
  const scope: InferenceScope = { onmessage: null, postMessage: (m) => void replies.push(m) };
  const starts: Backend[] = [];
  let loseDevice: (why: string) => void = () => {};
  startInferenceWorker(scope, {
    start: (backend) => {
      starts.push(backend);
      return start(backend);
    },
    load: load as never,
    watchDevice: (_backend, onLost) => {
      loseDevice = onLost;
    },
    loadDetector: loadDetector as never,
    loadTrained: () => Promise.reject(new Error('no such trained model')),
    tensors: () => 42,
  });
  const send = async (data: InferenceMessage) => {
    scope.onmessage?.(new MessageEvent('message', { data }));
    await new Promise((r) => setTimeout(r, 0));
  };
  return { replies, send, starts, loseDevice: (why: string) => loseDevice(why) };
}
const bitmap = () => ({ close() {} }) as unknown as ImageBitmap;

describe('startInferenceWorker', () => {
  it('loads once, then answers each predict by its id with the tensors left after it', async () => {
    const model = { predict: async (b: unknown[]) => b.map(() => ({ classes: [1, 0, 0, 0, 0], embedding: [], tags: {} })), dispose() {} };
    const { replies, send } = worker(async () => model);
    await send({ type: 'predict', id: 1, bitmaps: [bitmap()] });
    await send({ type: 'load', spec: MODELS.mobilenet_v2_mid, backend: 'wasm' });
    await send({ type: 'predict', id: 2, bitmaps: [bitmap(), bitmap()] });
    expect(replies).toEqual([
      { type: 'predict-failed', id: 1, error: 'no model loaded' },
      { type: 'loaded' },
      { type: 'predicted', id: 2, predictions: [expect.anything(), expect.anything()], tensors: 42 },
    ]);
  });

  it('says why the model did not load, and fails predicts with the same reason', async () => {
    const { replies, send } = worker(async () => {
      throw new Error('WASM failed to start (no binary)');
    });
    await send({ type: 'load', spec: MODELS.mobilenet_v2_mid, backend: 'wasm' });
    await send({ type: 'predict', id: 3, bitmaps: [bitmap()] });
    expect(replies).toEqual([
      { type: 'load-failed', error: 'WASM failed to start (no binary)' },
      { type: 'predict-failed', id: 3, error: 'WASM failed to start (no binary)' },
    ]);
  });

  it('loads a detector once, after the model, and scores batches on it by name', async () => {
    const model = { predict: async () => [], dispose() {} };
    let loads = 0;
    const detector = {
      decodeSize: 512,
      fit: 'contain',
      scoreBatch: async (b: unknown[]) => b.map(() => ({ tags: { face: 0.9 } })),
      dispose() {},
    };
    const { replies, send } = worker(
      async () => model,
      async () => {
        loads++;
        return detector;
      },
    );
    const faces = { kind: 'detector', detector: 'faces' } as const;
    await send({ type: 'load-extra', id: 1, extra: faces });
    await send({ type: 'load', spec: MODELS.mobilenet_v2_mid, backend: 'wasm' });
    await send({ type: 'load-extra', id: 2, extra: faces });
    await send({ type: 'load-extra', id: 3, extra: faces });
    await send({ type: 'predict', id: 4, bitmaps: [bitmap()], extra: faces });
    await send({ type: 'predict', id: 5, bitmaps: [bitmap()], extra: { kind: 'trained', id: 'gone' } });
    expect(replies).toEqual([
      { type: 'predict-failed', id: 1, error: 'no model loaded' },
      { type: 'loaded' },
      { type: 'extra-loaded', id: 2, info: { kind: 'detector', decodeSize: 512, fit: 'contain' } },
      { type: 'extra-loaded', id: 3, info: { kind: 'detector', decodeSize: 512, fit: 'contain' } },
      { type: 'predicted', id: 4, predictions: [{ tags: { face: 0.9 } }], tensors: 42 },
      { type: 'predict-failed', id: 5, error: 'no such trained model' },
    ]);
    expect(loads).toBe(1);
  });

  it('starts the backend it is asked to once, loads on it, and says when its device is lost', async () => {
    const model = { predict: async () => [], dispose() {} };
    const { replies, send, starts, loseDevice } = worker(async () => model);
    await send({ type: 'start', backend: 'webgl' });
    await send({ type: 'load', spec: MODELS.mobilenet_v2_mid, backend: 'webgl' });
    loseDevice('the WebGL context was lost');
    expect(starts).toEqual(['webgl']);
    expect(replies).toEqual([{ type: 'started' }, { type: 'loaded' }, { type: 'device-lost', why: 'the WebGL context was lost' }]);
  });

  it('says why a backend did not start, and refuses a second backend', async () => {
    const failing = worker(
      async () => ({}),
      undefined,
      async () => {
        throw new Error('WebGPU failed to start (no adapter)');
      },
    );
    await failing.send({ type: 'start', backend: 'webgpu' });
    expect(failing.replies).toEqual([{ type: 'start-failed', error: 'WebGPU failed to start (no adapter)' }]);
    const { replies, send } = worker(async () => ({ predict: async () => [], dispose() {} }));
    await send({ type: 'start', backend: 'webgl' });
    await send({ type: 'start', backend: 'wasm' });
    expect(replies).toEqual([{ type: 'started' }, { type: 'start-failed', error: 'this model worker runs webgl' }]);
  });
});
