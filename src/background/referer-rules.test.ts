import { describe, expect, it } from 'vitest';
import { needsReferer, refererFor } from './referer-rules';

describe('refererFor', () => {
  it.each([
    ['https://www.pixiv.net', 'https://www.pixiv.net/'],
    ['http://127.0.0.1:8180', 'http://127.0.0.1:8180/'],
    ['https://example.com/', 'https://example.com/'],
  ])('%s -> %s', (site, referer) => {
    expect(refererFor(site)).toBe(referer);
  });
});

describe('needsReferer', () => {
  it.each([
    ['https://i.pximg.net/img.jpg', 'https://www.pixiv.net', true],
    ['http://localhost:1/a.png', 'http://127.0.0.1:2', true],
    ['data:image/png;base64,AAAA', 'https://www.pixiv.net', false],
    ['blob:https://a.test/1', 'https://a.test', false],
    ['https://i.pximg.net/img.jpg', 'unknown', false],
    ['https://i.pximg.net/img.jpg', 'chrome-extension://abc', false],
  ])('%s from %s -> %s', (url, site, needed) => {
    expect(needsReferer(url, site)).toBe(needed);
  });
});
