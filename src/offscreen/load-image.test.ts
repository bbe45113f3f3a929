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
    await expect(fetchSource('https://cdn.test/huge.jpg', signal)).rejects.toThrow(/image too large/);
  });

  it('leaves fetchImage (mark thumbnails) reading a video whole, as before', async () => {
    serve('ftypisom', { 'content-type': 'video/mp4' });
    expect(await fetchImage('https://cdn.test/clip.mp4', signal)).toBeInstanceOf(Blob);
  });
});
