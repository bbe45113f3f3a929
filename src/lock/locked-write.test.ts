import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, saveSettings } from '../settings/store';
import { loadLock, loadPending, parseLock, parsePending, saveLock, takeDue } from './lock-store';
import { applyAfterCoolDown, applyWithPin, LockedChange, unlockRequest, updateUnlessLocked } from './locked-write';
import { hashPin, isAcceptablePin, verifyPin } from './pin-hash';

/** Few iterations: the tests check the logic, not the cost. */
const lockWith = async (pin: string, coolDownMinutes = 60) => saveLock({ ...(await hashPin(pin, 1000)), coolDownMinutes });

beforeEach(() => fakeBrowser.reset());

describe('PIN hash', () => {
  it('verifies the PIN it was made from and nothing else, and stores no PIN', async () => {
    const stored = await hashPin('2468', 1000);
    expect(JSON.stringify(stored)).not.toContain('2468');
    expect(await verifyPin('2468', stored)).toBe(true);
    expect(await verifyPin('2469', stored)).toBe(false);
    expect(await verifyPin('', stored)).toBe(false);
    // A new salt each time.
    expect((await hashPin('2468', 1000)).hash).not.toBe(stored.hash);
  });

  it.each([
    ['123', false],
    ['1234', true],
    ['x'.repeat(32), true],
    ['x'.repeat(33), false],
  ])('%s acceptable: %s', (pin, ok) => expect(isAcceptablePin(pin)).toBe(ok));
});

describe('lock store', () => {
  it('reads bad records as no lock and drops bad pending changes', () => {
    expect(parseLock(null)).toBeNull();
    expect(parseLock({ salt: 'a', hash: 'b' })).toBeNull();
    expect(parseLock({ salt: 'a', hash: 'b', iterations: 5, coolDownMinutes: -1 })?.coolDownMinutes).toBe(60);
    expect(parsePending([{ id: 'a', dueAt: 1, patch: null, changes: [], before: {} }, { id: 2 }, 'x'])).toHaveLength(1);
    expect(parsePending('nope')).toEqual([]);
  });
});

describe('writes under the lock', () => {
  it('pass freely without a lock', async () => {
    await updateUnlessLocked(() => ({ enabled: false }));
    expect((await loadSettings()).enabled).toBe(false);
  });

  it('hold back a weakening change, let a stronger one through', async () => {
    await lockWith('2468');
    const refused = await updateUnlessLocked(() => ({ enabled: false, nsfwThreshold: 0.9 })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LockedChange);
    expect((refused as LockedChange).changes.map((w) => w.kind)).toEqual(['off', 'threshold']);
    expect((refused as LockedChange).patch).toEqual({ enabled: false, nsfwThreshold: 0.9 });
    expect((await loadSettings()).enabled).toBe(true);
    await updateUnlessLocked(() => ({ nsfwThreshold: 0.3 }));
    expect((await loadSettings()).nsfwThreshold).toBe(0.3);
  });

  it('apply a held-back change with the right PIN only', async () => {
    await lockWith('2468');
    const held = (await updateUnlessLocked(() => ({ enabled: false })).catch((e: unknown) => e)) as LockedChange;
    expect(await applyWithPin(held, '1111')).toBe(false);
    expect((await loadSettings()).enabled).toBe(true);
    expect(await applyWithPin(held, '2468')).toBe(true);
    expect((await loadSettings()).enabled).toBe(false);
  });

  it('queue a held-back change for after the cool-down', async () => {
    await lockWith('2468', 15);
    await saveSettings({ nsfwThreshold: 0.5 });
    const held = (await updateUnlessLocked(() => ({ nsfwThreshold: 0.8 })).catch((e: unknown) => e)) as LockedChange;
    const queued = await applyAfterCoolDown(held);
    expect(queued.dueAt - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(await loadPending()).toHaveLength(1);
    expect(await takeDue(Date.now())).toEqual([]);
    expect((await takeDue(queued.dueAt)).map((p) => p.patch)).toEqual([{ nsfwThreshold: 0.8 }]);
    expect(await loadPending()).toEqual([]);
  });

  it('remove the lock only with its PIN', async () => {
    await lockWith('2468');
    const request = await unlockRequest();
    expect(request?.patch).toBeNull();
    if (!request) return;
    expect(await applyWithPin(request, '0000')).toBe(false);
    expect(await loadLock()).not.toBeNull();
    expect(await applyWithPin(request, '2468')).toBe(true);
    expect(await loadLock()).toBeNull();
  });
});
