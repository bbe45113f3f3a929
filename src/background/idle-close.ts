// Frees the model (memory, GPU buffers) when no image has been checked for the time the user chose
// (`keepModelMinutes`, 5 by default): the host is stopped (Chrome: the offscreen document is closed)
// and started again with the next image. The service worker may sleep in the meantime, so the last use is kept in storage.session and
// checked by an alarm (once a minute, the shortest Chrome allows), not a timer.
import { browser } from 'wxt/browser';

const ALARM = 'megane-idle-check';
const KEY = 'modelLastUsed';
/**
 * The last use is written at most this often (each image asks: two calls into the browser per image
 * for nothing); the model may then close up to this much early, against a minute or more of keeping.
 */
const WRITE_EVERY_MS = 20_000;
let written = Number.NEGATIVE_INFINITY;

export function markModelUsed(now = Date.now()): void {
  if (now - written < WRITE_EVERY_MS && now >= written) return;
  written = now;
  browser.storage.session.set({ [KEY]: now }).catch(() => {});
  // Firefox's alarms.create returns nothing, Chrome's a promise.
  Promise.resolve(browser.alarms.create(ALARM, { periodInMinutes: 1 })).catch(() => {});
}

/** `keepMinutes`: the setting, read when the alarm fires; `stop` frees the host. */
export function watchIdle(keepMinutes: () => Promise<number>, stop: () => Promise<void>): void {
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name !== ALARM) return;
    const { [KEY]: last } = await browser.storage.session.get(KEY);
    if (shouldClose(typeof last === 'number' ? last : 0, Date.now(), await keepMinutes())) {
      await browser.alarms.clear(ALARM);
      await stop().catch(() => {});
    }
  });
}

export function shouldClose(lastUsed: number, now: number, keepMinutes: number): boolean {
  return now - lastUsed >= keepMinutes * 60_000;
}
