// How the offscreen document downloads an image without letting a bad server hold anything up: a
// limit on the time to the response headers, on the silence between two chunks of the body and on
// the whole request (a server that trickles bytes is cut), and a byte cap applied while the body
// streams in (no Content-Length needed). A request that runs out of time is aborted at once. The
// host slots below keep one slow host from taking every slot the model host has (model-host.ts).
//
// Errors say only what kind of failure it was ("no answer", "too large"): the page chose the URL,
// so HTTP statuses and sizes stay in the offscreen document's console, never in what reaches it.
import { FETCH_REFUSED } from '../messaging/background-offscreen';
import { blobFromChunks } from './blob-head';

export interface FetchLimits {
  /** Time from the request to the response headers, per try. */
  headersMs: number;
  /**
   * Tries when the headers are late, all within `totalMs`: a request that waited behind a busy
   * browser's or server's queue (twenty tabs loading one host) gets a second chance; a server that
   * never answers is still given up at the total limit.
   */
  headerTries: number;
  /** Longest silence between two chunks of the body. */
  stallMs: number;
  /** Time for the whole request, body included: a server that trickles a byte now and then is cut. */
  totalMs: number;
  /** Larger bodies are cut off and refused. */
  maxBytes: number;
}

export const FETCH_LIMITS: FetchLimits = {
  headersMs: 15_000,
  headerTries: 2,
  stallMs: 10_000,
  totalMs: 30_000,
  maxBytes: 40 * 1024 * 1024,
};

/** A readable failure: `reason` is what the label's details may say, `detail` only goes to the console. */
export class FetchError extends Error {
  constructor(
    reason: string,
    readonly detail: string,
  ) {
    super(reason);
  }
}

/** The host a slot is counted against: the URL's host, or its scheme for data: and the like. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host || parsed.protocol;
  } catch {
    return '';
  }
}

/**
 * Slots per host and in total (a host is any key: `hostOf(url)`). `acquire` resolves with a release function once a slot is free; a
 * waiter whose signal aborts leaves the queue (and rejects) without taking one.
 */
