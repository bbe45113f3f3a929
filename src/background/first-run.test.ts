import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { isInstall, openWelcomeOnce } from './first-run';

describe('isInstall', () => {
  it.each([
    ['install', true],
    ['update', false],
    ['chrome_update', false],
    ['browser_update', false],
    ['shared_module_update', false],
  ])('%s → %s', (reason, expected) => expect(isInstall({ reason })).toBe(expected));
});

describe('openWelcomeOnce', () => {
  beforeEach(() => fakeBrowser.reset());
  const opened: string[] = [];
  const deps = { storage: fakeBrowser.storage.local, open: async () => void opened.push('welcome') };

  it('opens on the first install only; updates never', async () => {
    opened.length = 0;
    expect(await openWelcomeOnce({ reason: 'update' }, deps)).toBe(false);
    expect(await openWelcomeOnce({ reason: 'install' }, deps)).toBe(true);
    // Chrome says "install" again for an unpacked extension at each launch: shown already.
    expect(await openWelcomeOnce({ reason: 'install' }, deps)).toBe(false);
    expect(opened).toEqual(['welcome']);
  });
});
