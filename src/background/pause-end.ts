// When a pause ends nothing in storage changes, so nothing would tell the toolbar button: an alarm at
// the end (alarms outlive the service worker) lets the background show every tab's button again.
// Each frame's content script ends its own pause with a timer (run-content.ts).
import { browser } from 'wxt/browser';

export const PAUSE_END_ALARM = 'megane-pause-end';

export async function schedulePauseEnd(pausedUntil: number, now = Date.now()): Promise<void> {
  await browser.alarms.clear(PAUSE_END_ALARM);
  if (pausedUntil > now) await browser.alarms.create(PAUSE_END_ALARM, { when: pausedUntil + 500 });
}
