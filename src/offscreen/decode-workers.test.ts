import { describe, expect, it } from 'vitest';
import type { DecodeMessage } from './decode-worker';
import { createDecodeWorkers } from './decode-workers';

/** A worker that answers only when the test says, and remembers whether it was terminated. */
class FakeWorker extends EventTarget {
  posted: DecodeMessage[] = [];
  terminated = false;
  postMessage(message: DecodeMessage) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  answer(data: object) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

function pool() {
  const started: FakeWorker[] = [];
  const workers = createDecodeWorkers(() => {
    const worker = new FakeWorker();
    started.push(worker);
    return worker as unknown as Worker;
  });
  return { workers, started };
}

const request = { size: 224, fit: 'stretch', quality: 'low' } as const;
const bitmap = { width: 224 } as ImageBitmap;

describe('createDecodeWorkers', () => {
  it('reuses a worker that answered', async () => {
    const { workers, started } = pool();
    const first = workers.decode(new Blob(['a']), request, new AbortController().signal);
    started[0]?.answer({ id: started[0].posted[0]?.id, bitmap });
    expect(await first).toBe(bitmap);
    const second = workers.decode(new Blob(['b']), request, new AbortController().signal);
    expect(started).toHaveLength(1);
    started[0]?.answer({ id: started[0].posted[1]?.id, error: 'decode failed: not an image' });
    await expect(second).rejects.toThrow('decode failed: not an image');
  });

  it('terminates the worker of a decode that runs out of time, and starts a fresh one next', async () => {
    const { workers, started } = pool();
    const controller = new AbortController();
    const decoding = workers.decode(new Blob(['bomb']), request, controller.signal);
    controller.abort();
    await expect(decoding).rejects.toThrow('timed out');
    expect(started[0]?.terminated).toBe(true);
    expect(workers.counts()).toEqual({ running: 0, idle: 0, terminated: 1 });
    void workers.decode(new Blob(['next']), request, new AbortController().signal);
    expect(started).toHaveLength(2);
  });

  it('answers a crashed worker with a decode failure and does not reuse it', async () => {
    const { workers, started } = pool();
    const decoding = workers.decode(new Blob(['x']), request, new AbortController().signal);
    started[0]?.dispatchEvent(Object.assign(new Event('error'), { message: 'out of memory' }));
    await expect(decoding).rejects.toThrow('decode failed: out of memory');
    expect(started[0]?.terminated).toBe(true);
  });
});
