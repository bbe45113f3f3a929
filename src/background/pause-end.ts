// When a pause runs out nothing in storage changes by itself: an alarm at the end (alarms outlive the
// service worker) lets the background write the pause as over, which every frame hears, and show
// every tab's button again. Each frame also ends its own pause with a timer (run-content.ts), which
// is on time where timers run; the alarm catches frames whose timers slept.
import { browser } from 'wxt/browser';

export const PAUSE_END_ALARM = 'megane-pause-end';

export async function schedulePauseEnd(pausedUntil: number, now = Date.now()): Promise<void> {
  await browser.alarms.clear(PAUSE_END_ALARM);
  if (pausedUntil > now) await browser.alarms.create(PAUSE_END_ALARM, { when: pausedUntil + 500 });
}
