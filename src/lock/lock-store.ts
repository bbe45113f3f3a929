// The lock and the changes waiting out its cool-down, in storage.local (apart from the settings, so a
// settings file never carries the PIN's hash, and importing one is itself a change the lock judges).
// Both are read through validators: a damaged record reads as "no lock" only if it is not a lock at
// all, and a damaged pending change is dropped.
import { browser } from 'wxt/browser';
import type { SettingsPatch } from '../settings/store';
import { isFiniteNumber, isRecord } from '../util/checks';
import { watchLocalKey } from '../util/watch-local-key';
import type { PinHash } from './pin-hash';
import type { Weakening } from './weakening';

export const LOCK_KEY = 'lock';
export const PENDING_KEY = 'pendingChanges';

export interface Lock extends PinHash {
  /** How long a weakening change made without the PIN waits before it applies; 0: only the PIN. */
  coolDownMinutes: number;
}

/** The cool-downs the options page offers, in minutes. */
export const COOL_DOWNS = [0, 15, 60, 240, 1440] as const;

export interface PendingChange {
  id: string;
  /** When it applies (ms since the epoch). */
  dueAt: number;
  /** The settings it writes then; null: it removes the lock. */
  patch: SettingsPatch | null;
  /** What it weakens, for the list. */
  changes: Weakening[];
  /** The changed settings' values before the change (merge-change.ts). */
  before: SettingsPatch;
}

export function parseLock(value: unknown): Lock | null {
  if (!isRecord(value)) return null;
  const { salt, hash, iterations, coolDownMinutes } = value;
  if (typeof salt !== 'string' || typeof hash !== 'string' || !isFiniteNumber(iterations) || iterations < 1) return null;
  return { salt, hash, iterations, coolDownMinutes: isFiniteNumber(coolDownMinutes) && coolDownMinutes >= 0 ? coolDownMinutes : 60 };
}

export function parsePending(value: unknown): PendingChange[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (p): p is PendingChange =>
      isRecord(p) &&
      typeof p.id === 'string' &&
      isFiniteNumber(p.dueAt) &&
      (p.patch === null || isRecord(p.patch)) &&
      isRecord(p.before) &&
      Array.isArray(p.changes),
  );
}

export async function loadLock(): Promise<Lock | null> {
  return parseLock((await browser.storage.local.get(LOCK_KEY))[LOCK_KEY]);
}

export async function saveLock(lock: Lock | null): Promise<void> {
  if (lock === null) await browser.storage.local.remove(LOCK_KEY);
  else await browser.storage.local.set({ [LOCK_KEY]: lock });
}

export async function loadPending(): Promise<PendingChange[]> {
  return parsePending((await browser.storage.local.get(PENDING_KEY))[PENDING_KEY]);
}

async function savePending(list: PendingChange[]): Promise<void> {
  await browser.storage.local.set({ [PENDING_KEY]: list });
}

/** Queues a change to apply after the lock's cool-down; resolves to it. */
export async function addPending(
  patch: SettingsPatch | null,
  changes: Weakening[],
  coolDownMinutes: number,
  now = Date.now(),
  before: SettingsPatch = {},
): Promise<PendingChange> {
  const change: PendingChange = {
    id: `${now}-${Math.random().toString(36).slice(2, 8)}`,
    dueAt: now + coolDownMinutes * 60_000,
    patch,
    changes,
    before,
  };
  await savePending([...(await loadPending()), change]);
  return change;
}

export async function cancelPending(id: string): Promise<void> {
  await savePending((await loadPending()).filter((p) => p.id !== id));
}

/** Takes the changes due at `now` off the list and resolves to them, oldest first. */
export async function takeDue(now = Date.now()): Promise<PendingChange[]> {
  const all = await loadPending();
  const due = all.filter((p) => p.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
  if (due.length > 0) await savePending(all.filter((p) => p.dueAt > now));
  return due;
}

export function watchLock(onChange: (lock: Lock | null) => void, signal: AbortSignal): void {
  watchLocalKey(LOCK_KEY, (value) => onChange(parseLock(value)), signal);
}

export function watchPending(onChange: (pending: PendingChange[]) => void, signal: AbortSignal): void {
  watchLocalKey(PENDING_KEY, (value) => onChange(parsePending(value)), signal);
}
