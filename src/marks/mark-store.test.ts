import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteDB, openDB } from 'idb';
import { failWritesAfter } from '../../test/unit/full-disk';
import { emptyMarks } from './apply-mark';
import { openMarkStore, type MarkStore } from './mark-store';
import type { MarkRecord } from './mark-types';

let clock = 1_000;
let store: MarkStore;
let dbCount = 0;

function record(url: string, patch: Partial<MarkRecord> = {}): MarkRecord {
  return {
    url,
    pageUrl: 'https://example.com/page',
    createdAt: 500,
    updatedAt: 500,
    marks: emptyMarks(),
    model: { id: 'mobilenet_v2_mid', version: '4.3.0' },
    scores: { classes: [0.1, 0.2, 0.5, 0.1, 0.1], tags: { photo: 0.9, nsfw: 0.4 }, nsfw: 0.4 },
    embedding: new Float32Array([0.25, -1.5, 3]),
    faces: [{ left: 0.1, top: 0.2, right: 0.4, bottom: 0.6, score: 0.93, female: 0.7 }],
    thumbnail: { type: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]), width: 256, height: 170 },
    imageSize: { width: 1024, height: 680 },
    ...patch,
  };
}

beforeEach(async () => {
  clock = 1_000;
  // A fresh database per test, so no test sees another's records.
  store = await openMarkStore(`megane-test-${++dbCount}`, { now: () => ++clock });
});

afterEach(() => {
  vi.restoreAllMocks();
  store.close();
});

