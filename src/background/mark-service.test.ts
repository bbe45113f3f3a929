import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { openMarkStore } from '../marks/mark-store';
import type { CaptureResult } from '../messaging/background-offscreen';
import { MARKS_PER_MINUTE, createMarkService, tooManyMarks } from './mark-service';

const captured: CaptureResult = {
  result: {
    ok: true,
    model: 'mobilenet_v2_mid',
    classes: [0.1, 0, 0.8, 0.05, 0.05],
    embedding: [0.25, -1.5],
    tags: { photo: 0.9, face: 0.8 },
    detectors: ['faces'],
    faces: [{ left: 0.1, top: 0.1, right: 0.4, bottom: 0.5, score: 0.8, female: 0.9 }],
  },
  thumbnail: { type: 'image/jpeg', base64: '/9j/', width: 200, height: 100 },
  imageSize: { width: 800, height: 400 },
};

let db = 0;
function setup(capture: (url: string) => Promise<CaptureResult> = async () => captured) {
  const name = `marks-test-${++db}`;
  const store = openMarkStore(name, { now: () => 1000 });
  const spy = vi.fn(capture);
  const changed = vi.fn();
  const service = createMarkService({ store: () => store, capture: spy, changed, now: () => 1000 });
  return { service, store, spy, changed };
}

describe('mark service', () => {
  it('captures an image once, on its first mark, and keeps everything the dataset needs', async () => {
    const { service, store, spy, changed } = setup();
    expect(await service.mark('https://img.test/a.jpg', 'https://page.test/', { kind: 'dislike' })).toEqual({
      ok: true,
      marks: { like: false, dislike: true, verdict: null, tags: [] },
    });
    // Stored before the capture finishes: a page reloaded now already sees the mark.
    expect(await (await store).get('https://img.test/a.jpg')).toMatchObject({ marks: { dislike: true }, model: null });
    await service.mark('https://img.test/a.jpg', 'https://page.test/', { kind: 'verdict', verdict: 'hide' });
    await service.idle();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(changed).toHaveBeenCalledTimes(3); // two marks, one capture
    const record = await (await store).get('https://img.test/a.jpg');
    expect(record).toMatchObject({
      pageUrl: 'https://page.test/',
      marks: { dislike: true, verdict: 'hide' },
      model: { id: 'mobilenet_v2_mid', version: 'nsfwjs 4.3.0' },
      scores: { classes: [0.1, 0, 0.8, 0.05, 0.05], tags: { photo: 0.9, face: 0.8 }, nsfw: 0.1 },
      faces: [{ score: 0.8 }],
      imageSize: { width: 800, height: 400 },
      thumbnail: { type: 'image/jpeg', width: 200, height: 100, bytes: new Uint8Array([255, 216, 255]) },
    });
    expect(Array.from(record?.embedding ?? [])).toEqual([0.25, -1.5]);
    expect(await service.marksFor('https://img.test/a.jpg')).toMatchObject({ verdict: 'hide' });
    expect(await service.marksFor('https://img.test/other.jpg')).toBeUndefined();
  });

  it('keeps the mark of an image that could not be fetched or scored', async () => {
    const { service, store } = setup(async () => {
      throw new Error('model host unavailable');
    });
    expect(await service.mark('blob:https://page.test/1', 'https://page.test/', { kind: 'tag', tag: 'megane', on: true })).toMatchObject({
      ok: true,
    });
    await service.idle();
    expect(await (await store).get('blob:https://page.test/1')).toMatchObject({
      marks: { tags: ['megane'] },
      model: null,
      embedding: null,
      thumbnail: null,
    });
    const failedScore = setup(async () => ({
      result: { ok: false, error: 'decode failed' },
      thumbnail: null,
      imageSize: null,
      thumbnailError: 'decode failed',
    }));
    await failedScore.service.mark('https://img.test/bad.jpg', '', { kind: 'like' });
    await failedScore.service.idle();
    expect(await (await failedScore.store).get('https://img.test/bad.jpg')).toMatchObject({ marks: { like: true }, scores: null });
  });

  it('removes the record when its last mark is taken back', async () => {
    const { service, store } = setup();
    await service.mark('https://img.test/a.jpg', '', { kind: 'like' });
    expect(await service.mark('https://img.test/a.jpg', '', { kind: 'like' })).toEqual({
      ok: true,
      marks: { like: false, dislike: false, verdict: null, tags: [] },
    });
    await service.idle(); // a capture that finishes after the mark was taken back adds nothing
    expect(await (await store).count()).toBe(0);
  });

  it('answers with a clear error when the store cannot be opened', async () => {
    const service = createMarkService({
      store: () => Promise.reject(new Error('IndexedDB is disabled')),
      capture: async () => captured,
      changed: () => {},
    });
    expect(await service.mark('https://img.test/a.jpg', '', { kind: 'like' })).toEqual({
      ok: false,
      error: "couldn't save the mark: IndexedDB is disabled",
    });
    expect(await service.marksFor('https://img.test/a.jpg')).toBeUndefined();
  });
});

describe('mark service rate limit', () => {
  it("refuses a tab's marks beyond MARKS_PER_MINUTE a minute, and only that tab's, until the minute has passed", async () => {
    let time = 0;
    const store = openMarkStore(`marks-test-${++db}`, { now: () => time });
    const service = createMarkService({ store: () => store, capture: async () => captured, changed: () => {}, now: () => time });
    const like = (tabId?: number) => service.mark('https://img.test/a.jpg', 'https://page.test/', { kind: 'like' }, tabId);
    for (let i = 0; i < MARKS_PER_MINUTE; i++) expect((await like(7)).ok).toBe(true);
    expect(await like(7)).toEqual({ ok: false, error: tooManyMarks() });
    // Another tab, and the browser's own context menu (no tab), are not held back.
    expect((await like(8)).ok).toBe(true);
    expect((await like()).ok).toBe(true);
    time += 60_000;
    expect((await like(7)).ok).toBe(true);
    await service.idle();
  });
});
