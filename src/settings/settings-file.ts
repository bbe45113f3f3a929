// Settings as a file the user can save and load on the options page:
// { "format": "megane-settings", "version": <SETTINGS_VERSION>, "settings": { ... } }.
// Reading goes through parseSettings, so an old file is migrated and a bad field falls back to its
// default like a bad stored value does; only a file that is not a settings file at all is refused.
import { i18n } from '#i18n';
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
  if (!same('enabled')) lines.push(incoming.enabled ? i18n.t('settingsFile.turnsOn') : i18n.t('settingsFile.turnsOff'));
  if (!same('siteRules')) {
    const off = Object.keys(incoming.siteRules).filter((host) => !incoming.siteRules[host]);
    lines.push(
      off.length > 0
        ? i18n.t('settingsFile.sitesOff', [off.join(', ')])
        : i18n.t('settingsFile.sitesAllOn', [String(Object.keys(incoming.siteRules).length)]),
    );
  }
  if (!same('nsfwThreshold'))
    lines.push(i18n.t('settingsFile.threshold', [percent(current.nsfwThreshold), percent(incoming.nsfwThreshold)]));
  if (!same('onError')) lines.push(incoming.onError === 'show' ? i18n.t('settingsFile.failedShown') : i18n.t('settingsFile.failedCovered'));
  if (!same('minImageSize')) lines.push(i18n.t('settingsFile.minSize', [String(incoming.minImageSize), String(current.minImageSize)]));
  if (!same('tags') || !same('customTags') || !same('tagSources')) {
    const hidden = Object.values(incoming.tags).filter((rule) => rule?.hide).length;
    lines.push(i18n.t('settingsFile.tags', [String(hidden), String(incoming.customTags.length)]));
  }
  if (!same('model') || !same('backend') || !same('trainedModel')) {
    lines.push(
      incoming.trainedModel
        ? i18n.t('settingsFile.modelTrained', [incoming.model, incoming.backend, incoming.trainedModel])
        : i18n.t('settingsFile.model', [incoming.model, incoming.backend]),
    );
  }
  const switches: [keyof Settings, string][] = [
    ['showTagsOnHover', i18n.t('settingsFile.hoverTags')],
    ['showMarkControls', i18n.t('settingsFile.markButtons')],
    ['checkCanvases', i18n.t('settingsFile.canvases')],
  ];
  for (const [key, label] of switches)
    if (!same(key)) lines.push(incoming[key] ? i18n.t('settingsFile.switchOn', [label]) : i18n.t('settingsFile.switchOff', [label]));
  return lines;
}
