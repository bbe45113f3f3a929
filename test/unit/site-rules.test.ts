import { describe, expect, it } from 'vitest';
import {
  hostFromInput,
  hostOf,
  isFilteredOn,
  matchingRule,
  removeSiteRule,
  setSiteRule,
  type SiteRules,
} from '../../src/settings/site-rules';

describe('hostOf', () => {
  it.each([
    ['https://example.com/a?b#c', 'example.com'],
    ['http://Example.COM:8080/', 'example.com'],
    ['https://a.b.example.com', 'a.b.example.com'],
    ['https://example.com./x', 'example.com'],
    ['http://localhost:5173/', 'localhost'],
    ['http://192.168.0.10/', '192.168.0.10'],
    ['http://[::1]:3000/', '[::1]'],
    ['https://bücher.de/', 'xn--bcher-kva.de'],
    ['blob:https://example.com/5d1c0e2a-7c9b-4f9e-9d1e-3c2a1b0f9e8d', 'example.com'],
    // No web host: these follow the master switch alone (see the module comment).
    ['file:///home/me/pic.html', ''],
    ['file://server/share/pic.html', ''],
    ['about:blank', ''],
    ['about:srcdoc', ''],
    ['data:text/html,<img>', ''],
    ['chrome://extensions/', ''],
    ['chrome-extension://abcdefghijklmnop/popup.html', ''],
    ['moz-extension://1234/options.html', ''],
    ['blob:null/5d1c0e2a', ''],
    ['view-source:https://example.com/', ''],
    ['not a url', ''],
    ['', ''],
  ])('%s -> %j', (url, host) => {
    expect(hostOf(url)).toBe(host);
  });
});

describe('isFilteredOn', () => {
  const rules: SiteRules = {
    'example.com': false,
    'b.example.com': true,
    'a.b.example.com': false,
    'shop.test': false,
    '10.0.0.1': false,
    constructor: false,
  };
  it.each([
    // no rule = filtered
    ['https://other.org/', {}, true],
    ['https://other.org/', rules, true],
    // the most specific rule wins
    ['https://example.com/', rules, false],
    ['https://www.example.com/', rules, false],
    ['https://b.example.com/', rules, true],
    ['https://c.b.example.com/', rules, true],
    ['https://a.b.example.com/', rules, false],
    ['https://x.a.b.example.com/', rules, false],
    // a rule for a name is not a rule for a longer name that merely ends with it
    ['https://notexample.com/', rules, true],
    ['https://myshop.test/', rules, true],
    // IP addresses match exactly, never by "parent"
    ['http://10.0.0.1/', rules, false],
    ['http://110.0.0.1/', rules, true],
    ['http://10.0.0.1/', { '0.1': false, '0.0.1': false }, true],
    ['http://1.10.0.0.1.example/', { '0.0.1.example': false }, false],
    // "constructor" is a valid intranet host and must not read Object.prototype
    ['http://constructor/', rules, false],
    ['http://tostring/', rules, true],
    // no web host: only the master switch applies
    ['file:///tmp/a.html', rules, true],
    ['about:blank', rules, true],
    ['chrome://newtab/', rules, true],
    ['blob:https://example.com/uuid', rules, false],
  ] as const)('%s', (url, siteRules, expected) => {
    expect(isFilteredOn(url, { enabled: true, siteRules, pausedUntil: 0 })).toBe(expected);
  });

  it.each(['https://other.org/', 'https://b.example.com/', 'file:///tmp/a.html', 'about:blank'])(
    'the master switch turns %s off',
    (url) => {
      expect(isFilteredOn(url, { enabled: false, siteRules: rules, pausedUntil: 0 })).toBe(false);
    },
  );
});

it('a pause turns every site off until it ends', () => {
  const now = 1_800_000_000_000;
  const settings = { enabled: true, siteRules: {}, pausedUntil: now + 60_000 };
  expect(isFilteredOn('https://example.com/', settings, now)).toBe(false);
  expect(isFilteredOn('https://example.com/', settings, now + 60_000)).toBe(true);
  expect(isFilteredOn('https://example.com/', { ...settings, pausedUntil: 0 }, now)).toBe(true);
});

