// The statistics page's counts, kept current while the page is open (the background adds to them as
// pages are checked, and clears them). Null until the first read; `error` says why a read failed.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { readStats, STATS_KEY, type DailyStats } from '../stats/daily-stats';
import { errorText } from '../util/checks';
import { watchLocalKey } from '../util/watch-local-key';

export function useDailyStats(): { stats: DailyStats | null; error: string | null } {
  const [stats, setStats] = useState<DailyStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let watched = false;
    watchLocalKey(
      STATS_KEY,
      (value) => {
        watched = true;
        setStats(readStats(value));
      },
      controller.signal,
    );
    browser.storage.local.get(STATS_KEY).then(
      // A change seen by the watcher is newer than this read.
      (stored) => !watched && !controller.signal.aborted && setStats(readStats(stored[STATS_KEY])),
      (e: unknown) => setError(errorText(e)),
    );
    return () => controller.abort();
  }, []);
  return { stats, error };
}
