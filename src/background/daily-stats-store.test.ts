import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createDailyStatsStore } from './daily-stats-store';
import { STATS_KEY, type Tally } from '../stats/daily-stats';

const tally = (checked: number, nsfw = 0): Tally => ({ checked, failed: 0, covered: nsfw, rules: nsfw ? { nsfw } : {} });
const today = new Date(2026, 11, 5, 12);
const stored = async () => (await fakeBrowser.storage.local.get(STATS_KEY))[STATS_KEY];

describe('daily statistics store', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("sums frames' tallies for a second and writes them to today's counts once", async () => {
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    const store = createDailyStatsStore({ storage: fakeBrowser.storage.local, now: () => today });
    store.add(tally(2, 1));
    store.add(tally(3));
    expect(set).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(set).toHaveBeenCalledTimes(1);
    expect(await stored()).toEqual({ '2026-12-05': { checked: 5, failed: 0, covered: 1, rules: { nsfw: 1 } } });
    store.add(tally(1));
    await store.flush();
    expect(await stored()).toEqual({ '2026-12-05': { checked: 6, failed: 0, covered: 1, rules: { nsfw: 1 } } });
  });

  it('adds to what a previous worker stored, and repairs what it cannot read', async () => {
    await fakeBrowser.storage.local.set({ [STATS_KEY]: { '2026-12-04': tally(7), '2026-12-05': 'broken' } });
    const store = createDailyStatsStore({ storage: fakeBrowser.storage.local, now: () => today });
    store.add(tally(1));
    await store.flush();
    expect(await stored()).toEqual({ '2026-12-04': tally(7), '2026-12-05': tally(1) });
  });

  it('clears stored and waiting counts, and a write that read the counts before the clear does not bring them back', async () => {
    await fakeBrowser.storage.local.set({ [STATS_KEY]: { '2026-12-04': tally(7) } });
    // The write's read is held until the clear has been asked for.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const storage = {
      get: async (key: string) => {
        const value = await fakeBrowser.storage.local.get(key);
        await held;
        return value;
      },
      set: (items: Record<string, unknown>) => fakeBrowser.storage.local.set(items),
      remove: (key: string) => fakeBrowser.storage.local.remove(key),
    };
    const store = createDailyStatsStore({ storage, now: () => today });
    store.add(tally(1));
    const writing = store.flush();
    await vi.advanceTimersByTimeAsync(0);
    store.add(tally(2));
    const clearing = store.clear();
    release();
    await Promise.all([writing, clearing]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await stored()).toBeUndefined();
  });

  it('drops days older than 30 when asked at start, without a write when there are none', async () => {
    await fakeBrowser.storage.local.set({ [STATS_KEY]: { '2026-11-01': tally(9), '2026-12-04': tally(7) } });
    const store = createDailyStatsStore({ storage: fakeBrowser.storage.local, now: () => today });
    await store.prune();
    expect(await stored()).toEqual({ '2026-12-04': tally(7) });
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    set.mockClear();
    await store.prune();
    expect(set).not.toHaveBeenCalled();
  });

  it('forgets what waits when someone else removed the counts', async () => {
    const store = createDailyStatsStore({ storage: fakeBrowser.storage.local, now: () => today });
    store.add(tally(3));
    store.dropWaiting();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await stored()).toBeUndefined();
  });

  it('keeps working after a write failed', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const store = createDailyStatsStore({ storage: fakeBrowser.storage.local, now: () => today });
    vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValueOnce(new Error('quota'));
    store.add(tally(1));
    await store.flush();
    expect(warn).toHaveBeenCalled();
    store.add(tally(2));
    await store.flush();
    expect(await stored()).toEqual({ '2026-12-05': tally(2) });
  });
});
