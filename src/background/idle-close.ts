// Frees the model (memory, GPU buffers) when no image has been checked for a while: the offscreen
// document is closed and created again with the next image. The service worker may sleep in the
// meantime, so the last use is kept in storage.session and checked by an alarm, not a timer.
import { browser } from 'wxt/browser';
import { closeOffscreenDocument } from './offscreen-document';

export const IDLE_CLOSE_MS = 5 * 60_000;
const ALARM = 'megane-idle-check';
const KEY = 'modelLastUsed';

export function markModelUsed(now = Date.now()): void {
  browser.storage.session.set({ [KEY]: now }).catch(() => {});
  browser.alarms.create(ALARM, { periodInMinutes: 1 }).catch(() => {});
}

export function watchIdle(): void {
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== ALARM) return;
    const { [KEY]: last } = await browser.storage.session.get(KEY);
    if (shouldClose(typeof last === 'number' ? last : 0, Date.now())) {
      await browser.alarms.clear(ALARM);
      await closeOffscreenDocument().catch(() => {});
    }
  });
}

export function shouldClose(lastUsed: number, now: number): boolean {
  return now - lastUsed >= IDLE_CLOSE_MS;
}
