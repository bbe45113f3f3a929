// Settings in chrome.storage.local: read (always through parseSettings, so a bad or old stored value
// never crashes a reader), write (validated, whole object with its version), and watch.
import { browser } from 'wxt/browser';
import { parseSettings, SETTINGS_KEY, SETTINGS_VERSION, type Settings } from './schema';
import { watchLocalKey } from '../util/watch-local-key';

export type SettingsPatch = Partial<Omit<Settings, 'version'>>;

/** Reads the stored settings, migrated and validated; every replaced value is reported on the console. */
export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(SETTINGS_KEY);
  return parseAndReport(stored[SETTINGS_KEY]);
}

/**
 * Applies `patch` to the stored settings and writes the whole object back with its version, so the
 * next reader needs no migration. Rejects, writing nothing, if a patched value is invalid: falling
 * back to the default (as reading does) would silently undo what the user just chose.
 * Resolves to the settings as written.
 */
export function saveSettings(patch: SettingsPatch): Promise<Settings> {
  return updateSettings(() => patch);
}

/**
 * Like saveSettings, but the patch is computed from the settings as stored right now, for changes
 * that depend on the current value (e.g. one site rule in the rule set). `guard` sees the stored and
 * the new settings before the write and can refuse it by throwing (the lock: src/lock/locked-write.ts).
 */
export function updateSettings(
  update: (current: Settings) => SettingsPatch,
  guard?: (current: Settings, next: Settings) => Promise<void>,
): Promise<Settings> {
  // Writes from this page run one at a time, so two quick changes cannot both read the old object
  // and the later write drop the earlier one. storage.local has no transactions, so pages writing at
  // the very same moment (popup and options) can still race; the last write wins.
  const run = writes.then(async () => {
    const current = await loadSettings();
    // A key set to undefined means "not patched"; `version` is never the caller's to set.
    const patch = Object.entries(update(current)).filter(([key, value]) => value !== undefined && key !== 'version');
    const { settings, problems } = parseSettings({ ...current, ...Object.fromEntries(patch), version: SETTINGS_VERSION });
    if (problems.length > 0) throw new Error(`[Megane] not saved: ${problems.join('; ')}`);
    await guard?.(current, settings);
    await browser.storage.local.set({ [SETTINGS_KEY]: settings });
    return settings;
  });
  writes = run.catch(() => undefined);
  return run;
}

let writes: Promise<unknown> = Promise.resolve();

/**
 * Calls `onChange` with the new settings whenever the stored settings change (from any extension
 * page or the background), until `signal` aborts.
 */
export function watchSettings(onChange: (settings: Settings) => void, signal: AbortSignal): void {
  watchLocalKey(SETTINGS_KEY, (stored) => onChange(parseAndReport(stored)), signal);
}

function parseAndReport(stored: unknown): Settings {
  const { settings, problems } = parseSettings(stored);
  for (const problem of problems) console.warn(`[Megane] ${problem}`);
  return settings;
}
