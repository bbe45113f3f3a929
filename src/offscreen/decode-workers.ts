// A small pool of decode workers (decode-worker.ts). Each decode takes an idle worker or starts one;
// a decode that is aborted (its time limit ran out) terminates its worker, which stops the decode for
// real and frees its memory, and the next decode starts a fresh one.
import type { DecodeRequest } from './decode-bitmap';
import type { DecodeMessage, DecodeReply } from './decode-worker';

/** Workers kept for the next decode; more run only while that many decode at once. */
const MAX_IDLE = 4;

export function createDecodeWorkers(start: () => Worker) {
  const idle: Worker[] = [];
  let nextId = 0;
  let running = 0;
  let terminated = 0;

  return {
    decode(blob: Blob, request: DecodeRequest, signal: AbortSignal): Promise<ImageBitmap> {
      if (signal.aborted) return Promise.reject(new Error('timed out'));
      const worker = idle.pop() ?? start();
      const id = nextId++;
      running++;
      return new Promise<ImageBitmap>((resolve, reject) => {
        const finish = (keep: boolean) => {
          running--;
          worker.removeEventListener('message', onMessage);
          worker.removeEventListener('error', onError);
          signal.removeEventListener('abort', onAbort);
          if (keep && idle.length < MAX_IDLE) idle.push(worker);
          else {
            worker.terminate();
            if (!keep) terminated++;
          }
        };
        const onMessage = ({ data }: MessageEvent<DecodeReply>) => {
          if (data.id !== id) return;
          finish(true);
          if ('bitmap' in data) resolve(data.bitmap);
          else reject(new Error(data.error));
        };
        const onError = (event: ErrorEvent) => {
          finish(false);
          reject(new Error(`decode failed: ${event.message || 'the decoder stopped'}`));
        };
        const onAbort = () => {
          finish(false);
          reject(new Error('timed out'));
        };
        worker.addEventListener('message', onMessage);
        worker.addEventListener('error', onError);
        signal.addEventListener('abort', onAbort, { once: true });
        worker.postMessage({ id, blob, request } satisfies DecodeMessage);
      });
    },
    /** Workers decoding, idle, and terminated mid-decode so far (for tests and the console). */
    counts: () => ({ running, idle: idle.length, terminated }),
  };
}