describe('mark store', () => {
  it('starts empty', async () => {
    expect(await store.count()).toBe(0);
    expect(await store.all()).toEqual([]);
    expect(await store.get('https://img/a.jpg')).toBeUndefined();
  });

  it('keeps typed arrays through put and get', async () => {
    const a = record('https://img/a.jpg', { marks: { ...emptyMarks(), like: true } });
    await store.put(a);
    const back = await store.get(a.url);
    expect(back).toEqual(a);
    expect(back?.embedding).toBeInstanceOf(Float32Array);
    expect(back?.thumbnail?.bytes).toBeInstanceOf(Uint8Array);
  });

  it('update creates the record with the action applied', async () => {
    let created = 0;
    const result = await store.update('https://img/a.jpg', { kind: 'like' }, () => {
      created += 1;
      return record('https://img/a.jpg');
    });
    expect(created).toBe(1);
    expect(result?.marks).toEqual({ ...emptyMarks(), like: true });
    expect(result?.updatedAt).toBe(1_001);
    expect(result?.createdAt).toBe(500);
    expect(await store.get('https://img/a.jpg')).toEqual(result);
  });

  it('update applies to the stored record and does not call create', async () => {
    await store.put(record('https://img/a.jpg', { marks: { ...emptyMarks(), tags: ['cat'] }, pageUrl: 'https://first/' }));
    const result = await store.update('https://img/a.jpg', { kind: 'tag', tag: 'photo', on: true }, () => {
      throw new Error('create must not be called');
    });
    expect(result?.marks.tags).toEqual(['photo', 'cat']);
    expect(result?.pageUrl).toBe('https://first/');
  });

  it('deletes a record whose marks become empty', async () => {
    await store.update('https://img/a.jpg', { kind: 'dislike' }, () => record('https://img/a.jpg'));
    expect(await store.count()).toBe(1);
    const result = await store.update('https://img/a.jpg', { kind: 'dislike' }, () => record('https://img/a.jpg'));
    expect(result).toBeNull();
    expect(await store.count()).toBe(0);
  });

  it('stores nothing for an action that leaves a new record empty', async () => {
    const result = await store.update('https://img/a.jpg', { kind: 'clear-rating' }, () => record('https://img/a.jpg'));
    expect(result).toBeNull();
    expect(await store.count()).toBe(0);
  });

  it('concurrent updates to one URL all apply', async () => {
    const url = 'https://img/a.jpg';
    const tags = ['cat', 'dog', 'food', 'photo', 'megane'] as const;
    await Promise.all(tags.map((tag) => store.update(url, { kind: 'tag', tag, on: true }, () => record(url))));
    expect((await store.get(url))?.marks.tags).toEqual(['photo', 'megane', 'cat', 'dog', 'food']);
  });

  it('rejects a created record for another URL and writes nothing', async () => {
    await expect(store.update('https://img/a.jpg', { kind: 'like' }, () => record('https://img/b.jpg'))).rejects.toThrow(
      /is for https:\/\/img\/b.jpg/,
    );
    expect(await store.count()).toBe(0);
  });

  it('looks up verdicts for many URLs at once', async () => {
    await store.update('https://img/a.jpg', { kind: 'verdict', verdict: 'hide' }, () => record('https://img/a.jpg'));
    await store.update('https://img/b.jpg', { kind: 'verdict', verdict: 'show' }, () => record('https://img/b.jpg'));
    await store.update('https://img/c.jpg', { kind: 'like' }, () => record('https://img/c.jpg'));
    expect(
      await store.verdicts(['https://img/a.jpg', 'https://img/b.jpg', 'https://img/c.jpg', 'https://img/none.jpg', 'https://img/a.jpg']),
    ).toEqual({ 'https://img/a.jpg': 'hide', 'https://img/b.jpg': 'show' });
    expect(await store.verdicts([])).toEqual({});
  });

  it('lists all in URL order and recent by updatedAt, newest first', async () => {
    for (const url of ['https://img/c.jpg', 'https://img/a.jpg', 'https://img/b.jpg']) {
      await store.update(url, { kind: 'like' }, () => record(url));
    }
    expect((await store.all()).map((r) => r.url)).toEqual(['https://img/a.jpg', 'https://img/b.jpg', 'https://img/c.jpg']);
    expect((await store.recent(2)).map((r) => r.url)).toEqual(['https://img/b.jpg', 'https://img/a.jpg']);
    expect(await store.recent(0)).toEqual([]);
  });

  it('deletes one and clears all', async () => {
    await store.put(record('https://img/a.jpg', { marks: { ...emptyMarks(), like: true } }));
    await store.put(record('https://img/b.jpg', { marks: { ...emptyMarks(), like: true } }));
    await store.delete('https://img/a.jpg');
    expect((await store.all()).map((r) => r.url)).toEqual(['https://img/b.jpg']);
    await store.clear();
    expect(await store.count()).toBe(0);
  });

  it('a second connection to the same database sees the same records', async () => {
    const name = `megane-test-shared-${dbCount}`;
    const one = await openMarkStore(name);
    const two = await openMarkStore(name);
    await one.update('https://img/a.jpg', { kind: 'like' }, () => record('https://img/a.jpg'));
    expect((await two.get('https://img/a.jpg'))?.marks.like).toBe(true);
    one.close();
    two.close();
  });

  it('adds a capture to a record without touching its marks, and not to a record that is gone', async () => {
    const name = `megane-test-capture-${dbCount}`;
    const store = await openMarkStore(name);
    await store.update('https://img/a.jpg', { kind: 'like' }, () => record('https://img/a.jpg'));
    await store.update('https://img/a.jpg', { kind: 'verdict', verdict: 'hide' }, () => record('https://img/a.jpg'));
    const embedding = new Float32Array([0.5, 1.5]);
    expect(await store.addCapture('https://img/a.jpg', { embedding, imageSize: { width: 10, height: 20 } })).toBe(true);
    const stored = await store.get('https://img/a.jpg');
    expect(stored?.marks).toMatchObject({ like: true, verdict: 'hide' });
    expect(stored?.embedding).toEqual(embedding);
    expect(stored?.imageSize).toEqual({ width: 10, height: 20 });
    expect(await store.addCapture('https://img/gone.jpg', { embedding })).toBe(false);
    expect(await store.get('https://img/gone.jpg')).toBeUndefined();
    store.close();
  });

  it('putAll writes every record in one transaction', async () => {
    await store.putAll([record('https://img/a.jpg'), record('https://img/b.jpg')]);
    expect((await store.all()).map((r) => r.url)).toEqual(['https://img/a.jpg', 'https://img/b.jpg']);
  });

  it('putAll on a full disk writes none, keeps what was there, and rejects with the QuotaExceededError', async () => {
    const liked = { ...emptyMarks(), like: true };
    await store.put(record('https://img/a.jpg', { marks: liked }));
    failWritesAfter(2);
    const disliked = { ...emptyMarks(), dislike: true };
    const incoming = ['a', 'b', 'c'].map((n) => record(`https://img/${n}.jpg`, { marks: disliked }));
    await expect(store.putAll(incoming)).rejects.toMatchObject({ name: 'QuotaExceededError' });
    vi.restoreAllMocks();
    expect(await store.all()).toEqual([record('https://img/a.jpg', { marks: liked })]);
    // The store still works after the failure.
    await store.putAll(incoming.slice(1));
    expect(await store.count()).toBe(3);
  });

  /** `work`, or a failure naming it when it does not finish in a second (a blocked open never does). */
  const within = <T>(what: string, work: Promise<T>) =>
    Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} was blocked`)), 1000))]);

  it('gives way to a newer schema opened elsewhere, then opens it and keeps every record', async () => {
    const a = record('https://img/a.jpg', { marks: { ...emptyMarks(), like: true } });
    await store.put(a);
    const newer = await within(
      'the upgrade',
      openDB(`megane-test-${dbCount}`, 2, {
        upgrade: (_db, _old, _new, tx) => tx.objectStore('marks').createIndex('createdAt', 'createdAt'),
      }),
    );
    try {
      expect(await store.get(a.url)).toEqual(a);
      await store.update('https://img/b.jpg', { kind: 'dislike' }, () => record('https://img/b.jpg'));
      expect(await newer.count('marks')).toBe(2);
    } finally {
      newer.close();
    }
  });

  it('gives way to the database being deleted elsewhere, then starts again empty', async () => {
    await store.put(record('https://img/a.jpg', { marks: { ...emptyMarks(), like: true } }));
    await within('the delete', deleteDB(`megane-test-${dbCount}`));
    expect(await store.count()).toBe(0);
    await store.put(record('https://img/b.jpg', { marks: { ...emptyMarks(), like: true } }));
    expect((await store.all()).map((r) => r.url)).toEqual(['https://img/b.jpg']);
  });

  it('opens a database a newer version left (the user went back a release) and refuses one without its store', async () => {
    const name = `megane-test-${++dbCount}`;
    const newer = await openDB(name, 5, {
      upgrade: (db) => void db.createObjectStore('marks', { keyPath: 'url' }).createIndex('updatedAt', 'updatedAt'),
    });
    await newer.put('marks', record('https://img/a.jpg'));
    newer.close();
    const older = await openMarkStore(name);
    expect(await older.count()).toBe(1);
    older.close();
    const other = `megane-test-${++dbCount}`;
    (await openDB(other, 5, { upgrade: (db) => void db.createObjectStore('elsewhere') })).close();
    await expect(openMarkStore(other)).rejects.toThrow(`${other} was changed by a newer version of Megane (version 5, without marks)`);
  });
});
