import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { PERSONAL_DIRTY_KEY, personalDirtyFlag } from './personal-dirty-flag';

describe('personal dirty flag', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is clear until set, and kept in storage.local where a restarted worker finds it', async () => {
    expect(await personalDirtyFlag.get()).toBe(false);
    await personalDirtyFlag.set(true);
    expect(await fakeBrowser.storage.local.get(PERSONAL_DIRTY_KEY)).toEqual({ [PERSONAL_DIRTY_KEY]: true });
    expect(await personalDirtyFlag.get()).toBe(true);
    await personalDirtyFlag.set(false);
    expect(await personalDirtyFlag.get()).toBe(false);
  });

  it('reads anything but true as clear', async () => {
    await fakeBrowser.storage.local.set({ [PERSONAL_DIRTY_KEY]: 'yes' });
    expect(await personalDirtyFlag.get()).toBe(false);
  });
});
