// What the content script knows about the images of its frame: for each element it tracks, the URLs
// the element paints, their scores as they arrive and what is shown; and for the page, the URLs the
// user revealed here and the user's marks per URL. Only the content script holds this: the attribute
// on the element is a reflection of it for the cover stylesheet, never read back.
// No DOM here: keys are whatever the caller tracks (elements in the page, plain objects in tests).
import { applyMark, emptyMarks } from '../marks/apply-mark';
import type { MarkAction, Marks, Verdict } from '../marks/mark-types';
import type { ClassifyResult, FrameStats } from '../messaging/content-background';
import { addTally, emptyTally, type Tally } from '../stats/daily-stats';
import { hash32 } from '../util/hash32';
import { coverRuleOf, decide, isCoveredByVerdict, type Display } from './decide';

/** One tracked element: the URLs it paints (several for CSS background layers) and what they got. */
export interface Tracked {
  readonly urls: readonly string[];
  /**
   * Each URL's answer, then those of the extra checks (a picture checked twice: from the page's own
   * pixels and by its download, own-pixels.ts), undefined until it arrives. The element is only as
   * safe as its least safe answer.
   */
  readonly results: (ClassifyResult | undefined)[];
  display: Display;
  /** Still pending after STILL_CHECKING_MS: labelled "Still checking", and one click shows it. */
  slow: boolean;
}

/** What became of an answer for one of an entry's URLs. */
export type AnswerOutcome = 'recorded' | 'stale' | 'kept';

export type DecideSettings = Parameters<typeof decide>[1];

export interface VerdictStore<K> {
  get(key: K): Tracked | undefined;
  /**
   * Tracks `key` as painting `urls`, pending until each has an answer and so have `extraChecks` more
   * checks of them. Answers undefined when the key already paints exactly these URLs, checked as often
   * (nothing to do).
   */
  track(key: K, urls: readonly string[], extraChecks?: number): Tracked | undefined;
  /** Stops tracking `key`; says whether it was tracked. */
  forget(key: K): boolean;
  /** Forgets every element (a rescan starts from scratch); the user's reveals and marks stay. */
  clear(): void;
  entries(): IterableIterator<[K, Tracked]>;
  /** The tracked keys painting `url`. */
  showing(url: string): K[];
  /**
   * Records the answer for `entry.urls[index]` (an index past the URLs is an extra check's). 'stale' when `entry` is no longer the key's (its image
   * changed meanwhile); 'kept' when the answer failed, `keepOnFailure` is set and the URL already had
   * scores (a refresh that failed keeps the old ones).
   */
  answer(key: K, entry: Tracked, index: number, result: ClassifyResult, keepOnFailure?: boolean): AnswerOutcome;
  /** Decides what the entry shows from its answers, the user's reveals and marks, and `settings`. */
  redecide(entry: Tracked, settings: DecideSettings): Display;
  /** The user clicked to reveal: every URL of the entry stays revealed on this page. */
  reveal(entry: Tracked): void;
  /** The user's marks on the entry's image (its first URL, for an element with several layers). */
  marksOf(entry: Tracked): Marks | undefined;
  /** Sets the user's marks on a URL as the background stored them. */
  setMarks(url: string, marks: Marks): void;
  /**
   * Marks the user made elsewhere (the context menu) arrived: like setMarks, and a "hide" verdict also
   * takes back a click-to-reveal on this page.
   */
  receiveMarks(url: string, marks: Marks): void;
  /**
   * Applies a mark the user just made on the entry's image, at once. Answers the URL it applies to and
   * an undo that puts that URL's marks back as they were, for a save that failed; undefined when the
   * entry has no URL.
   */
  applyMark(entry: Tracked, action: MarkAction): { url: string; undo: () => void } | undefined;
  /** Counts for the popup. */
  stats(): FrameStats;
  /**
   * What was answered since the last call, for the statistics page: each image (its URLs) once per
   * page, counted when its last answer arrives, with the rule that covered it then.
   */
  takeTally(): Tally;
}

