// "Marks changed since the personal model last trained", in storage.local so a service worker stopped
// between a mark and its training still trains when it starts again (see training-scheduler.ts).
import { browser } from 'wxt/browser';

export const PERSONAL_DIRTY_KEY = 'personalDirty';

export const personalDirtyFlag = {
  get: async (): Promise<boolean> => (await browser.storage.local.get(PERSONAL_DIRTY_KEY))[PERSONAL_DIRTY_KEY] === true,
  set: (dirty: boolean): Promise<void> => browser.storage.local.set({ [PERSONAL_DIRTY_KEY]: dirty }),
};
