import { describe, expect, it } from 'vitest';
import { toggleSite } from './shortcuts';

describe('toggleSite', () => {
  it.each([
    ['https://news.test/a', {}, { siteRules: { 'news.test': false } }],
    ['https://news.test/a', { 'news.test': false }, { siteRules: {} }],
    // Off through its parent's rule: switched on with a rule of its own, the parent's kept.
    ['https://a.example.com/', { 'example.com': false }, { siteRules: { 'example.com': false, 'a.example.com': true } }],
    ['https://a.example.com/', { 'example.com': false, 'a.example.com': true }, { siteRules: { 'example.com': false } }],
    ['chrome://extensions/', {}, null],
    ['file:///home/me/a.html', {}, null],
    [undefined, {}, null],
  ] as const)('%s with %j → %j', (url, siteRules, expected) => expect(toggleSite(url, { siteRules: { ...siteRules } })).toEqual(expected));
});
