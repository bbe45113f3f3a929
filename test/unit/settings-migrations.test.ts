// Every settings shape a released Megane has stored (v1 .. the current one), as that version wrote it
// with the user's own values, read by this version: every value the user chose is kept, each field a
// later version added gets its documented starting value, and nothing is reported as a problem.
// A new SETTINGS_VERSION fails the first test until its stored shape is added here.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { parseSettings, SETTINGS_KEY, SETTINGS_VERSION } from '../../src/settings/schema';
import { loadSettings, saveSettings } from '../../src/settings/store';

/** What the user chose in v2 (the first release), kept through every later version. */
const V2 = {
  enabled: false,
  nsfwThreshold: 0.35,
  minImageSize: 120,
  onError: 'show',
  model: 'inception_v3',
  backend: 'wasm',
  siteRules: { 'example.com': false, 'news.example.com': true },
} as const;

/** What the fields added after v2 start as when a version is migrated. */
const ADDED = {
  tags: {},
  showTagsOnHover: false,
  showMarkControls: true,
  customTags: [],
  trainedModel: null,
  tagSources: {},
  checkCanvases: false,
  modelWorkers: 0,
  keepModelMinutes: 5,
  showBadge: true,
  coverStyle: 'blur',
  pausedUntil: 0,
  useDetectors: true,
};

const V3 = { ...V2, tags: { cat: { hide: true, threshold: 0.6 }, megane: { hide: false } }, showTagsOnHover: true };
const V4 = { ...V3, showMarkControls: false };
const V5 = { ...V4, customTags: [{ id: 'user:cosplay', label: 'Cosplay' }], tags: { ...V4.tags, 'user:cosplay': { hide: true } } };
const V6 = { ...V5, trainedModel: 'model3@2025-06-01T12:00:00.000Z', tagSources: { cat: 'trained', 'user:cosplay': 'trained' } };
const V7 = { ...V6, checkCanvases: true };
const V8 = { ...V7, modelWorkers: 3, keepModelMinutes: 60 };
const V9 = { ...V8, showBadge: false };
const V10 = { ...V9, coverStyle: 'hide' };
const V11 = { ...V10, pausedUntil: 1_800_000_000_000 };
// v12 moved the detector tags' thresholds onto the fused scale: cat 0.6 on CenterNet's = 0.69.
const V12 = { ...V11, tags: { ...V11.tags, cat: { hide: true, threshold: 0.69 } }, useDetectors: false };
/** What a version before 12 reads as: its values, with v12's threshold move. */
const fused = (shape: Record<string, unknown>) =>
  'tags' in shape ? { ...shape, tags: { ...(shape.tags as object), cat: V12.tags.cat } } : shape;

/** [stored version, the object that version stored, what the current version reads]. */
const SHAPES: [number, Record<string, unknown>, Record<string, unknown>][] = [
  // v1 (pre-release) had an allowlist of hosts where nothing was filtered.
  [
    1,
    { version: 1, ...V2, siteRules: undefined, allowlist: ['Example.com', 'shop.example.org '] },
    { ...V2, ...ADDED, siteRules: { 'example.com': false, 'shop.example.org': false } },
  ],
  [2, { version: 2, ...V2 }, { ...V2, ...ADDED }],
  [3, { version: 3, ...V3 }, fused({ ...ADDED, ...V3 })],
  [4, { version: 4, ...V4 }, fused({ ...ADDED, ...V4 })],
  [5, { version: 5, ...V5 }, fused({ ...ADDED, ...V5 })],
  [6, { version: 6, ...V6 }, fused({ ...ADDED, ...V6 })],
  [7, { version: 7, ...V7 }, fused({ ...ADDED, ...V7 })],
  [8, { version: 8, ...V8 }, fused({ ...ADDED, ...V8 })],
  [9, { version: 9, ...V9 }, fused({ ...ADDED, ...V9 })],
  [10, { version: 10, ...V10 }, fused({ ...ADDED, ...V10 })],
  [11, { version: 11, ...V11 }, fused({ ...ADDED, ...V11 })],
  [12, { version: 12, ...V12 }, { ...ADDED, ...V12 }],
];

beforeEach(() => fakeBrowser.reset());

describe('settings migrations', () => {
  it('has a stored shape for every version up to the current one', () => {
    expect(SHAPES.map(([version]) => version)).toEqual(Array.from({ length: SETTINGS_VERSION }, (_, i) => i + 1));
  });

  it.each(SHAPES)('reads what v%i stored, keeping every value', (_version, stored, expected) => {
    const { settings, problems } = parseSettings(JSON.parse(JSON.stringify(stored)));
    expect(problems).toEqual([]);
    expect(settings).toEqual({ version: SETTINGS_VERSION, ...expected });
  });

  it.each(SHAPES)('writes what v%i stored back as the current version on the next save', async (_version, stored, expected) => {
    await fakeBrowser.storage.local.set({ [SETTINGS_KEY]: JSON.parse(JSON.stringify(stored)) });
    expect(await loadSettings()).toEqual({ version: SETTINGS_VERSION, ...expected });
    await saveSettings({ minImageSize: 64 });
    const written = (await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];
    expect(written).toEqual({ version: SETTINGS_VERSION, ...expected, minImageSize: 64 });
    expect(parseSettings(written).problems).toEqual([]);
  });

  it('keeps later fields an object stored without a version already has (a tool or a backup wrote it)', () => {
    const { settings, problems } = parseSettings({
      minImageSize: 96,
      showMarkControls: false,
      checkCanvases: true,
      siteRules: { 'example.com': false },
    });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ minImageSize: 96, showMarkControls: false, checkCanvases: true, siteRules: { 'example.com': false } });
  });
});
