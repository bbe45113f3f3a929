// The lock's cool-downs in words.
import { i18n } from '#i18n';

/** "15 minutes", "1 hour", "24 hours" (a fraction of a minute reads as seconds). */
export function coolDownText(minutes: number): string {
  if (minutes < 1) return i18n.t('lock.seconds', Math.round(minutes * 60));
  if (minutes < 60 || minutes % 60 !== 0) return i18n.t('lock.minutes', Math.round(minutes));
  return i18n.t('lock.hours', minutes / 60);
}
