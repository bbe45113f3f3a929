// Frees the model (memory, GPU buffers) when no image has been checked for a while: the offscreen
// document is closed and created again with the next image. The service worker may sleep in the
// meantime, so the last use is kept in storage.session and checked by an alarm, not a timer.
import { closeOffscreenDocument } from './offscreen-document';

export const IDLE_CLOSE_MS = 5 * 60_000;
const ALARM = 'megane-idle-check';
const KEY = 'modelLastUsed';

export function markModelUsed(now = Date.now()): void {
  chrome.storage.session.set({ [KEY]: now }).catch(() => {});
  chrome.alarms.create(ALARM, { periodInMinutes: 1 }).catch(() => {});
}

export function watchIdle(): void {
  chrome.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== ALARM) return;
    const { [KEY]: last } = await chrome.storage.session.get(KEY);
    if (shouldClose(typeof last === 'number' ? last : 0, Date.now())) {
      await chrome.alarms.clear(ALARM);
      await closeOffscreenDocument().catch(() => {});
    }
  });
}

export function shouldClose(lastUsed: number, now: number): boolean {
  return now - lastUsed >= IDLE_CLOSE_MS;
}
