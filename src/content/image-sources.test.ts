import { describe, expect, it } from 'vitest';
import { backgroundUrls, routeOf } from './image-sources';

describe('backgroundUrls', () => {
  it.each([
    ['none', []],
    ['', []],
    ['linear-gradient(red, blue)', []],
    ['url("https://a.test/x.jpg")', ['https://a.test/x.jpg']],
    ["url('https://a.test/x.jpg')", ['https://a.test/x.jpg']],
    ['url(https://a.test/x.jpg)', ['https://a.test/x.jpg']],
    ['url("https://a.test/a.jpg"), linear-gradient(red, blue), url("https://a.test/b.png")', ['https://a.test/a.jpg', 'https://a.test/b.png']],
    ['url("https://a.test/quote\\"d.jpg")', ['https://a.test/quote"d.jpg']],
    ['url("data:image/png;base64,AAAA")', ['data:image/png;base64,AAAA']],
  ])('%s', (value, expected) => {
    expect(backgroundUrls(value)).toEqual(expected);
  });
});

describe('routeOf', () => {
  it.each([
    ['https://a.test/x.jpg', 'fetch'],
    ['http://a.test/x.jpg', 'fetch'],
    ['data:image/jpeg;base64,AAAA', 'fetch'],
    ['data:text/html,<b>', 'unsupported'],
    ['blob:https://a.test/1234', 'rasterise'],
    ['chrome-extension://abc/x.png', 'unsupported'],
    ['file:///tmp/x.png', 'unsupported'],
  ] as const)('%s -> %s', (url, route) => {
    expect(routeOf(url)).toBe(route);
  });
});
