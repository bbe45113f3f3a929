// Follows which tab is active in each window, and says what changed, so the model host can put the
// images of the tab the user switched to first (src/offscreen/check-priority.ts). A job also carries
// whether its tab was active when it was asked for; this only tells the host of later switches.

import type { TabsActiveChanges } from '../messaging/background-offscreen';

export interface TabIds {
  id?: number;
  windowId: number;
}

export function createActiveTabTracker(tell: (changes: TabsActiveChanges) => void) {
  const activeIn = new Map<number, number>();
  return {
    /** The active tabs when the service worker starts (it may have missed switches while stopped). */
    seed(tabs: readonly TabIds[]): void {
      for (const { id, windowId } of tabs) if (id !== undefined && !activeIn.has(windowId)) activeIn.set(windowId, id);
    },
    activated(tabId: number, windowId: number): void {
      const before = activeIn.get(windowId);
      if (before === tabId) return;
      activeIn.set(windowId, tabId);
      tell(before === undefined ? { [tabId]: true } : { [before]: false, [tabId]: true });
    },
    windowClosed(windowId: number): void {
      activeIn.delete(windowId);
    },
  };
}
