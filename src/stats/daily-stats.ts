// Counts per day for the statistics page: images checked, covered and couldn't check, and which rule
// covered them. Counts only: never an address, a site or a score. Days are the user's local dates.
// Pure; the background stores them (daily-stats-store.ts), the options page draws them (stats-panel.tsx).
import { isAnyTagId, type AnyTagId } from '../tags/vocabulary';
import { isCount, isRecord } from '../util/checks';

/** Where the background keeps the counts (storage.local); the options page reads them from there. */
export const STATS_KEY = 'dailyStats';

/** How many days are kept and drawn. */
export const STATS_DAYS = 30;

/**
 * What covered an image: a tag rule (the NSFW threshold is the `nsfw` tag's), the user's own "hide"
 * mark, or a failed check kept covered.
 */
export type CoverRule = AnyTagId | 'you' | 'unchecked';

/** What one frame saw since it last told: each image counted once, when its check is answered. */
export interface Tally {
  checked: number;
  /** Couldn't be checked (shown or covered, as the user chose). */
  failed: number;
  covered: number;
  /** Covered images by the rule that covered them; sums to `covered`. */
  rules: Partial<Record<CoverRule, number>>;
}

/** One day's counts. */
export type DayCounts = Tally;

/** Day (YYYY-MM-DD, local) to its counts. */
export type DailyStats = Record<string, DayCounts>;

export const emptyTally = (): Tally => ({ checked: 0, failed: 0, covered: 0, rules: {} });

export const isCoverRule = (value: unknown): value is CoverRule => value === 'you' || value === 'unchecked' || isAnyTagId(value);

/** Bounds on what one message may claim, so a broken frame cannot write nonsense into the counts. */
const MAX_PER_TALLY = 100_000;
const MAX_RULES = 64;

/** A frame's tally in a message: counts no frame could reach in 300 ms are refused. */
export const isTally = (value: unknown): value is Tally => countsWithin(value, MAX_PER_TALLY);

/** A stored day: any whole counts (a busy day may pass what one message may claim). */
const isDayCounts = (value: unknown): value is DayCounts => countsWithin(value, Number.MAX_SAFE_INTEGER);

function countsWithin(value: unknown, max: number): boolean {
  if (!isRecord(value) || !isRecord(value.rules)) return false;
  const counts = [value.checked, value.failed, value.covered];
  if (!counts.every((n) => isCount(n) && n <= max)) return false;
  const rules = Object.entries(value.rules);
  return rules.length <= MAX_RULES && rules.every(([rule, n]) => isCoverRule(rule) && isCount(n) && n <= max);
}

export const isEmptyTally = (tally: Tally): boolean => tally.checked === 0 && tally.failed === 0 && tally.covered === 0;

/** `into` plus `more` (a new object; neither is changed). */
export function addTally(into: Tally, more: Tally): Tally {
  const rules = { ...into.rules };
  for (const [rule, n] of Object.entries(more.rules) as [CoverRule, number][]) rules[rule] = (rules[rule] ?? 0) + n;
  return { checked: into.checked + more.checked, failed: into.failed + more.failed, covered: into.covered + more.covered, rules };
}

/** The local date of `time` as YYYY-MM-DD. */
export function dayKey(time: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}`;
}

/** The `count` days ending with `today`'s, oldest first, as keys. */
export function lastDayKeys(today: Date, count = STATS_DAYS): string[] {
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (count - 1 - i));
    return dayKey(day);
  });
}

/** The stats without days older than STATS_DAYS (a new object). */
export function recent(stats: DailyStats, today: Date): DailyStats {
  const kept = new Set(lastDayKeys(today));
  return Object.fromEntries(Object.entries(stats).filter(([day]) => kept.has(day)));
}

/** The stats with `tally` added to `today`'s counts, and days older than STATS_DAYS dropped. */
export function record(stats: DailyStats, tally: Tally, today: Date): DailyStats {
  const key = dayKey(today);
  const next = recent(stats, today);
  next[key] = addTally(next[key] ?? emptyTally(), tally);
  return next;
}

/** Stored stats as far as they can be read: a day whose counts are broken is left out, not guessed. */
export function readStats(value: unknown): DailyStats {
  if (!isRecord(value)) return {};
  const stats: DailyStats = {};
  for (const [day, counts] of Object.entries(value)) if (/^\d{4}-\d{2}-\d{2}$/.test(day) && isDayCounts(counts)) stats[day] = counts;
  return stats;
}

/** One day as the chart and the table show it. */
export interface StatsDay {
  day: string;
  counts: DayCounts;
}

/** The last STATS_DAYS days, oldest first, a day without counts as zeros: what the chart draws. */
export function series(stats: DailyStats, today: Date): StatsDay[] {
  return lastDayKeys(today).map((day) => ({ day, counts: stats[day] ?? emptyTally() }));
}

/** The sum over `days` (a series), and its rules from most to least images. */
export function totals(days: readonly StatsDay[]): { sum: Tally; rules: [CoverRule, number][] } {
  const sum = days.reduce((acc, { counts }) => addTally(acc, counts), emptyTally());
  const rules = (Object.entries(sum.rules) as [CoverRule, number][]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return { sum, rules };
}
