// Raw scores per scope (top-level site, private or not), image URL and model (classify-service.ts makes the keys), so a page
// reload or a threshold change needs no inference, and no site learns from the timing what another
// site showed.
// Kept in memory and mirrored to storage.session, which survives service-worker restarts but not a
// browser restart (nothing about browsing is written to disk). Failures are kept only briefly: an
// image that could not be checked is retried later, never remembered as safe. A private window's
// answers (keys starting with PRIVATE_SCOPE) stay in memory only and go when the last private window
// closes (private-windows.ts; Firefox runs one background for both kinds of window, Chrome a second one
// for incognito, which shares the regular profile's storage.session and so is given no store).
import type { ClassifyResult } from '../messaging/content-background';

export interface CacheStore {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

interface Entry {
  result: ClassifyResult;
  at: number;
}

export interface ScoreCacheOptions {
  maxEntries: number;
  failureTtlMs: number;
  now?: () => number;
}

const STORAGE_KEY = 'scoreCache';
/** How classify-service.ts starts the key of an answer asked for from a private window. */
export const PRIVATE_SCOPE = 'private ';
const isPrivateKey = (key: string): boolean => key.startsWith(PRIVATE_SCOPE);

export function createScoreCache(store: CacheStore, { maxEntries, failureTtlMs, now = Date.now }: ScoreCacheOptions) {
  const entries = new Map<string, Entry>();
  let loaded: Promise<void> | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  const load = () =>
    (loaded ??= store
      .get(STORAGE_KEY)
      .then((items) => {
        const saved = items[STORAGE_KEY];
        if (!Array.isArray(saved)) return;
        for (const item of saved) {
          const key: unknown = item?.[0];
          if (Array.isArray(item) && typeof key === 'string' && !isPrivateKey(key) && isEntry(item[1]) && !entries.has(key)) {
            entries.set(key, item[1]);
          }
        }
      })
      .catch(() => {}));

  const saveSoon = () => {
    if (saveTimer !== undefined) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      const ok = [...entries].filter(([key, e]) => e.result.ok && !isPrivateKey(key));
      store.set({ [STORAGE_KEY]: ok }).catch(() => {});
    }, 1000);
  };

  return {
    async get(key: string): Promise<ClassifyResult | undefined> {
      await load();
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (!entry.result.ok && now() - entry.at > failureTtlMs) {
        entries.delete(key);
        return undefined;
      }
      // Refresh recency: Map iteration order is insertion order, so the oldest entry is first.
      entries.delete(key);
      entries.set(key, entry);
      return entry.result;
    },
    async set(key: string, result: ClassifyResult): Promise<void> {
      await load();
      entries.delete(key);
      entries.set(key, { result, at: now() });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      if (result.ok && !isPrivateKey(key)) saveSoon();
    },
    /** Forgets every private window's answer (the last private window closed). */
    dropPrivate(): void {
      for (const key of [...entries.keys()]) if (isPrivateKey(key)) entries.delete(key);
    },
    clear(): void {
      entries.clear();
      store.set({ [STORAGE_KEY]: [] }).catch(() => {});
    },
    get size() {
      return entries.size;
    },
  };
}

export type ScoreCache = ReturnType<typeof createScoreCache>;

function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null) return false;
  const { result, at } = value as Partial<Entry>;
  return typeof at === 'number' && typeof result === 'object' && result !== null && typeof result.ok === 'boolean';
}
