import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHostSlots, FetchError, type FetchLimits, hostOf, limitedFetch } from './fetch-limits';

const LIMITS: FetchLimits = { headersMs: 80, headerTries: 2, stallMs: 80, totalMs: 2_000, maxBytes: 1000 };

/** A body whose chunks the test pushes; `cancelled` tells whether the reader gave up on it. */
function controlledBody() {
  let push: (bytes: number) => void = () => {};
  let end: () => void = () => {};
  const state = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (bytes) => controller.enqueue(new Uint8Array(bytes));
      end = () => controller.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, push: (n: number) => push(n), end: () => end(), state };
}

/** Every fetch answers with `respond(url, init)`; a request that never answers rejects when aborted, as fetch does. */
function stubFetch(respond: (url: string, init: RequestInit) => Response | null) {
  const seen: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    seen.push({ url, init });
    const response = respond(url, init);
    if (response) return Promise.resolve(response);
    return new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
  });
  return seen;
}

const never = new AbortController().signal;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('createHostSlots', () => {
  it('keeps one host within its share so another host is never made to wait', async () => {
    const slots = createHostSlots(2, 3);
    const slow = [await slots.acquire('slow.test', never), await slots.acquire('slow.test', never)];
    let third = false;
    const waiting = slots.acquire('slow.test', never).then((release) => {
      third = true;
      return release;
    });
    const other = await slots.acquire('fast.test', never); // at once, though slow.test has a queue
    expect(slots.counts()).toMatchObject({ inFlight: 3, waiting: 1 });
    other();
    await Promise.resolve();
    expect(third).toBe(false); // slow.test is still at its own limit
    slow[0]?.();
    (await waiting)();
    expect(third).toBe(true);
    slow[1]?.();
    expect(slots.counts()).toEqual({ inFlight: 0, waiting: 0, hosts: {} });
  });

  it("gives a freed slot to the host with the fewest running, before a long queue of another host's", async () => {
    const slots = createHostSlots(3, 3);
    const busy = [await slots.acquire('a.test', never), await slots.acquire('a.test', never)];
    const other = await slots.acquire('b.test', never);
    const order: string[] = [];
    const queued = ['http://a.test/3', 'http://a.test/4', 'http://b.test/2'].map((url) =>
      slots.acquire(hostOf(url), never).then((release) => {
        order.push(url);
        return release;
      }),
    );
    other();
    await Promise.resolve();
    expect(order).toEqual(['http://b.test/2']); // b has none running, a has two
    busy.forEach((release) => release());
    for (const release of await Promise.all(queued)) release();
    expect(order).toEqual(['http://b.test/2', 'http://a.test/3', 'http://a.test/4']);
  });

  it('gives a freed slot to the lowest priority number first (the active tab in view), then in order', async () => {
    const slots = createHostSlots(1, 1);
    const first = await slots.acquire('a.test', never);
    const order: string[] = [];
    const queued = (
      [
        ['background tab, far', 5],
        ['active tab, far', 2],
        ['background tab, in view', 3],
        ['active tab, in view', 0],
        ['active tab, in view, later', 0],
      ] as const
    ).map(([name, priority]) =>
      slots.acquire('a.test', never, priority).then((release) => {
        order.push(name);
        release();
      }),
    );
    first();
    await Promise.all(queued);
    expect(order).toEqual([
      'active tab, in view',
      'active tab, in view, later',
      'active tab, far',
      'background tab, in view',
      'background tab, far',
    ]);
  });

  it('drops a waiter whose request is aborted', async () => {
    const slots = createHostSlots(1, 1);
    const first = await slots.acquire('a.test', never);
    const controller = new AbortController();
    const waiting = slots.acquire('a.test', controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(slots.counts().waiting).toBe(0);
    first();
  });

  it('counts data: URLs and the like by their scheme', () => {
    expect(hostOf('https://img.test:8443/a.jpg')).toBe('img.test:8443');
    expect(hostOf('data:image/png;base64,xx')).toBe('data:');
    expect(hostOf('not a url')).toBe('');
  });
});

describe('limitedFetch', () => {
  it('reads a body without Content-Length, stores nothing in the HTTP cache and sends cookies', async () => {
    const body = controlledBody();
    const seen = stubFetch(() => new Response(body.stream, { headers: { 'content-type': 'image/png' } }));
    const started = await limitedFetch('http://img.test/a.png', never, LIMITS);
    body.push(300);
    body.push(300);
    body.end();
    const blob = await started.read();
    expect(blob.size).toBe(600);
    expect(blob.type).toBe('image/png');
    expect(seen[0]?.init.cache).toBe('no-store');
    expect(seen[0]?.init.credentials).toBe('include');
  });

  it("sends no cookies for an anonymous job (a Firefox private window's image)", async () => {
    const seen = stubFetch(() => new Response(new Uint8Array(10)));
    await (await limitedFetch('http://img.test/a.png', never, LIMITS, true)).read();
    expect(seen[0]?.init.credentials).toBe('omit');
    expect(seen[0]?.init.cache).toBe('no-store');
  });

  it('cuts a body over the cap while it streams, without Content-Length', async () => {
    const body = controlledBody();
    stubFetch(() => new Response(body.stream));
    const started = await limitedFetch('http://img.test/big', never, LIMITS);
    const read = started.read();
    body.push(600);
    body.push(600);
    await expect(read).rejects.toThrow('too large');
    expect(body.state.cancelled).toBe(true);
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    const body = controlledBody();
    stubFetch(() => new Response(body.stream, { headers: { 'content-length': '5000' } }));
    const started = await limitedFetch('http://img.test/big', never, LIMITS);
    await expect(started.read()).rejects.toThrow('too large');
    expect(body.state.cancelled).toBe(true);
  });

  it('gives up on a server that never answers after its tries, and aborts each request', async () => {
    const seen = stubFetch(() => null);
    const error = await limitedFetch('http://hang.test/a.jpg', never, LIMITS).catch((e: FetchError) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).message).toBe('no answer');
    expect((error as FetchError).detail).toBe('no response headers within 80 ms, 2 tries');
    expect(seen.map((s) => s.init.signal?.aborted)).toEqual([true, true]);
  });

  it('sends the request again once when its headers are late, and reads the second answer', async () => {
    let tries = 0;
    const seen = stubFetch(() => (++tries === 1 ? null : new Response('ok', { headers: { 'content-type': 'image/png' } })));
    const started = await limitedFetch('http://busy.test/a.jpg', never, LIMITS);
    expect(await (await started.read()).text()).toBe('ok');
    expect(seen.map((s) => s.init.signal?.aborted)).toEqual([true, false]);
  });

  it('never tries past the total limit', async () => {
    const seen = stubFetch(() => null);
    const error = await limitedFetch('http://hang.test/b.jpg', never, { ...LIMITS, headersMs: 100, totalMs: 150 }).catch(
      (e: FetchError) => e,
    );
    expect((error as FetchError).detail).toBe('not done within 150 ms');
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => s.init.signal?.aborted)).toBe(true);
  });

  it('cuts a server that trickles: a chunk, then silence longer than the stall limit', { timeout: 5_000 }, async () => {
    const body = controlledBody();
    const seen = stubFetch(() => new Response(body.stream));
    const started = await limitedFetch('http://trickle.test/a.jpg', never, LIMITS);
    const read = started.read();
    // Chunks that come in time keep it going past the stall limit in total...
    for (let i = 0; i < 4; i++) {
      body.push(10);
      await new Promise((r) => setTimeout(r, LIMITS.stallMs / 2));
    }
    // ...and then the server goes quiet.
    const error = await read.catch((e: FetchError) => e);
    expect((error as FetchError).message).toBe('no answer');
    expect((error as FetchError).detail).toMatch(/stalled/);
    expect(seen[0]?.init.signal?.aborted).toBe(true);
  });

  it('cuts a server that keeps trickling within the stall limit at the total limit', { timeout: 5_000 }, async () => {
    const body = controlledBody();
    stubFetch(() => new Response(body.stream));
    const started = await limitedFetch('http://trickle.test/b.jpg', never, { ...LIMITS, totalMs: 300 });
    const read = started.read();
    const drip = setInterval(() => body.push(1), 20);
    const error = await read.catch((e: FetchError) => e);
    clearInterval(drip);
    expect((error as FetchError).message).toBe('no answer');
    expect((error as FetchError).detail).toMatch(/not done within 300 ms/);
  });

  it('says only "fetch failed" for an HTTP error: the status goes to the detail', async () => {
    stubFetch(() => new Response('nope', { status: 404 }));
    const error = await limitedFetch('http://img.test/404', never, LIMITS).catch((e: FetchError) => e);
    expect((error as FetchError).message).toBe('fetch failed');
    expect((error as FetchError).detail).toBe('HTTP 404');
  });

  it('aborts the request when the caller does', async () => {
    const seen = stubFetch(() => null);
    const controller = new AbortController();
    const started = limitedFetch('http://hang.test/a.jpg', controller.signal, { ...LIMITS, headersMs: 60_000 });
    await Promise.resolve();
    controller.abort();
    await expect(started).rejects.toThrow('timed out');
    expect(seen[0]?.init.signal?.aborted).toBe(true);
  });
});
