// Keyboard shortcuts (the manifest's `commands`, changeable on the browser's shortcuts page): switch
// Megane on or off for the site of the tab in front, as the popup's "Filter on this site" does; and
// pause Megane for 15 minutes, or end the pause; show the covered image under the pointer. The decisions are pure; the background writes them
// through updateSettings, under the lock.
import type { SettingsPatch } from '../settings/store';
import type { Settings } from '../settings/schema';
import { hostOf, matchingRule, setSiteRule } from '../settings/site-rules';

export const TOGGLE_SITE = 'toggle-site';
export const TOGGLE_PAUSE = 'toggle-pause';
/** Shows the covered image under the pointer, as a click on it would (the frame the pointer is in acts). */
export const REVEAL_UNDER_POINTER = 'reveal-under-pointer';

/** The site rules after switching the site of `url` over; null where there is no site (browser pages, files). */
export function toggleSite(url: string | undefined, settings: Pick<Settings, 'siteRules'>): SettingsPatch | null {
  const host = hostOf(url ?? '');
  if (host === '') return null;
  const on = matchingRule(host, settings.siteRules)?.on ?? true;
  return { siteRules: setSiteRule(settings, host, !on) };
}
