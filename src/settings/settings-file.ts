// Settings as a file the user can save and load on the options page:
// { "format": "megane-settings", "version": <SETTINGS_VERSION>, "settings": { ... } }.
// Reading goes through parseSettings, so an old file is migrated and a bad field falls back to its
// default like a bad stored value does; only a file that is not a settings file at all is refused.
import { parseSettings, SETTINGS_VERSION, type Settings, type ValidationResult } from './schema';
import { errorText } from '../util/checks';

export const SETTINGS_FILE_FORMAT = 'megane-settings';

/** The settings as pretty-printed JSON, ready to save. */
export function settingsToFile(settings: Settings): string {
  return `${JSON.stringify({ format: SETTINGS_FILE_FORMAT, version: SETTINGS_VERSION, settings }, null, 2)}\n`;
}

/** The settings in a settings file, migrated and validated. Throws an Error if it is not a settings file. */
export function settingsFromFile(text: string): Settings {
  return readSettingsFile(text).settings;
}

/**
 * Like settingsFromFile, and also says which values were replaced by their defaults, so the options
 * page can tell the user. Throws an Error if `text` is not JSON or not a Megane settings file.
 */
export function readSettingsFile(text: string): ValidationResult {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`Not a Megane settings file: it is not valid JSON (${errorText(error)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error('Not a Megane settings file: expected a JSON object');
  }
  const file = json as Record<string, unknown>;
  if (file.format !== SETTINGS_FILE_FORMAT) {
    throw new Error(
      `Not a Megane settings file: format is ${JSON.stringify(file.format) ?? 'missing'}, expected "${SETTINGS_FILE_FORMAT}"`,
    );
  }
  const settings = file.settings;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new Error('Not a Megane settings file: it has no "settings" object');
  }
  // The settings carry their own version; a hand-made file may give it only on the outside.
  const inner = settings as Record<string, unknown>;
  return parseSettings(inner.version === undefined && file.version !== undefined ? { ...inner, version: file.version } : inner);
}
