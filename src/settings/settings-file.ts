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

/**
 * What importing `incoming` over `current` changes, one sentence per changed setting, most
 * consequential first (switching Megane off, sites where nothing is filtered); empty when nothing does.
 */
export function settingsChanges(current: Settings, incoming: Settings): string[] {
  const same = (key: keyof Settings) => JSON.stringify(current[key]) === JSON.stringify(incoming[key]);
  const percent = (v: number) => `${Math.round(v * 100)}%`;
  const lines: string[] = [];
  if (!same('enabled')) lines.push(incoming.enabled ? 'Turns Megane on' : 'Turns Megane off: no image is covered');
  if (!same('siteRules')) {
    const off = Object.keys(incoming.siteRules).filter((host) => !incoming.siteRules[host]);
    lines.push(
      off.length > 0
        ? `Site rules: nothing is filtered on ${off.join(', ')}`
        : `Site rules: ${Object.keys(incoming.siteRules).length} (no site left unfiltered)`,
    );
  }
  if (!same('nsfwThreshold')) lines.push(`NSFW threshold: ${percent(current.nsfwThreshold)} → ${percent(incoming.nsfwThreshold)}`);
  if (!same('onError')) lines.push(`Images that could not be checked: ${incoming.onError === 'show' ? 'shown' : 'covered'}`);
  if (!same('minImageSize')) lines.push(`Leave alone images smaller than ${incoming.minImageSize} px (was ${current.minImageSize} px)`);
  if (!same('tags') || !same('customTags') || !same('tagSources')) {
    const hidden = Object.values(incoming.tags).filter((rule) => rule?.hide).length;
    lines.push(`Tags: ${hidden} hidden, ${incoming.customTags.length} of your own`);
  }
  if (!same('model') || !same('backend') || !same('trainedModel')) {
    lines.push(
      `Model: ${incoming.model}, backend ${incoming.backend}${incoming.trainedModel ? `, trained model ${incoming.trainedModel}` : ''}`,
    );
  }
  const switches: [keyof Settings, string][] = [
    ['showTagsOnHover', 'top tags on hover'],
    ['showMarkControls', 'mark buttons on hover'],
    ['checkCanvases', 'checking canvases'],
  ];
  for (const [key, label] of switches) if (!same(key)) lines.push(`${incoming[key] ? 'Turns on' : 'Turns off'} ${label}`);
  return lines;
}
