import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DEFAULT_SETTINGS, SETTINGS_KEY, SETTINGS_VERSION, type Settings } from '../../src/settings/schema';
import { loadSettings, saveSettings, updateSettings, watchSettings } from '../../src/settings/store';

const store = (value: unknown) => fakeBrowser.storage.local.set({ [SETTINGS_KEY]: value });
const stored = async () => (await fakeBrowser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY];

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  fakeBrowser.reset();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The console.warn messages, one string each. */
const warnings = () => warn.mock.calls.map((args: unknown[]) => args.join(' '));

describe('loadSettings', () => {
  it('gives the schema defaults when nothing is stored, and warns about nothing', async () => {
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, siteRules: {} });
    expect(warn).not.toHaveBeenCalled();
  });

  it('returns a fresh object each time (the frozen defaults are never handed out)', async () => {
    const a = await loadSettings();
    a.siteRules['example.com'] = false;
    expect((await loadSettings()).siteRules).toEqual({});
    expect(Object.isFrozen(a)).toBe(false);
  });

  it('reads valid stored settings as they are', async () => {
    const settings: Settings = {
      version: SETTINGS_VERSION,
      enabled: false,
      nsfwThreshold: 0.35,
      minImageSize: 100,
      onError: 'show',
      model: 'inception_v3',
      backend: 'wasm',
      siteRules: { 'example.com': false, 'a.example.com': true },
      tags: { cat: { hide: true }, food: { hide: true, threshold: 0.8 }, photo: { hide: false, threshold: 0.3 } },
      showTagsOnHover: true,
      showMarkControls: false,
      customTags: [{ id: 'user:rainbows', label: 'Rainbows' }],
      trainedModel: 'model3@1767225600000',
      tagSources: { nsfw: 'trained', like: 'builtin' },
      checkCanvases: true,
      modelWorkers: 2,
      keepModelMinutes: 15,
      showBadge: false,
      coverStyle: 'tile',
      pausedUntil: 0,
      useDetectors: false,
    };
    await store(settings);
    expect(await loadSettings()).toEqual(settings);
    expect(warn).not.toHaveBeenCalled();
  });

  it('migrates v2 to v3 (tag rules, nothing hidden by tag), keeping the other fields', async () => {
    await store({ version: 2, nsfwThreshold: 0.4, siteRules: { 'example.com': false } });
    expect(await loadSettings()).toEqual({
      ...DEFAULT_SETTINGS,
      nsfwThreshold: 0.4,
      siteRules: { 'example.com': false },
      tags: {},
      showTagsOnHover: false,
    });
    expect(warn).not.toHaveBeenCalled();
  });

  it('migrates v6 to v7 (canvases not checked), keeping the other fields', async () => {
    const { checkCanvases: _, ...v6 } = { ...DEFAULT_SETTINGS, version: 6, nsfwThreshold: 0.4, tags: { cat: { hide: true } } };
    await store(v6);
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, nsfwThreshold: 0.4, tags: { cat: { hide: true } }, checkCanvases: false });
    expect(warn).not.toHaveBeenCalled();
  });

  it('migrates v5 to v6 (no trained model), keeping the other fields', async () => {
    await store({ ...DEFAULT_SETTINGS, version: 5, trainedModel: undefined, tagSources: undefined, nsfwThreshold: 0.4 });
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, nsfwThreshold: 0.4 });
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown tag', { unicorn: 'trained' }],
    ['an unknown source', { nsfw: 'cloud' }],
  ])('falls back to no tag sources for %s', async (_name, tagSources) => {
    await store({ ...DEFAULT_SETTINGS, tagSources });
    expect((await loadSettings()).tagSources).toEqual({});
  });

  it('migrates v4 to v5 (no user tags yet), keeping the other fields', async () => {
    await store({
      ...DEFAULT_SETTINGS,
      version: 4,
      customTags: undefined,
      trainedModel: undefined,
      tagSources: undefined,
      showMarkControls: false,
    });
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, showMarkControls: false, customTags: [] });
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['an id outside user:', [{ id: 'cat', label: 'Cat' }]],
    ['a blank label', [{ id: 'user:x', label: '  ' }]],
    [
      'the same id twice',
      [
        { id: 'user:x', label: 'X' },
        { id: 'user:x', label: 'Y' },
      ],
    ],
    ['too many', Array.from({ length: 21 }, (_, i) => ({ id: `user:t${i}`, label: `T${i}` }))],
    ['not a list', { 'user:x': 'X' }],
  ])('falls back to no user tags for %s', async (_name, customTags) => {
    await store({ ...DEFAULT_SETTINGS, customTags, nsfwThreshold: 0.3 });
    const settings = await loadSettings();
    expect(settings.customTags).toEqual([]);
    expect(settings.nsfwThreshold).toBe(0.3);
  });

  it('keeps a rule for a user tag', async () => {
    await store({
      ...DEFAULT_SETTINGS,
      customTags: [{ id: 'user:rainbows', label: 'Rainbows' }],
      tags: { 'user:rainbows': { hide: true } },
    });
    expect((await loadSettings()).tags).toEqual({ 'user:rainbows': { hide: true } });
  });

  it('migrates v3 to v4 (mark buttons on hover, on), keeping the other fields', async () => {
    await store({
      ...DEFAULT_SETTINGS,
      version: 3,
      showMarkControls: undefined,
      customTags: undefined,
      trainedModel: undefined,
      tagSources: undefined,
      nsfwThreshold: 0.5,
      tags: { cat: { hide: true } },
    });
    expect(await loadSettings()).toEqual({
      ...DEFAULT_SETTINGS,
      nsfwThreshold: 0.5,
      tags: { cat: { hide: true } },
      showMarkControls: true,
    });
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown tag', { unicorn: { hide: true } }],
    ['the nsfw tag (the NSFW slider governs it)', { nsfw: { hide: true } }],
    ['a threshold above 1', { cat: { hide: true, threshold: 1.5 } }],
    ['a rule without hide', { cat: { threshold: 0.5 } }],
    ['a list', [['cat', true]]],
  ])('falls back to no tag rules for %s', async (_name, tags) => {
    await store({ version: SETTINGS_VERSION, tags, nsfwThreshold: 0.3 });
    const settings = await loadSettings();
    expect(settings.tags).toEqual({});
    expect(settings.nsfwThreshold).toBe(0.3);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[Megane\] settings\.tags: /));
  });

  it('migrates v1 (allowlist) to v2 (siteRules), keeping the other fields', async () => {
    await store({ version: 1, enabled: false, nsfwThreshold: 0.5, allowlist: ['Example.com ', 'news.site.org', 42] });
    const settings = await loadSettings();
    expect(settings).toEqual({
      ...DEFAULT_SETTINGS,
      enabled: false,
      nsfwThreshold: 0.5,
      siteRules: { 'example.com': false, 'news.site.org': false },
    });
    expect(settings).not.toHaveProperty('allowlist');
    expect(warn).not.toHaveBeenCalled();
  });

  it('treats a stored object without a version as v1', async () => {
    await store({ allowlist: ['example.com'] });
    expect((await loadSettings()).siteRules).toEqual({ 'example.com': false });
  });

  it('migrates v1 with a bad allowlist to no rules', async () => {
    await store({ version: 1, allowlist: 'example.com' });
    expect((await loadSettings()).siteRules).toEqual({});
  });

  it.each<[keyof Settings, unknown]>([
    ['enabled', 'yes'],
    ['nsfwThreshold', 1.5],
    ['nsfwThreshold', Number.NaN],
    ['nsfwThreshold', '0.5'],
    ['minImageSize', -1],
    ['minImageSize', 12.5],
    ['onError', 'blur'],
    ['model', 'resnet'],
    ['backend', 'webgl2'],
    ['siteRules', ['example.com']],
    ['siteRules', { 'https://example.com': false }],
    ['siteRules', { 'example.com': 'off' }],
    ['checkCanvases', 'on'],
    ['modelWorkers', 9],
    ['modelWorkers', 1.5],
    ['modelWorkers', -1],
    ['keepModelMinutes', 0],
    ['keepModelMinutes', 24 * 60 + 1],
  ])('a bad %s (%j) falls back to its default, is reported, and the rest survive', async (key, value) => {
    await store({ version: SETTINGS_VERSION, enabled: false, minImageSize: 64, onError: 'show', [key]: value });
    const settings = await loadSettings();
    expect(settings[key]).toEqual(DEFAULT_SETTINGS[key]);
    const kept = { enabled: false, minImageSize: 64, onError: 'show' } as const;
    for (const [k, v] of Object.entries(kept)) if (k !== key) expect(settings).toHaveProperty(k, v);
    expect(warnings()).toEqual([expect.stringMatching(new RegExp(`^\\[Megane\\] settings\\.${key}: `))]);
  });

  it('reads what it can from a newer version and says so', async () => {
    await store({ version: SETTINGS_VERSION + 1, enabled: false, nsfwThreshold: 0.9, somethingNew: { a: 1 } });
    const settings = await loadSettings();
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, enabled: false, nsfwThreshold: 0.9, siteRules: {} });
    expect(settings.version).toBe(SETTINGS_VERSION);
    expect(warnings()).toEqual([expect.stringMatching(/^\[Megane\] settings\.version: .*newer/)]);
  });

  it.each([['a string'], [42], [true], [[1, 2]]])('a non-object stored value (%j) gives the defaults, reported', async (value) => {
    await store(value);
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, siteRules: {} });
    expect(warnings()).toEqual([expect.stringMatching(/^\[Megane\] settings: expected an object/)]);
  });
});

