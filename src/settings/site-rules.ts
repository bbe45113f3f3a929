// Per-site decisions: is Megane filtering the page at this URL? One pure function so the content
// script, the popup and the tests all agree.
//
// Hosts: a rule keyed by "example.com" also covers every sub-domain ("a.b.example.com"); the most
// specific rule wins, and with no rule at all the site is filtered.
//
// Pages without a web host get the host "" (see hostOf). "" can never be a rule key (isHostName
// rejects it), so such pages follow the master switch alone. That fails closed: a page we cannot name
// is a page the user cannot exempt, so it is filtered whenever Megane is on. In practice this covers
// file: pages (the content script runs there when the user allows file access; a per-file or
// per-folder rule would need a different key and no one has asked), about:blank / about:srcdoc /
// data: frames when the caller could not give us the parent's URL, and browser or extension pages,
// where no content script runs anyway.
import { isPaused } from './pause';
import { isHostName, type Settings } from './schema';

export type SiteRules = Settings['siteRules'];

/**
 * The host a URL's site rules are keyed by: the lower-case host name, without port or trailing dot,
 * for http(s) pages and for blob: URLs made by them; "" for anything else (file:, about:, data:,
 * browser and extension pages, text that is not a URL).
 */
export function hostOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '';
  }
  if (parsed.protocol === 'blob:') {
    // A blob: URL belongs to the page that made it: "blob:https://example.com/<uuid>".
    return parsed.origin === 'null' ? '' : hostOf(parsed.origin);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return '';
  // URL already lower-cases and punycodes the host; "example.com." is the same site as "example.com".
  const host = parsed.hostname.replace(/\.$/, '');
  return isHostName(host) ? host : '';
}

/** The rule that decides a host: its own, else its closest parent domain's; null when none applies. */
export function matchingRule(host: string, siteRules: SiteRules): { host: string; on: boolean } | null {
  for (const candidate of hostAndParents(host)) {
    const on = ownRule(siteRules, candidate);
    if (on !== undefined) return { host: candidate, on };
  }
  return null;
}

/** Whether Megane filters images on the page at `url` at `now` (switched on, not paused, the site not off). */
export function isFilteredOn(url: string, settings: Pick<Settings, 'enabled' | 'siteRules' | 'pausedUntil'>, now = Date.now()): boolean {
  if (!settings.enabled || isPaused(settings, now)) return false;
  return matchingRule(hostOf(url), settings.siteRules)?.on ?? true;
}

/**
 * The site rules after the user says "filter on `host`: yes/no". A rule that repeats what the host
 * would inherit anyway (from a parent domain's rule, or the default "filtered") is dropped, so turning
 * a site back on leaves no trace unless a parent rule needs overriding. Rules for sub-domains of
 * `host` are kept: they are the user's explicit choices and must survive the parent being toggled.
 * Throws on a host that cannot be a rule key (e.g. "" from hostOf): storing one would make the whole
 * rule set invalid, and parseSettings would then throw every rule away.
 */
export function setSiteRule(settings: Pick<Settings, 'siteRules'>, host: string, on: boolean): SiteRules {
  if (!isHostName(host)) throw new RangeError(`Not a host name: ${JSON.stringify(host)}`);
  const rules: SiteRules = { ...settings.siteRules };
  delete rules[host];
  const inherited = matchingRule(host, rules)?.on ?? true;
  if (inherited !== on) rules[host] = on;
  return rules;
}

/** The site rules without `host`'s own rule (parent and sub-domain rules stay). */
export function removeSiteRule(settings: Pick<Settings, 'siteRules'>, host: string): SiteRules {
  const rules: SiteRules = { ...settings.siteRules };
  delete rules[host];
  return rules;
}

/**
 * What the user typed into an "add site" field, as a rule key, or null when it is not a host. Takes
 * a bare host ("Example.com") or a pasted address ("https://www.example.com/path").
 */
export function hostFromInput(text: string): string | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return null;
  const host = hostOf(/^[a-z][a-z0-9+.-]*:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`);
  return host === '' ? null : host;
}

/** "a.b.example.com" -> itself, "b.example.com", "example.com", "com". IP addresses match only exactly. */
function hostAndParents(host: string): string[] {
  if (host === '') return [];
  // "10.0.0.1" must not pick up a rule for "0.1"; bracketed IPv6 has no dots to split on anyway.
  if (/^[0-9.]+$/.test(host)) return [host];
  const labels = host.split('.');
  return labels.map((_, i) => labels.slice(i).join('.'));
}

/** Own-property lookup, so a host named "constructor" or "__proto__" never reads Object.prototype. */
function ownRule(rules: SiteRules, host: string): boolean | undefined {
  return Object.hasOwn(rules, host) ? rules[host] : undefined;
}
