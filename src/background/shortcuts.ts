// Keyboard shortcuts (the manifest's `commands`, changeable on the browser's shortcuts page). One so
// far: switch Megane on or off for the site of the tab in front, as the popup's "Filter on this site"
// does. The decision is pure; the background writes it through updateSettings.
import type { SettingsPatch } from '../settings/store';
import type { Settings } from '../settings/schema';
import { hostOf, matchingRule, setSiteRule } from '../settings/site-rules';

export const TOGGLE_SITE = 'toggle-site';

/** The site rules after switching the site of `url` over; null where there is no site (browser pages, files). */
export function toggleSite(url: string | undefined, settings: Pick<Settings, 'siteRules'>): SettingsPatch | null {
  const host = hostOf(url ?? '');
  if (host === '') return null;
  const on = matchingRule(host, settings.siteRules)?.on ?? true;
  return { siteRules: setSiteRule(settings, host, !on) };
}
