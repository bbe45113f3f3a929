import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchImage, fetchSource, MAX_IMAGE_BYTES, RemoteVideo } from './load-image';

/** Answers every fetch with `body` and `headers`, and remembers whether the body was read. */
function serve(body: string, headers: Record<string, string>) {
  const seen = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(body));
      controller.close();
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  vi.stubGlobal('fetch', async () => new Response(stream, { status: 200, headers }));
  return seen;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fetchSource', () => {
  const signal = new AbortController().signal;

  it('plays a file labelled video/* from its URL, without reading it and whatever its size', async () => {
    const seen = serve('ftypisom', { 'content-type': 'video/mp4', 'content-length': String(MAX_IMAGE_BYTES * 50) });
    const source = await fetchSource('https://cdn.test/long.mp4#megane-from=120', signal);
    expect(source).toBeInstanceOf(RemoteVideo);
    expect((source as RemoteVideo).url).toBe('https://cdn.test/long.mp4');
    expect(seen.cancelled).toBe(true);
  });

  it('reads anything else whole, as an image, within the size cap', async () => {
    serve('GIF89a', { 'content-type': 'image/gif' });
    const source = await fetchSource('https://cdn.test/a.gif', signal);
    expect(source).toBeInstanceOf(Blob);
    expect(await (source as Blob).text()).toBe('GIF89a');
    serve('x', { 'content-type': 'image/jpeg', 'content-length': String(MAX_IMAGE_BYTES + 1) });
    await expect(fetchSource('https://cdn.test/huge.jpg', signal)).rejects.toThrow('too large');
  });

  it('refuses an image whose header declares more pixels than the cap, before decoding it', async () => {
    // A PNG signature and an IHDR of 16,000 x 16,000: what a 2 MB decompression bomb starts with.
    const head = new Uint8Array(33);
    head.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(head.buffer).setUint32(16, 16_000);
    new DataView(head.buffer).setUint32(20, 16_000);
    vi.stubGlobal('fetch', async () => new Response(head, { headers: { 'content-type': 'image/png' } }));
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    await expect(fetchSource('https://cdn.test/bomb.png', signal)).rejects.toThrow(/^too large$/);
    expect(info.mock.calls[0]?.[0]).toMatch(/16000 x 16000 px/);
    info.mockRestore();
  });

  it('says "fetch failed" without the HTTP status, which goes to the console only', async () => {
    vi.stubGlobal('fetch', async () => new Response('gone', { status: 404 }));
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    await expect(fetchSource('https://cdn.test/404.jpg', signal)).rejects.toThrow(/^fetch failed$/);
    expect(info.mock.calls[0]?.[0]).toMatch(/HTTP 404/);
    info.mockRestore();
  });

  it('leaves fetchImage (mark thumbnails) reading a video whole, as before', async () => {
    serve('ftypisom', { 'content-type': 'video/mp4' });
    expect(await fetchImage('https://cdn.test/clip.mp4', signal)).toBeInstanceOf(Blob);
  });
});
