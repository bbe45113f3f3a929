import { describe, expect, it } from 'vitest';
import { fitWithin, MAX_PIXEL_SIDE, mayBeAnimated, pixelSide, planCheck, type ImageShape } from './own-pixels';

const PAGE = 'https://site.example';
const loaded = (src: string, crossOrigin: string | null = null): ImageShape => ({
  complete: true,
  naturalWidth: 640,
  currentSrc: src,
  src,
  crossOrigin,
});

describe('planCheck', () => {
  it.each([
    ['a same-origin JPEG: its pixels only', loaded(`${PAGE}/a.jpg`), `${PAGE}/a.jpg`, 'pixels'],
    ['a same-origin .jpeg with a query', loaded(`${PAGE}/a.JPEG?w=2`), `${PAGE}/a.JPEG?w=2`, 'pixels'],
    ['a same-origin PNG (may be APNG): both', loaded(`${PAGE}/a.png`), `${PAGE}/a.png`, 'both'],
    ['no extension (a "random image" URL): both', loaded(`${PAGE}/random`), `${PAGE}/random`, 'both'],
    ['cross-origin without CORS: the download', loaded('https://cdn.example/a.jpg'), 'https://cdn.example/a.jpg', 'url'],
    ['cross-origin with crossorigin: its pixels', loaded('https://cdn.example/a.jpg', 'anonymous'), 'https://cdn.example/a.jpg', 'pixels'],
    ['with crossorigin, a GIF: both', loaded('https://cdn.example/a.gif', 'use-credentials'), 'https://cdn.example/a.gif', 'both'],
    ['another scheme of the same host', loaded('http://site.example/a.jpg'), 'http://site.example/a.jpg', 'url'],
    ['not an <img>', null, `${PAGE}/a.jpg`, 'url'],
    ['still loading', { ...loaded(`${PAGE}/a.jpg`), complete: false }, `${PAGE}/a.jpg`, 'url'],
    ['broken (no pixels)', { ...loaded(`${PAGE}/a.jpg`), naturalWidth: 0 }, `${PAGE}/a.jpg`, 'url'],
    ['showing another picture now', loaded(`${PAGE}/b.jpg`), `${PAGE}/a.jpg`, 'url'],
    ['a data: URL (no second download to avoid)', loaded('data:image/png;base64,AA=='), 'data:image/png;base64,AA==', 'url'],
  ] as const)('%s', (_name, img, url, plan) => {
    expect(planCheck(img, url, PAGE)).toBe(plan);
  });

  it('reads currentSrc (a srcset candidate) before src', () => {
    const img = { ...loaded(`${PAGE}/small.jpg`), currentSrc: `${PAGE}/large.jpg` };
    expect(planCheck(img, `${PAGE}/large.jpg`, PAGE)).toBe('pixels');
    expect(planCheck(img, `${PAGE}/small.jpg`, PAGE)).toBe('url');
  });
});

describe('mayBeAnimated', () => {
  it.each([
    ['https://a.example/x.jpg', false],
    ['https://a.example/x.jfif#frag', false],
    ['https://a.example/x.jpg/', true],
    ['https://a.example/x.webp', true],
    ['https://a.example/x?format=.jpg', true],
    ['not a url', true],
  ] as const)('%s: %s', (url, animated) => {
    expect(mayBeAnimated(url)).toBe(animated);
  });
});

describe('sizes', () => {
  it('rasterises at the NSFW model size alone, at the cap when a detector or trained model reads it', () => {
    expect(pixelSide(224, 0, false)).toBe(224);
    expect(pixelSide(299, 0, false)).toBe(299);
    expect(pixelSide(224, 1, false)).toBe(MAX_PIXEL_SIDE);
    expect(pixelSide(224, 0, true)).toBe(MAX_PIXEL_SIDE);
    expect(pixelSide(1024, 0, false)).toBe(MAX_PIXEL_SIDE);
  });

  it('keeps the aspect ratio, never upscales, and gives a square to a source of no known size', () => {
    expect(fitWithin(4000, 3000, 512)).toEqual({ width: 512, height: 384 });
    expect(fitWithin(300, 1200, 224)).toEqual({ width: 56, height: 224 });
    expect(fitWithin(100, 80, 512)).toEqual({ width: 100, height: 80 });
    expect(fitWithin(5000, 2, 512)).toEqual({ width: 512, height: 1 });
    expect(fitWithin(0, 0, 224)).toEqual({ width: 224, height: 224 });
  });
});
