// The statistics page's counts, kept in storage.local (STATS_KEY) for 30 days. Frames' tallies are
// summed here for a second and written together; every write and the "clear" go through one queue, so
// a clear is never undone by a write that read the counts before it. Days past 30 are dropped at each
// write and when the background starts (`prune`), so they go even when nothing new is counted.
import { addTally, emptyTally, isEmptyTally, readStats, recent, record, STATS_KEY, type Tally } from '../stats/daily-stats';

export interface StatsStorage {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface DailyStatsStoreOptions {
  storage: StatsStorage;
  /** How long tallies are summed before one write. */
  delayMs?: number;
  now?: () => Date;
}

export function createDailyStatsStore({ storage, delayMs = 1_000, now = () => new Date() }: DailyStatsStoreOptions) {
  let waiting = emptyTally();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>): Promise<void> => {
    queue = queue.then(work).catch((error: unknown) => console.warn('[Megane] statistics not saved:', error));
    return queue;
  };

  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    return enqueue(async () => {
      const tally = waiting;
      waiting = emptyTally();
      if (isEmptyTally(tally)) return;
      const stored = readStats((await storage.get(STATS_KEY))[STATS_KEY]);
      await storage.set({ [STATS_KEY]: record(stored, tally, now()) });
    });
  };

  /** The counts were removed by someone else (another profile's worker in split mode): what waits goes too. */
  const dropWaiting = (): void => {
    clearTimeout(timer);
    timer = undefined;
    waiting = emptyTally();
  };

  return {
    add(tally: Tally): void {
      waiting = addTally(waiting, tally);
      timer ??= setTimeout(() => void flush(), delayMs);
    },
    /** Writes what is waiting now; resolves when it is stored. */
    flush,
    /** Drops stored days older than 30 (nothing is written when there are none). */
    prune(): Promise<void> {
      return enqueue(async () => {
        const stored = readStats((await storage.get(STATS_KEY))[STATS_KEY]);
        const kept = recent(stored, now());
        if (Object.keys(kept).length < Object.keys(stored).length) await storage.set({ [STATS_KEY]: kept });
      });
    },
    dropWaiting,
    /** Forgets every count, those still waiting too. */
    clear(): Promise<void> {
      dropWaiting();
      return enqueue(() => storage.remove(STATS_KEY));
    },
  };
}
