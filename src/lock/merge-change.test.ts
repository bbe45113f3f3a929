import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../settings/schema';
import { mergeChange } from './merge-change';

const settings = (patch: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...patch });

describe('mergeChange', () => {
  it.each<[string, Partial<Settings>, Partial<Settings>, Partial<Settings>, Partial<Settings>]>([
    [
      'a site switched back on meanwhile stays on',
      { siteRules: { 'b.example': true } },
      { siteRules: { 'b.example': false } },
      { siteRules: { 'a.example': false, 'b.example': false } },
      { siteRules: { 'b.example': true, 'a.example': false } },
    ],
    [
      'a rule the change removed goes',
      { siteRules: { 'a.example': true, 'c.example': false } },
      { siteRules: { 'a.example': true } },
      { siteRules: {} },
      { siteRules: { 'c.example': false } },
    ],
    [
      'a tag hidden meanwhile stays hidden',
      { tags: { cat: { hide: true }, dog: { hide: true } } },
      { tags: { cat: { hide: true } } },
      { tags: { cat: { hide: false } } },
      { tags: { cat: { hide: false }, dog: { hide: true } } },
    ],
    ['a plain value is written as asked', { nsfwThreshold: 0.3 }, { nsfwThreshold: 0.7 }, { nsfwThreshold: 0.9 }, { nsfwThreshold: 0.9 }],
  ])('%s', (_name, current, before, after, expected) => {
    expect(mergeChange(settings(current), before, after)).toEqual(expected);
  });
});
