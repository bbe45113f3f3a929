// A full disk for fake-indexeddb: after `room` more puts, the next put's transaction aborts with a
// QuotaExceededError before it commits, as a browser's does when a commit does not fit (its requests then fail with an
// AbortError and the transaction's error is the QuotaExceededError). Undone by vi.restoreAllMocks().
import { IDBObjectStore } from 'fake-indexeddb';
import { vi } from 'vitest';

export function failWritesAfter(room: number): void {
  const put = IDBObjectStore.prototype.put;
  let left = room;
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    const request = put.apply(this, args);
    if (left-- <= 0) {
      // Once the code that queued the writes has run, before they commit (the browser finds out when it writes).
      const tx = this.transaction as unknown as { _state: string; _abort(name: string): void };
      queueMicrotask(() => tx._state !== 'finished' && tx._abort('QuotaExceededError'));
    }
    return request;
  });
}
