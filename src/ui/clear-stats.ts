// Deletes the Statistics tab's counts, through the background (its writes and the clear share one
// queue, daily-stats-store.ts). Throws when the background did not answer.
import { i18n } from '#i18n';
import { sendPopupToBackground } from '../messaging/popup-background';

export async function clearStatistics(): Promise<void> {
  const done = await sendPopupToBackground({ channel: 'popup->background', type: 'clear-stats' });
  if (!done) throw new Error(i18n.t('stats.noAnswer'));
}