export function createVerdictStore<K>(): VerdictStore<K> {
  const tracked = new Map<K, Tracked>();
  const revealedUrls = new Set<string>();
  const marksByUrl = new Map<string, Marks>();
  /** Images already counted in this frame's page (hashes of their first URL: a data: URL can be long). */
  const counted = new Set<number>();
  /** Entries whose image was looked up in `counted` already (an element's new URLs make a new entry). */
  const countedEntries = new WeakSet<Tracked>();
  let tally = emptyTally();

  /**
   * Counts the entry the first time all its answers are in. Keyed by its first URL (a video's poster
   * or first segment, a background's first layer): a video's list grows as it plays, and is one video.
   */
  const count = (entry: Tracked): void => {
    // Decided again (each answer, each video frame, each settings change): counted or not, known.
    if (countedEntries.has(entry)) return;
    const first = entry.urls[0];
    if (first === undefined || entry.results.some((r) => r === undefined)) return;
    countedEntries.add(entry);
    const key = hash32(first);
    if (counted.has(key)) return;
    counted.add(key);
    const { checked, failed, covered } = outcomeOf(entry);
    const rule = coverRuleOf(entry.display);
    tally = addTally(tally, {
      checked: checked ? 1 : 0,
      failed: failed ? 1 : 0,
      covered: covered ? 1 : 0,
      rules: covered && rule !== null ? { [rule]: 1 } : {},
    });
  };

  /** Hide wins over show when an element's layers disagree. */
  const verdictOf = (entry: Tracked): Verdict | null => {
    const verdicts = entry.urls.map((u) => marksByUrl.get(u)?.verdict ?? null);
    return verdicts.includes('hide') ? 'hide' : verdicts.includes('show') ? 'show' : null;
  };

  return {
    get: (key) => tracked.get(key),
    track(key, urls, extraChecks = 0) {
      const known = tracked.get(key);
      if (known && sameUrls(known.urls, urls) && known.results.length === urls.length + extraChecks) return undefined;
      const results = Array.from<ClassifyResult | undefined>({ length: urls.length + extraChecks });
      const entry: Tracked = { urls: [...urls], results, display: { state: 'pending' }, slow: false };
      tracked.set(key, entry);
      return entry;
    },
    forget: (key) => tracked.delete(key),
    clear: () => tracked.clear(),
    entries: () => tracked.entries(),
    showing: (url) => [...tracked].filter(([, entry]) => entry.urls.includes(url)).map(([key]) => key),
    answer(key, entry, index, result, keepOnFailure = false) {
      if (tracked.get(key) !== entry) return 'stale';
      if (!result.ok && keepOnFailure && entry.results[index]?.ok) return 'kept';
      const url = entry.urls[index];
      if (url !== undefined && result.marks && !marksByUrl.has(url)) marksByUrl.set(url, result.marks);
      entry.results[index] = result;
      return 'recorded';
    },
    redecide(entry, settings) {
      const revealed = entry.urls.some((u) => revealedUrls.has(u));
      entry.display = decide(entry.results, settings, revealed, verdictOf(entry));
      count(entry);
      return entry.display;
    },
    reveal(entry) {
      for (const url of entry.urls) revealedUrls.add(url);
    },
    marksOf: (entry) => marksByUrl.get(entry.urls[0] ?? ''),
    setMarks(url, marks) {
      marksByUrl.set(url, marks);
    },
    receiveMarks(url, marks) {
      marksByUrl.set(url, marks);
      if (marks.verdict === 'hide') revealedUrls.delete(url);
    },
    applyMark(entry, action) {
      const url = entry.urls[0];
      if (url === undefined) return undefined;
      const before = marksByUrl.get(url);
      marksByUrl.set(url, applyMark(before ?? emptyMarks(), action));
      // Saying "hide" takes back a click-to-reveal on this page.
      if (action.kind === 'verdict' && action.verdict === 'hide') for (const u of entry.urls) revealedUrls.delete(u);
      const undo = () => {
        if (before) marksByUrl.set(url, before);
        else marksByUrl.delete(url);
      };
      return { url, undo };
    },
    stats() {
      const stats: FrameStats = { checked: 0, covered: 0, failed: 0, pending: 0 };
      for (const entry of tracked.values()) {
        const outcome = outcomeOf(entry);
        if (entry.display.state === 'pending') stats.pending++;
        if (outcome.covered) stats.covered++;
        if (outcome.failed) stats.failed++;
        if (outcome.checked) stats.checked++;
      }
      return stats;
    },
    takeTally() {
      const taken = tally;
      tally = emptyTally();
      return taken;
    },
  };
}

/**
 * The one definition of how an element counts, for the popup and the statistics: covered by a verdict;
 * failed when any answer failed; checked when every answer is in and none failed.
 */
function outcomeOf({ results, display }: Tracked): { checked: boolean; failed: boolean; covered: boolean } {
  const failed = results.some((r) => r && !r.ok);
  return { checked: !failed && results.every((r) => r?.ok), failed, covered: isCoveredByVerdict(display.state) };
}

function sameUrls(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((u, i) => u === b[i]);
}
