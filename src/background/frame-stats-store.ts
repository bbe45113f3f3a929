// Per-tab image counts reported by each frame's content script, for the popup. Mirrored to
// storage.session so a restarted service worker still knows them.
import type { FrameStats } from '../messaging/content-background';
import type { CacheStore } from './score-cache';

const KEY = 'frameStats';
type Saved = Record<string, Record<string, FrameStats>>;

export function createFrameStatsStore(store: CacheStore) {
  let tabs: Saved | null = null;
  /** A save is already on its way: the changes meanwhile go with it. */
  let saving = false;

  const load = async (): Promise<Saved> => {
    if (!tabs) {
      const saved = (await store.get(KEY).catch((): Record<string, unknown> => ({})))[KEY];
      tabs = typeof saved === 'object' && saved !== null ? (saved as Saved) : {};
    }
    return tabs;
  };
  const saveSoon = () => {
    if (saving) return;
    saving = true;
    setTimeout(() => {
      saving = false;
      store.set({ [KEY]: tabs ?? {} }).catch(() => {});
    }, 500);
  };

  return {
    async report(tabId: number, frameId: number, stats: FrameStats): Promise<void> {
      const all = await load();
      all[tabId] = { ...all[tabId], [frameId]: stats };
      saveSoon();
    },
    async forgetTab(tabId: number): Promise<void> {
      const all = await load();
      if (all[tabId]) {
        delete all[tabId];
        saveSoon();
      }
    },
    /** The sum over a tab's frames, or null when no frame of it has reported. */
    async total(tabId: number): Promise<FrameStats | null> {
      const frames = (await load())[tabId];
      if (!frames) return null;
      const sum: FrameStats = { checked: 0, covered: 0, failed: 0, pending: 0 };
      for (const stats of Object.values(frames)) {
        sum.checked += stats.checked;
        sum.covered += stats.covered;
        sum.failed += stats.failed;
        sum.pending += stats.pending;
      }
      return sum;
    },
  };
}
