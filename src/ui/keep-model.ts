// The choices the options page offers for how long the model stays loaded after the last image
// (the `keepModelMinutes` setting; a value set another way, such as an imported settings file, is
// listed too).
import { i18n } from '#i18n';

export const KEEP_MODEL_CHOICES = [1, 5, 15, 60, 480] as const;

export function keepModelLabel(minutes: number): string {
  const text = minutes % 60 === 0 ? i18n.t('options.model.hours', minutes / 60) : i18n.t('options.model.minutes', minutes);
  return minutes === 5 ? i18n.t('options.model.defaultChoice', [text]) : text;
}
