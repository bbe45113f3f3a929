// Pausing: Megane filters nothing until a time, then goes back to work by itself (the popup's "Pause
// for 15 minutes", the Alt+Shift+U shortcut). Pausing shows more images, so the lock holds it back
// like switching off; resuming early never needs the PIN.
import type { Settings } from './schema';

export const PAUSE_MINUTES = 15;

export function isPaused(settings: Pick<Settings, 'pausedUntil'>, now = Date.now()): boolean {
  return settings.pausedUntil > now;
}

/** The settings change that pauses Megane for PAUSE_MINUTES from `now`. */
export function pauseFrom(now = Date.now()): Pick<Settings, 'pausedUntil'> {
  return { pausedUntil: now + PAUSE_MINUTES * 60_000 };
}

/** The settings change that ends a pause now. */
export const RESUME: Pick<Settings, 'pausedUntil'> = { pausedUntil: 0 };

/** A pause of PAUSE_MINUTES from `now`, or the end of the pause going on (the popup's button, the shortcut). */
export function togglePause(settings: Pick<Settings, 'pausedUntil'>, now = Date.now()): Pick<Settings, 'pausedUntil'> {
  return isPaused(settings, now) ? RESUME : pauseFrom(now);
}