describe('matchingRule', () => {
  it.each([
    ['a.b.example.com', { 'example.com': false }, { host: 'example.com', on: false }],
    ['a.b.example.com', { 'example.com': false, 'b.example.com': true }, { host: 'b.example.com', on: true }],
    ['example.com', { 'a.example.com': false }, null],
    ['', { 'example.com': false }, null],
  ] as const)('%s in %j', (host, siteRules, expected) => {
    expect(matchingRule(host, siteRules)).toEqual(expected);
  });
});

describe('setSiteRule', () => {
  it.each<[string, SiteRules, string, boolean, SiteRules]>([
    ['turning a site off adds a rule', {}, 'example.com', false, { 'example.com': false }],
    ['turning it back on removes the rule', { 'example.com': false }, 'example.com', true, {}],
    ['turning on a site nothing turned off adds nothing', {}, 'example.com', true, {}],
    [
      'a sub-domain can be turned back on under a parent rule',
      { 'example.com': false },
      'a.example.com',
      true,
      { 'example.com': false, 'a.example.com': true },
    ],
    [
      'turning the sub-domain off again removes its override',
      { 'example.com': false, 'a.example.com': true },
      'a.example.com',
      false,
      { 'example.com': false },
    ],
    ['off under an off parent is redundant', { 'example.com': false }, 'a.example.com', false, { 'example.com': false }],
    [
      'sub-domain rules survive toggling their parent',
      { 'a.example.com': false },
      'example.com',
      false,
      { 'a.example.com': false, 'example.com': false },
    ],
    [
      'and survive turning the parent back on',
      { 'a.example.com': false, 'example.com': false },
      'example.com',
      true,
      { 'a.example.com': false },
    ],
    [
      'a middle override is kept when the closest parent says otherwise',
      { 'example.com': false, 'b.example.com': true },
      'a.b.example.com',
      false,
      { 'example.com': false, 'b.example.com': true, 'a.b.example.com': false },
    ],
    ['other sites are untouched', { 'other.org': false }, 'example.com', false, { 'other.org': false, 'example.com': false }],
  ])('%s', (_name, siteRules, host, on, expected) => {
    const before = structuredClone(siteRules);
    const after = setSiteRule({ siteRules }, host, on);
    expect(after).toEqual(expected);
    expect(siteRules).toEqual(before); // pure: the input is not mutated
    // and the result does what was asked
    expect(isFilteredOn(`https://${host}/`, { enabled: true, siteRules: after, pausedUntil: 0 })).toBe(on);
  });

  it.each(['', 'Example.com', 'https://example.com', 'example.com/path', '*.example.com'])(
    'refuses %j, which can not be a rule key',
    (host) => {
      expect(() => setSiteRule({ siteRules: {} }, host, false)).toThrow(RangeError);
    },
  );
});

describe('removeSiteRule', () => {
  it('removes only that host', () => {
    const siteRules = { 'example.com': false, 'a.example.com': true, 'other.org': false };
    expect(removeSiteRule({ siteRules }, 'example.com')).toEqual({ 'a.example.com': true, 'other.org': false });
    expect(siteRules).toHaveProperty('example.com', false);
  });
});

describe('hostFromInput', () => {
  it.each([
    ['example.com', 'example.com'],
    ['  Example.COM  ', 'example.com'],
    ['www.example.com', 'www.example.com'],
    ['https://www.example.com/path?q=1', 'www.example.com'],
    ['example.com/path', 'example.com'],
    ['example.com:8080', 'example.com'],
    ['localhost', 'localhost'],
    ['[::1]', '[::1]'],
    ['', null],
    ['   ', null],
    ['*.example.com', null],
    ['exa mple.com', null],
    ['file:///tmp/x', null],
    ['chrome://settings', null],
  ])('%j -> %j', (text, host) => {
    expect(hostFromInput(text)).toBe(host);
  });
});
