// Which tabs are active now, as the service worker last said ('tabs-active'), so a job asked for while
// its tab was in the background goes ahead once the user switches to it. A tab the service worker has
// not mentioned keeps what its job said when it was asked for.

import type { TabsActiveChanges } from '../messaging/background-offscreen';

export interface ActiveTabs {
  /** Tabs that became active (true) or stopped being (false). */
  update(changes: Readonly<TabsActiveChanges>): void;
  /** Whether `tab` is active now; `then` (the job's word) for a tab not heard of, and true for no tab. */
  isActive(tab: number | undefined, then: boolean | undefined): boolean;
}

/** At most this many tabs are remembered (the oldest word is forgotten first). */
const REMEMBERED = 1_000;

export function createActiveTabs(): ActiveTabs {
  const known = new Map<number, boolean>();
  return {
    update(changes) {
      for (const [tab, active] of Object.entries(changes)) {
        const id = Number(tab);
        known.delete(id);
        known.set(id, active);
      }
      while (known.size > REMEMBERED) known.delete(known.keys().next().value as number);
    },
    isActive(tab, then) {
      if (tab === undefined) return true;
      return known.get(tab) ?? then ?? true;
    },
  };
}