describe('saveSettings', () => {
  it('round-trips through storage, writing the whole object with its version', async () => {
    const saved = await saveSettings({ nsfwThreshold: 0.42, siteRules: { 'example.com': false } });
    const expected = { ...DEFAULT_SETTINGS, nsfwThreshold: 0.42, siteRules: { 'example.com': false } };
    expect(saved).toEqual(expected);
    expect(await stored()).toEqual(expected);
    expect(await loadSettings()).toEqual(expected);
  });

  it('keeps what was stored before and changes only the patched fields', async () => {
    await saveSettings({ enabled: false });
    await saveSettings({ model: 'mobilenet_v2' });
    expect(await loadSettings()).toMatchObject({ enabled: false, model: 'mobilenet_v2' });
  });

  it('upgrades an old stored object when it writes', async () => {
    await store({ version: 1, allowlist: ['example.com'], nsfwThreshold: 0.2 });
    await saveSettings({ enabled: false });
    expect(await stored()).toEqual({
      ...DEFAULT_SETTINGS,
      enabled: false,
      nsfwThreshold: 0.2,
      siteRules: { 'example.com': false },
    });
  });

  it('repairs bad stored fields when it writes (after reporting them)', async () => {
    await store({ version: SETTINGS_VERSION, backend: 'quantum', nsfwThreshold: 0.3 });
    await saveSettings({ enabled: false });
    expect(await stored()).toMatchObject({ backend: 'auto', nsfwThreshold: 0.3, enabled: false });
    expect(warnings()).toHaveLength(1);
  });

  it('rejects an invalid patch and writes nothing', async () => {
    await saveSettings({ nsfwThreshold: 0.3 });
    await expect(saveSettings({ nsfwThreshold: 3 })).rejects.toThrow(/nsfwThreshold/);
    await expect(saveSettings({ siteRules: { '': false } })).rejects.toThrow(/siteRules/);
    expect((await loadSettings()).nsfwThreshold).toBe(0.3);
  });

  it('ignores a version in the patch and undefined values', async () => {
    const sneaky = { version: 99, enabled: undefined, minImageSize: 10 } as unknown as Parameters<typeof saveSettings>[0];
    const saved = await saveSettings(sneaky);
    expect(saved).toMatchObject({ version: SETTINGS_VERSION, enabled: true, minImageSize: 10 });
  });

  it('runs concurrent writes from one page one after another, so none is lost', async () => {
    await Promise.all([
      saveSettings({ enabled: false }),
      updateSettings((s) => ({ siteRules: { ...s.siteRules, 'a.com': false } })),
      updateSettings((s) => ({ siteRules: { ...s.siteRules, 'b.com': false } })),
      saveSettings({ nsfwThreshold: 0.1 }),
    ]);
    expect(await loadSettings()).toMatchObject({
      enabled: false,
      nsfwThreshold: 0.1,
      siteRules: { 'a.com': false, 'b.com': false },
    });
  });

  it('a failed write does not block the next one', async () => {
    await expect(saveSettings({ onError: 'maybe' as Settings['onError'] })).rejects.toThrow();
    await expect(
      updateSettings(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await saveSettings({ onError: 'show' })).onError).toBe('show');
  });
});

