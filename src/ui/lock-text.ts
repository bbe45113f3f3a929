// The lock's durations and times in words.
import { i18n } from '#i18n';

/** "15 minutes", "1 hour", "24 hours" (a fraction of a minute reads as seconds). */
export function coolDownText(minutes: number): string {
  if (minutes < 1) return i18n.t('lock.seconds', Math.round(minutes * 60));
  if (minutes < 60 || minutes % 60 !== 0) return i18n.t('lock.minutes', Math.round(minutes));
  return i18n.t('lock.hours', minutes / 60);
}

/** When a pending change applies, as the browser's locale writes a time ("14:05", or a date and time after today). */
export function dueText(dueAt: number, now = Date.now()): string {
  const date = new Date(dueAt);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const locale = i18n.t('common.lang') || undefined;
  return sameDay
    ? date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
