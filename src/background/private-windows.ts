// A private window's traces in the background's memory go when the last private window closes.
// Firefox runs one background for regular and private windows; Chrome's incognito background (split
// mode) goes away with its windows, but its storage.session is the regular profile's (Chromium shares
// it), so what it keeps must never be written there.
import type { CacheStore } from './score-cache';

/** A store that keeps nothing: for the incognito background, whose storage.session is the regular profile's. */
export const NOTHING_KEPT: CacheStore = {
  get: async () => ({}),
  set: async () => {},
};

/**
 * After window `closedId` closed: calls `forget` if no other private window is open. A failed query
 * forgets too (a private window's answers are worth less than the doubt).
 */
export async function forgetIfLastPrivateClosed(
  closedId: number,
  openWindows: () => Promise<ReadonlyArray<{ id?: number; incognito: boolean }>>,
  forget: () => void,
): Promise<void> {
  const windows = await openWindows().catch(() => []);
  if (!windows.some((w) => w.incognito && w.id !== closedId)) forget();
}