export function createHostSlots(perHost: number, total: number) {
  const busy = new Map<string, number>();
  let inFlight = 0;
  const waiting: { host: string; priority: () => number; start: () => void }[] = [];

  const free = (host: string) => inFlight < total && (busy.get(host) ?? 0) < perHost;
  const take = (host: string): (() => void) => {
    inFlight++;
    busy.set(host, (busy.get(host) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight--;
      const left = (busy.get(host) ?? 1) - 1;
      if (left === 0) busy.delete(host);
      else busy.set(host, left);
      // Next goes the waiter of the lowest priority number (the active tab's images in view), then of
      // the host with the fewest requests running (a long queue of one host's images never keeps
      // another host's first image waiting), then the earliest.
      let next = -1;
      let nextPriority = 0;
      for (let i = 0; i < waiting.length; i++) {
        const candidate = waiting[i] as (typeof waiting)[number];
        if (!free(candidate.host)) continue;
        const priority = candidate.priority();
        const best = waiting[next];
        if (
          !best ||
          priority < nextPriority ||
          (priority === nextPriority && (busy.get(candidate.host) ?? 0) < (busy.get(best.host) ?? 0))
        ) {
          next = i;
          nextPriority = priority;
        }
      }
      if (next >= 0) waiting.splice(next, 1)[0]?.start();
    };
  };

  return {
    /**
     * `priority`: lower goes first among those waiting (0 when not given); a function is asked each
     * time a slot frees, so a job's place can change while it waits.
     */
    acquire(host: string, signal: AbortSignal, priority: number | (() => number) = 0): Promise<() => void> {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (free(host)) return Promise.resolve(take(host));
      return new Promise((resolve, reject) => {
        const waiter = {
          host,
          priority: typeof priority === 'number' ? () => priority : priority,
          start: () => {
            signal.removeEventListener('abort', onAbort);
            resolve(take(host));
          },
        };
        const onAbort = () => {
          const at = waiting.indexOf(waiter);
          if (at >= 0) waiting.splice(at, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiting.push(waiter);
      });
    },
    /** Requests in flight and waiting, for tests. */
    counts: () => ({ inFlight, waiting: waiting.length, hosts: Object.fromEntries(busy) }),
  };
}

export type HostSlots = ReturnType<typeof createHostSlots>;

/** A response whose body is still to be read; its time limits run until `read` or `cancel` ends. */
export interface LimitedResponse {
  response: Response;
  /** The whole body, read under the stall and total limits and the byte cap. */
  read(): Promise<Blob>;
  /** Drops the body unread. */
  cancel(): void;
}

/**
 * Starts a GET of `url` within `limits`. `signal` aborts it from outside. Cookies are sent (the image
 * as the user sees it). The HTTP cache is neither read nor written (`no-store`): it is partitioned by
 * the top-level site, so the extension's requests could never reuse the page's copy anyway, and
 * anything they stored would be a second copy of the image on disk (`force-cache` wrote one for every
 * image checked).
 */
/** `anonymous`: send no cookies or HTTP auth (ImageJob.anonymous); otherwise the browser's, as the page's own load had. */
export async function limitedFetch(url: string, signal: AbortSignal, limits: FetchLimits, anonymous = false): Promise<LimitedResponse> {
  const controller = new AbortController();
  let why: FetchError | null = null;
  // A stalled body is cancelled as well as aborted: the reader then ends at once, whatever the stream.
  let cancelBody: () => void = () => {};
  const fail = (error: FetchError) => {
    why ??= error;
    controller.abort();
    cancelBody();
  };
  const onOuterAbort = () => fail(new FetchError('timed out', 'aborted by the caller'));
  signal.addEventListener('abort', onOuterAbort, { once: true });
  const total = setTimeout(() => fail(new FetchError('no answer', `not done within ${limits.totalMs} ms`)), limits.totalMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = () => {
    clearTimeout(timer);
    clearTimeout(total);
    signal.removeEventListener('abort', onOuterAbort);
  };
  const arm = (ms: number, error: FetchError) => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(error), ms);
  };
  const failure = (error: unknown): FetchError => {
    if (why) return why;
    if (error instanceof FetchError) return error;
    return new FetchError('fetch failed', (error as Error).message);
  };

  if (signal.aborted) onOuterAbort();
  let response: Response | undefined;
  for (let attempt = 1; response === undefined; attempt++) {
    // Each try has its own abort, so a late one can be dropped and the next sent; failing the whole
    // request aborts whichever try is running.
    const tryController = new AbortController();
    controller.signal.addEventListener('abort', () => tryController.abort(), { once: true });
    let late = false;
    clearTimeout(timer);
    timer = setTimeout(() => {
      late = true;
      tryController.abort();
    }, limits.headersMs);
    try {
      if (why) throw why;
      response = await fetch(url, { signal: tryController.signal, credentials: anonymous ? 'omit' : 'include', cache: 'no-store' });
    } catch (error) {
      if (late && !why && attempt < limits.headerTries) continue;
      if (late) fail(new FetchError('no answer', `no response headers within ${limits.headersMs} ms, ${attempt} tries`));
      done();
      throw failure(error);
    }
  }
  clearTimeout(timer);
  if (!response.ok) {
    void response.body?.cancel().catch(() => {});
    done();
    throw new FetchError(response.status === 401 || response.status === 403 ? FETCH_REFUSED : 'fetch failed', `HTTP ${response.status}`);
  }
  let settled = false;
  return {
    response,
    cancel() {
      if (settled) return;
      settled = true;
      void response.body?.cancel().catch(() => {});
      done();
    },
    async read() {
      if (settled) throw new Error('body already read');
      settled = true;
      const type = response.headers.get('content-type') ?? '';
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > limits.maxBytes) {
        void response.body?.cancel().catch(() => {});
        done();
        throw new FetchError('too large', `Content-Length ${declared} over ${limits.maxBytes}`);
      }
      const reader = response.body?.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      try {
        if (!reader) return blobFromChunks([], type);
        cancelBody = () => void reader.cancel().catch(() => {});
        if (why) throw why;
        for (;;) {
          arm(limits.stallMs, new FetchError('no answer', `body stalled for ${limits.stallMs} ms after ${size} bytes`));
          const { done: end, value } = await reader.read();
          if (why) throw why;
          if (end) break;
          size += value.byteLength;
          if (size > limits.maxBytes) {
            void reader.cancel().catch(() => {});
            throw new FetchError('too large', `body over ${limits.maxBytes} bytes`);
          }
          chunks.push(value);
        }
        return blobFromChunks(chunks, type);
      } catch (error) {
        throw failure(error);
      } finally {
        done();
      }
    },
  };
}
