import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DROPPED, createRequestQueue, type Tier } from './request-queue';

/** A request that answers when the test says so. */
function deferred() {
  let answer!: (value: string) => void;
  const promise = new Promise<string>((resolve) => (answer = resolve));
  return { promise, answer };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('request queue', () => {
  let tiers: Map<string, Tier | undefined>;
  let started: string[];
  let requests: Map<string, ReturnType<typeof deferred>>;
  let cancelled: string[];
  const queueWith = (limit: number, farLimit = limit) =>
    createRequestQueue<string>({ limit, farLimit, slotMs: 4_000, graceMs: 250, tierOf: (k) => tiers.get(k) });
  const add = (queue: ReturnType<typeof queueWith>, id: string, key = id) =>
    queue.add(
      id,
      key,
      () => {
        started.push(id);
        const d = deferred();
        requests.set(id, d);
        return d.promise;
      },
      () => cancelled.push(id),
    );

  beforeEach(() => {
    vi.useFakeTimers();
    tiers = new Map();
    started = [];
    requests = new Map();
    cancelled = [];
  });
  afterEach(() => vi.useRealTimers());

  it('sends visible keys first, then near ones, and far ones only while few of them are in flight', async () => {
    const queue = queueWith(3, 1);
    for (const [id, tier] of [
      ['far1', 2],
      ['far2', 2],
      ['near', 1],
      ['seen', 0],
    ] as const) {
      tiers.set(id, tier);
      void add(queue, id);
    }
    await flush();
    expect(started).toEqual(['seen', 'near', 'far1']);
    requests.get('seen')?.answer('ok');
    await flush();
    // The one far slot is taken: far2 waits although a slot is free.
    expect(started).toEqual(['seen', 'near', 'far1']);
    requests.get('far1')?.answer('ok');
    await flush();
    expect(started).toEqual(['seen', 'near', 'far1', 'far2']);
  });

  it('starts nothing far away while far work is paused (the page still loading), near work meanwhile', async () => {
    let paused = true;
    const queue = createRequestQueue<string>({
      limit: 4,
      farLimit: 2,
      farPaused: () => paused,
      slotMs: 4_000,
      graceMs: 250,
      tierOf: (k) => tiers.get(k),
    });
    for (const [id, tier] of [
      ['far1', 2],
      ['near', 1],
    ] as const) {
      tiers.set(id, tier);
      void add(queue as ReturnType<typeof queueWith>, id);
    }
    await flush();
    expect(started).toEqual(['near']);
    paused = false;
    queue.moved();
    await flush();
    expect(started).toEqual(['near', 'far1']);
  });

  it('follows the page as it scrolls: a waiting key that became visible goes next', async () => {
    const queue = queueWith(1);
    for (const id of ['a', 'b', 'c']) {
      tiers.set(id, 1);
      void add(queue, id);
    }
    await flush();
    expect(started).toEqual(['a']);
    tiers.set('c', 0);
    queue.moved();
    requests.get('a')?.answer('ok');
    await flush();
    expect(started).toEqual(['a', 'c']);
  });

  it('never sends a request whose keys all went away, and answers them DROPPED', async () => {
    const queue = queueWith(1);
    tiers.set('a', 0);
    tiers.set('b', 0);
    void add(queue, 'a');
    const b = add(queue, 'b');
    await flush();
    queue.drop('b');
    expect(await b).toBe(DROPPED);
    requests.get('a')?.answer('ok');
    await flush();
    expect(started).toEqual(['a']);
    expect(queue.waiting).toBe(0);
  });

  it('sends one request per id, however many keys ask, and a later key joins it in flight', async () => {
    const queue = queueWith(4);
    const answers = ['x', 'y', 'z'].map((key) => {
      tiers.set(key, 0);
      return add(queue, 'same-url', key);
    });
    await flush();
    const late = add(queue, 'same-url', 'late');
    requests.get('same-url')?.answer('scores');
    expect(await Promise.all([...answers, late])).toEqual(['scores', 'scores', 'scores', 'scores']);
    expect(started).toEqual(['same-url']);
  });

  it('keeps a request for a key dropped while another key still wants it', async () => {
    const queue = queueWith(1);
    tiers.set('busy', 0);
    void add(queue, 'busy');
    tiers.set('x', 1);
    tiers.set('y', 1);
    const x = add(queue, 'u', 'x');
    const y = add(queue, 'u', 'y');
    await flush();
    queue.drop('x');
    requests.get('busy')?.answer('ok');
    await flush();
    requests.get('u')?.answer('scores');
    expect(await x).toBe(DROPPED);
    expect(await y).toBe('scores');
  });

  it('a request that hangs gives up its slot after slotMs, so the next one is sent', async () => {
    const queue = queueWith(1);
    for (const id of ['hung', 'next']) {
      tiers.set(id, 0);
      void add(queue, id);
    }
    await flush();
    expect(started).toEqual(['hung']);
    vi.advanceTimersByTime(4_000);
    await flush();
    expect(started).toEqual(['hung', 'next']);
  });

  it('a far request keeps its slot past slotMs, so no more than farLimit of them are ever in flight', async () => {
    const queue = queueWith(4, 1);
    for (const id of ['far1', 'far2']) {
      tiers.set(id, 2);
      void add(queue, id);
    }
    await flush();
    vi.advanceTimersByTime(10_000);
    await flush();
    expect(started).toEqual(['far1']);
    requests.get('far1')?.answer('ok');
    await flush();
    expect(started).toEqual(['far1', 'far2']);
  });

  it('counts a key whose place is not known after graceMs as near (a tab in the background)', async () => {
    const queue = queueWith(2);
    void add(queue, 'unplaced');
    await flush();
    expect(started).toEqual([]);
    vi.advanceTimersByTime(250);
    await flush();
    expect(started).toEqual(['unplaced']);
  });

  it('says when a key has nothing left waiting or in flight, so its place need not be watched', async () => {
    const settled: string[] = [];
    const queue = createRequestQueue<string>({
      limit: 1,
      farLimit: 1,
      slotMs: 4_000,
      graceMs: 250,
      tierOf: () => 0,
      settled: (k) => settled.push(k),
    });
    const answers = new Map<string, ReturnType<typeof deferred>>();
    const later = (id: string) => () => {
      const d = deferred();
      answers.set(id, d);
      return d.promise;
    };
    void queue.add('u1', 'a', later('u1'));
    void queue.add('u2', 'a', later('u2'));
    void queue.add('u3', 'b', later('u3'));
    await flush();
    expect(settled).toEqual([]); // u1 is in flight, and a still waits for u2
    queue.drop('b');
    expect(settled).toEqual(['b']);
    vi.advanceTimersByTime(4_000); // u1 gives up its slot: u2 is sent
    await flush();
    answers.get('u1')?.answer('ok');
    await flush();
    expect(settled).toEqual(['b']); // u2 is still in flight: a's place still matters
    answers.get('u2')?.answer('ok');
    await flush();
    expect(settled).toEqual(['b', 'a']);
  });

  describe('taking back requests in flight', () => {
    const cancelling = queueWith;

    it('cancels a request in flight once every key that wanted it went away, and frees its slot', async () => {
      const queue = cancelling(1);
      for (const id of ['gone', 'next']) tiers.set(id, 0);
      const gone = add(queue, 'gone');
      void add(queue, 'next');
      await flush();
      expect(started).toEqual(['gone']);
      queue.drop('gone');
      expect(cancelled).toEqual(['gone']);
      expect(await gone).toBe(DROPPED);
      await flush();
      expect(started).toEqual(['gone', 'next']); // no wait for slotMs
      requests.get('gone')?.answer('late'); // a late answer is no one's
      await flush();
      expect(queue.running).toBe(1);
    });

    it('keeps a request in flight while another key still wants it', async () => {
      const queue = cancelling(2);
      tiers.set('x', 0);
      tiers.set('y', 0);
      const x = add(queue, 'u', 'x');
      const y = add(queue, 'u', 'y');
      await flush();
      queue.drop('x');
      expect(cancelled).toEqual([]);
      requests.get('u')?.answer('scores');
      expect(await x).toBe(DROPPED);
      expect(await y).toBe('scores');
    });

    it('parks a request sent for a near image that scrolled far: what is visible now goes first, the parked one waits with the far ones', async () => {
      const queue = cancelling(1, 1);
      tiers.set('passed', 0);
      const passed = add(queue, 'passed');
      await flush();
      expect(started).toEqual(['passed']);
      // The user scrolled on: 'passed' is far, 'now' is visible.
      tiers.set('passed', 2);
      tiers.set('now', 0);
      void add(queue, 'now');
      queue.moved();
      await flush();
      expect(cancelled).toEqual(['passed']);
      expect(started).toEqual(['passed', 'now']);
      // It waits with the far ones: sent again once nothing nearer waits, in the far share, and its
      // answer reaches the key that asked.
      requests.get('now')?.answer('ok');
      await flush();
      expect(started).toEqual(['passed', 'now', 'passed']);
      requests.get('passed')?.answer('scores');
      expect(await passed).toBe('scores');
    });

    it('leaves a request sent for a far image alone (it was the far share, sent knowing it was far)', async () => {
      const queue = cancelling(2, 1);
      tiers.set('far', 2);
      void add(queue, 'far');
      await flush();
      queue.moved();
      await flush();
      expect(started).toEqual(['far']);
      expect(cancelled).toEqual([]);
    });

    it('clear cancels what is in flight and answers every key DROPPED', async () => {
      const queue = cancelling(2);
      tiers.set('a', 0);
      tiers.set('b', 0);
      const a = add(queue, 'a');
      const b = add(queue, 'b');
      await flush();
      queue.clear();
      expect(cancelled.sort()).toEqual(['a', 'b']);
      expect(await Promise.all([a, b])).toEqual([DROPPED, DROPPED]);
      expect(queue.running).toBe(0);
    });
  });
});
