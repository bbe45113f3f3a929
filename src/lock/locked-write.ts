// Settings writes under the lock. A write that weakens the filter (weakening.ts) while a PIN is set is
// refused with a LockedChange, which the page turns into the lock's prompt: the PIN applies it now,
// or it waits out the cool-down in the pending list (lock-store.ts), which the background applies when
// due. Strengthening and neutral writes pass as before.
import type { Settings } from '../settings/schema';
import { updateSettings, type SettingsPatch } from '../settings/store';
import { addPending, loadLock, saveLock, type Lock, type PendingChange } from './lock-store';
import { verifyPin } from './pin-hash';
import { weakenings, type Weakening } from './weakening';

/** A write the lock held back: what it would write (null: remove the lock) and what that weakens. */
export class LockedChange extends Error {
  constructor(
    readonly patch: SettingsPatch | null,
    readonly changes: Weakening[],
    readonly lock: Lock,
    /** The changed settings' values before the change, so a queued one merges onto what is current then. */
    readonly before: SettingsPatch = {},
  ) {
    super('Megane is locked: this change needs the PIN');
    this.name = 'LockedChange';
  }
}

/** The top-level settings that differ, with their values in `from` (the new ones by default). */
export function changedPart(current: Settings, next: Settings, from: Settings = next): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(next) as (keyof Settings)[])
    if (key !== 'version' && JSON.stringify(current[key]) !== JSON.stringify(next[key])) patch[key] = from[key];
  return patch as SettingsPatch;
}

/** The guard updateSettings runs: throws a LockedChange for a weakening write while locked. */
export async function lockGuard(current: Settings, next: Settings): Promise<void> {
  const lock = await loadLock();
  if (lock === null) return;
  const changes = weakenings(current, next);
  if (changes.length > 0) throw new LockedChange(changedPart(current, next), changes, lock, changedPart(current, next, current));
}

/** updateSettings, held back by the lock. */
export function updateUnlessLocked(change: (current: Settings) => SettingsPatch): Promise<Settings> {
  return updateSettings(change, lockGuard);
}

/** Applies a held-back change now if `pin` is right; resolves false (writing nothing) if it is not. */
export async function applyWithPin(held: LockedChange, pin: string): Promise<boolean> {
  const lock = await loadLock();
  if (lock !== null && !(await verifyPin(pin, lock))) return false;
  if (held.patch === null) await saveLock(null);
  else {
    const patch = held.patch;
    await updateSettings(() => patch);
  }
  return true;
}

/** Queues a held-back change to apply after the lock's cool-down. */
export function applyAfterCoolDown(held: LockedChange): Promise<PendingChange> {
  return addPending(held.patch, held.changes, held.lock.coolDownMinutes, Date.now(), held.before);
}

/** Whether waiting out the cool-down makes sense: a pause asked for now would be over by then. */
export function canWait(held: LockedChange): boolean {
  return held.lock.coolDownMinutes > 0 && !held.changes.some((w) => w.kind === 'pause');
}

/** Asking to remove the lock: always held back (removing it is the weakest change of all). */
export async function unlockRequest(): Promise<LockedChange | null> {
  const lock = await loadLock();
  return lock === null ? null : new LockedChange(null, [], lock);
}
