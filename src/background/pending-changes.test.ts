import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, expect, it } from 'vitest';
import { addPending, loadLock, loadPending, saveLock } from '../lock/lock-store';
import { loadSettings } from '../settings/store';
import { applyDueChanges, PENDING_ALARM } from './pending-changes';

beforeEach(() => fakeBrowser.reset());

it('applies the changes that are due, oldest first, and sets an alarm for the next', async () => {
  const now = Date.now();
  await addPending({ nsfwThreshold: 0.8 }, [{ kind: 'threshold', from: 0.7, to: 0.8 }], 0, now - 2000);
  await addPending({ nsfwThreshold: 0.9 }, [{ kind: 'threshold', from: 0.8, to: 0.9 }], 0, now - 1000);
  await addPending({ enabled: false }, [{ kind: 'off' }], 10, now);
  const applied = await applyDueChanges(now);
  expect(applied.map((p) => p.patch)).toEqual([{ nsfwThreshold: 0.8 }, { nsfwThreshold: 0.9 }]);
  const settings = await loadSettings();
  expect(settings.nsfwThreshold).toBe(0.9);
  expect(settings.enabled).toBe(true);
  expect((await loadPending()).map((p) => p.patch)).toEqual([{ enabled: false }]);
  const alarm = await fakeBrowser.alarms.get(PENDING_ALARM);
  expect(alarm?.scheduledTime).toBe(now + 10 * 60_000);
});

it('removes the lock when a queued unlock is due, and leaves no alarm when nothing waits', async () => {
  await saveLock({ salt: 'AAAA', hash: 'AAAA', iterations: 1, coolDownMinutes: 1 });
  await addPending(null, [], 0, Date.now() - 1);
  await applyDueChanges();
  expect(await loadLock()).toBeNull();
  expect(await fakeBrowser.alarms.get(PENDING_ALARM)).toBeUndefined();
});
