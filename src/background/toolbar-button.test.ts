import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../settings/schema';
import type { FrameStats } from '../messaging/content-background';
import { buttonFace, createToolbarButton, faceSettingsChanged, filteringOf, type ActionApi } from './toolbar-button';

const stats = (covered: number): FrameStats => ({ checked: covered + 3, covered, failed: 0, pending: 0 });

describe('filteringOf', () => {
  const rules = { 'example.com': false, 'ok.example.com': true };
  it.each([
    ['https://news.test/a', true, {}, 'on'],
    ['https://news.test/a', false, {}, 'off'],
    ['https://example.com/', true, rules, 'off-on-site'],
    ['https://a.example.com/', true, rules, 'off-on-site'],
    ['https://ok.example.com/', true, rules, 'on'],
    ['https://example.com/', false, rules, 'off'],
    ['chrome://extensions/', true, rules, 'on'],
    [undefined, true, rules, 'on'],
  ] as const)('%s, enabled %s, rules %j → %s', (url, enabled, siteRules, expected) =>
    expect(filteringOf(url, { enabled, siteRules, pausedUntil: 0 })).toBe(expected),
  );

  it('a pause dims every site until it ends; switched off says off', () => {
    const now = 1_800_000_000_000;
    expect(filteringOf('https://news.test/', { enabled: true, siteRules: {}, pausedUntil: now + 1 }, now)).toBe('paused');
    expect(filteringOf('https://news.test/', { enabled: true, siteRules: {}, pausedUntil: now }, now)).toBe('on');
    expect(filteringOf('https://news.test/', { enabled: false, siteRules: {}, pausedUntil: now + 1 }, now)).toBe('off');
  });
});

describe('faceSettingsChanged', () => {
  it.each([
    [{ enabled: false }, true],
    [{ showBadge: false }, true],
    [{ pausedUntil: 1 }, true],
    [{ siteRules: { 'example.com': false } }, true],
    [{ nsfwThreshold: 0.3 }, false],
    [{ tags: { cat: { hide: true } } }, false],
    [{}, false],
  ] as const)('%j → %s', (patch, expected) =>
    expect(faceSettingsChanged({ ...DEFAULT_SETTINGS } as Settings, { ...DEFAULT_SETTINGS, ...patch } as Settings)).toBe(expected),
  );
});

it('a paused tab: no badge, a dimmed icon, and until when', () => {
  const face = buttonFace('paused', stats(3), true, new Date(2026, 11, 5, 14, 50).getTime());
  expect(face).toMatchObject({ badge: '', dimmed: true });
  expect(face.title).toMatch(/^Megane is paused until /);
});

describe('buttonFace', () => {
  it.each([
    ['on', stats(3), true, { badge: '3', title: 'Megane: 3 images covered on this tab', dimmed: false }],
    ['on', stats(1), true, { badge: '1', title: 'Megane: 1 image covered on this tab', dimmed: false }],
    ['on', stats(0), true, { badge: '', title: 'Megane: no image covered on this tab', dimmed: false }],
    ['on', null, true, { badge: '', title: 'Megane: no image covered on this tab', dimmed: false }],
    ['on', stats(1234), true, { badge: '999+', title: 'Megane: 999+ images covered on this tab', dimmed: false }],
    ['on', stats(3), false, { badge: '', title: 'Megane: 3 images covered on this tab', dimmed: false }],
    ['off', stats(3), true, { badge: '', title: 'Megane is off', dimmed: true }],
    ['off-on-site', stats(3), true, { badge: '', title: 'Megane is off on this site', dimmed: true }],
  ] as const)('%s, %j, badge %s', (filtering, s, showBadge, face) => expect(buttonFace(filtering, s, showBadge)).toEqual(face));
});

describe('createToolbarButton', () => {
  function button(settings: Partial<Settings> = {}, covered = 2) {
    const calls: string[] = [];
    const action: ActionApi = {
      setBadgeText: async ({ tabId, text }) => void calls.push(`${tabId} badge ${text}`),
      setBadgeBackgroundColor: async () => {},
      setTitle: async ({ tabId, title }) => void calls.push(`${tabId} title ${title}`),
      setIcon: async ({ tabId, path }) => void calls.push(`${tabId} icon ${path['16']}`),
    };
    const state = { settings: { ...DEFAULT_SETTINGS, ...settings } as Settings, covered };
    const b = createToolbarButton({
      action,
      settings: async () => state.settings,
      tabStats: async () => stats(state.covered),
      tabUrl: async (tabId) => (tabId === 404 ? Promise.reject(new Error('No tab with id: 404')) : 'https://example.com/'),
    });
    return { b, calls, state };
  }

  it("sets the tab's badge, tooltip and icon, and calls the browser again only when they change", async () => {
    const { b, calls, state } = button();
    await b.refresh(7);
    expect(calls).toEqual(['7 badge 2', '7 title Megane: 2 images covered on this tab', '7 icon /icon/16.png']);
    await b.refresh(7);
    expect(calls).toHaveLength(3);
    state.covered = 5;
    await b.refresh(7);
    expect(calls.slice(3)).toEqual(['7 badge 5', '7 title Megane: 5 images covered on this tab', '7 icon /icon/16.png']);
  });

  it('dims the icon where Megane is off on the site, and sets the face again after a navigation', async () => {
    const { b, calls } = button({ siteRules: { 'example.com': false } });
    await b.refresh(3);
    expect(calls).toEqual(['3 badge ', '3 title Megane is off on this site', '3 icon /icon-off/16.png']);
    b.forget(3);
    await b.refresh(3);
    expect(calls).toHaveLength(6);
  });

  it('a tab that is gone changes nothing and throws nothing', async () => {
    const { b, calls } = button();
    await expect(b.refresh(404)).resolves.toBeUndefined();
    expect(calls).toEqual([]);
  });
});
