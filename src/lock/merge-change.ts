// A change queued for the lock's cool-down is written when due over settings that may have changed
// meanwhile. Writing the whole site-rule or tag-rule set as it was when the change was asked for
// would undo what changed since (a site switched back on would be switched off again, unasked): so
// within those sets only the entries the change itself touched are written.
import type { Settings } from '../settings/schema';
import type { SettingsPatch } from '../settings/store';
import { isRecord } from '../util/checks';

/** Settings that are sets of entries by key (host, tag): merged entry by entry. */
const ENTRY_SETS = new Set<keyof Settings>(['siteRules', 'tags', 'tagSources']);

/** What writing `after` (which replaced `before`) means for `current` now. */
export function mergeChange(current: Settings, before: SettingsPatch, after: SettingsPatch): SettingsPatch {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof SettingsPatch)[]) {
    const was: unknown = before[key];
    const now: unknown = after[key];
    const here: unknown = current[key];
    if (!ENTRY_SETS.has(key) || !isRecord(was) || !isRecord(now) || !isRecord(here)) {
      out[key] = now;
      continue;
    }
    const merged: Record<string, unknown> = { ...here };
    for (const entry of new Set([...Object.keys(was), ...Object.keys(now)])) {
      if (JSON.stringify(was[entry]) === JSON.stringify(now[entry])) continue;
      if (now[entry] === undefined) delete merged[entry];
      else merged[entry] = now[entry];
    }
    out[key] = merged;
  }
  return out as SettingsPatch;
}
