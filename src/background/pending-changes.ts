// Applies the changes that waited out the lock's cool-down (src/lock/lock-store.ts): an alarm at the
// earliest due time, set again whenever the list changes and when the service worker starts, so a
// restart during the cool-down loses nothing (alarms outlive the worker; the list is in storage).
import { browser } from 'wxt/browser';
import { loadPending, saveLock, takeDue, watchPending, type PendingChange } from '../lock/lock-store';
import { mergeChange } from '../lock/merge-change';
import { updateSettings } from '../settings/store';

export const PENDING_ALARM = 'megane-pending-changes';

/** Runs one after the other: the start-up check and the alarm can both wake at once. */
let running: Promise<unknown> = Promise.resolve();

/** Writes each due change (oldest first), merged onto the settings as they are now, and sets the alarm for the next. */
export function applyDueChanges(now = Date.now()): Promise<PendingChange[]> {
  const run = running.then(async () => {
    const due = await takeDue(now);
    for (const change of due) {
      if (change.patch === null) await saveLock(null);
      else {
        const { patch, before } = change;
        await updateSettings((current) => mergeChange(current, before, patch));
      }
    }
    await scheduleNext();
    return due;
  });
  running = run.catch(() => undefined);
  return run;
}

async function scheduleNext(): Promise<void> {
  const pending = await loadPending();
  await browser.alarms.clear(PENDING_ALARM);
  if (pending.length === 0) return;
  const when = Math.min(...pending.map((p) => p.dueAt));
  await browser.alarms.create(PENDING_ALARM, { when: Math.max(when, Date.now() + 1000) });
}

/** Wires the alarm, the list's changes and the start-up check. */
export function watchPendingChanges(signal: AbortSignal): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === PENDING_ALARM) void applyDueChanges();
  });
  watchPending(() => void scheduleNext(), signal);
  void applyDueChanges();
}