describe('watchSettings', () => {
  it('fires with parsed settings on every change, and stops after abort', async () => {
    const seen: Settings[] = [];
    const controller = new AbortController();
    const added = vi.spyOn(fakeBrowser.storage.onChanged, 'addListener');
    watchSettings((s) => seen.push(s), controller.signal);
    const listener = added.mock.calls[0]?.[0];
    expect(listener).toBeTypeOf('function');

    await saveSettings({ nsfwThreshold: 0.25 });
    await fakeBrowser.storage.local.set({ unrelated: 1 }); // other keys are ignored
    await fakeBrowser.storage.sync.set({ [SETTINGS_KEY]: { enabled: false } }); // other areas too
    await store({ version: SETTINGS_VERSION, enabled: false, nsfwThreshold: 'high' }); // written by someone else
    expect(seen).toEqual([
      { ...DEFAULT_SETTINGS, siteRules: {}, nsfwThreshold: 0.25 },
      { ...DEFAULT_SETTINGS, siteRules: {}, enabled: false },
    ]);
    expect(warnings()).toEqual([expect.stringMatching(/^\[Megane\] settings\.nsfwThreshold: /)]);

    controller.abort();
    await saveSettings({ nsfwThreshold: 0.5 });
    expect(seen).toHaveLength(2);
    expect(fakeBrowser.storage.onChanged.hasListener(listener!)).toBe(false);
  });

  it('gives the defaults when the settings are removed', async () => {
    await saveSettings({ enabled: false });
    const onChange = vi.fn();
    watchSettings(onChange, new AbortController().signal);
    await fakeBrowser.storage.local.remove(SETTINGS_KEY);
    expect(onChange).toHaveBeenCalledWith({ ...DEFAULT_SETTINGS, siteRules: {} });
  });

  it('does nothing with an already aborted signal', async () => {
    const onChange = vi.fn();
    const added = vi.spyOn(fakeBrowser.storage.onChanged, 'addListener');
    watchSettings(onChange, AbortSignal.abort());
    await saveSettings({ enabled: false });
    expect(onChange).not.toHaveBeenCalled();
    expect(added).not.toHaveBeenCalled();
  });
});
