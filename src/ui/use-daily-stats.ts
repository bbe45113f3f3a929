// The statistics page's counts, kept current while the page is open (the background adds to them as
// pages are checked, and clears them). Null until the first read; `error` says why a read failed.
import { readStats, STATS_KEY, type DailyStats } from '../stats/daily-stats';
import { useStoredKey } from './use-stored-key';

export function useDailyStats(): { stats: DailyStats | null; error: string | null } {
  const { value, error } = useStoredKey(STATS_KEY, readStats);
  return { stats: value, error };
}
