// The decode worker (entrypoints/decode-worker.ts): decodes one image per message (decode-bitmap.ts) and sends the bitmap back. It
// runs from the extension's own URL (blob: workers are not allowed in extension pages); the offscreen
// document terminates it when a decode runs past its limit, which is what really stops a decode.
import { type DecodeRequest, decodeBitmap } from './decode-bitmap';

export interface DecodeMessage {
  id: number;
  blob: Blob;
  request: DecodeRequest;
}

export type DecodeReply = { id: number; bitmap: ImageBitmap } | { id: number; error: string };

/** The worker's global scope, typed by hand: the project compiles against the DOM library, not WebWorker's. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<DecodeMessage>) => void) | null;
  postMessage(message: DecodeReply, transfer?: Transferable[]): void;
}

/** Answers each decode request of the offscreen document (entrypoints/decode-worker.ts calls it). */
export function startDecodeWorker(scope = self as unknown as WorkerScope): void {
  scope.onmessage = async ({ data }: MessageEvent<DecodeMessage>) => {
    try {
      const bitmap = await decodeBitmap(data.blob, data.request);
      scope.postMessage({ id: data.id, bitmap }, [bitmap]);
    } catch (error) {
      scope.postMessage({ id: data.id, error: (error as Error).message });
    }
  };
}
