import { describe, expect, it } from 'vitest';
import { defaults, SETTINGS_VERSION, type Settings } from './schema';
import { readSettingsFile, settingsChanges, settingsFromFile, settingsToFile } from './settings-file';

const custom: Settings = {
  ...defaults(),
  enabled: false,
  nsfwThreshold: 0.55,
  model: 'inception_v3',
  siteRules: { 'example.com': false, 'www.example.com': true },
  tags: { cat: { hide: true, threshold: 0.4 }, food: { hide: false } },
  showTagsOnHover: true,
};

const file = (settings: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ format: 'megane-settings', version: SETTINGS_VERSION, settings, ...extra });

describe('settingsToFile', () => {
  it('writes pretty JSON with format and version', () => {
    const text = settingsToFile(custom);
    expect(JSON.parse(text)).toEqual({ format: 'megane-settings', version: SETTINGS_VERSION, settings: custom });
    expect(text).toContain('\n  "settings": {');
  });

  it('round-trips', () => {
    expect(settingsFromFile(settingsToFile(custom))).toEqual(custom);
    expect(settingsFromFile(settingsToFile(defaults()))).toEqual(defaults());
  });
});

describe('settingsFromFile', () => {
  it('replaces bad fields by their defaults and keeps the rest', () => {
    const { settings, problems } = readSettingsFile(file({ ...custom, nsfwThreshold: 7, model: 'resnet' }));
    expect(settings).toEqual({ ...custom, nsfwThreshold: defaults().nsfwThreshold, model: defaults().model });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^settings\.nsfwThreshold: 7 is not valid/);
  });

  it('fills missing fields with defaults', () => {
    expect(settingsFromFile(file({ version: SETTINGS_VERSION, enabled: false }))).toEqual({ ...defaults(), enabled: false });
  });

  it('migrates an old file (v1 allowlist)', () => {
    expect(settingsFromFile(file({ enabled: true, allowlist: ['Example.com', 'bad host!'] }, { version: 1 })).siteRules).toEqual({
      'example.com': false,
    });
  });

  it('takes the version from the outside when the settings have none', () => {
    const settings = settingsFromFile(file({ nsfwThreshold: 0.3, tags: { dog: { hide: true } } }, { version: 3 }));
    expect(settings.tags).toEqual({ dog: { hide: true } });
  });

  it('reads a file saved with a byte order mark', () => {
    expect(settingsFromFile(`\uFEFF${settingsToFile(custom)}`)).toEqual(custom);
  });

  it.each([
    ['not JSON', '{"format": "megane-settings",', /^Not a Megane settings file: it is not valid JSON \(/],
    ['empty', '', /^Not a Megane settings file: it is not valid JSON/],
    ['a JSON array', '[]', 'Not a Megane settings file: expected a JSON object'],
    ['a JSON string', '"settings"', 'Not a Megane settings file: expected a JSON object'],
    ['no format', JSON.stringify({ settings: {} }), 'Not a Megane settings file: format is missing, expected "megane-settings"'],
    [
      'another format',
      JSON.stringify({ format: 'megane-dataset', settings: {} }),
      'Not a Megane settings file: format is "megane-dataset", expected "megane-settings"',
    ],
    ['no settings', JSON.stringify({ format: 'megane-settings', version: 3 }), 'Not a Megane settings file: it has no "settings" object'],
    ['settings not an object', file([1, 2]), 'Not a Megane settings file: it has no "settings" object'],
  ])('refuses %s with a clear error', (_name, text, message) => {
    expect(() => settingsFromFile(text)).toThrow(message);
  });
});

describe('settingsChanges', () => {
  it('says nothing for the same settings, and each change in words, the consequential first', () => {
    const current = defaults();
    expect(settingsChanges(current, defaults())).toEqual([]);
    const incoming = {
      ...defaults(),
      enabled: false,
      siteRules: { 'example.com': false, 'news.example.com': true },
      nsfwThreshold: 0.9,
      tags: { cat: { hide: true } },
      checkCanvases: true,
    };
    expect(settingsChanges(current, incoming)).toEqual([
      'Turns Megane off: no image is covered',
      'Site rules: nothing is filtered on example.com',
      'NSFW threshold: 70% → 90%',
      'Tags: 1 hidden, 0 of your own',
      'Turns on checking canvases',
    ]);
  });
});
