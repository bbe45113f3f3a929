import { describe, expect, it } from 'vitest';
import { backgroundUrls, cssImageUrls, type ElementShape, isGenerated, namesAnImage, routeOf } from './image-sources';

describe('backgroundUrls', () => {
  it.each([
    ['none', []],
    ['', []],
    ['linear-gradient(red, blue)', []],
    ['url("https://a.test/x.jpg")', ['https://a.test/x.jpg']],
    ["url('https://a.test/x.jpg')", ['https://a.test/x.jpg']],
    ['url(https://a.test/x.jpg)', ['https://a.test/x.jpg']],
    [
      'url("https://a.test/a.jpg"), linear-gradient(red, blue), url("https://a.test/b.png")',
      ['https://a.test/a.jpg', 'https://a.test/b.png'],
    ],
    ['url("https://a.test/quote\\"d.jpg")', ['https://a.test/quote"d.jpg']],
    ['url("data:image/png;base64,AAAA")', ['data:image/png;base64,AAAA']],
  ])('%s', (value, expected) => {
    expect(backgroundUrls(value)).toEqual(expected);
  });
});

describe('isGenerated', () => {
  it.each([
    ['none', false],
    ['normal', false],
    ['', false],
    ['""', true],
    ['"★"', true],
    ['url("https://a.test/icon.png")', true],
  ])('content: %s', (content, expected) => {
    expect(isGenerated(content)).toBe(expected);
  });
});

describe('cssImageUrls', () => {
  type Style = { backgroundImage: string; content: string };
  /** A window whose computed styles come from a table keyed by pseudo-element ('' for the element). */
  const viewWith = (styles: Record<string, Partial<Style>>) =>
    ({
      getComputedStyle: (_el: Element, pseudo?: string | null) => ({ backgroundImage: 'none', content: 'normal', ...styles[pseudo ?? ''] }),
    }) as unknown as Window;
  const el = {} as Element;
  it.each([
    ['no background anywhere', {}, []],
    ['its own background', { '': { backgroundImage: 'url("https://a.test/own.jpg")' } }, ['https://a.test/own.jpg']],
    [
      'a generated ::before',
      { '::before': { content: '""', backgroundImage: 'url("https://a.test/before.jpg")' } },
      ['https://a.test/before.jpg'],
    ],
    [
      'a ::before that is not generated (content: none) shows nothing',
      { '::before': { content: 'none', backgroundImage: 'url("https://a.test/before.jpg")' } },
      [],
    ],
    [
      'own, then ::before, then ::after',
      {
        '': { backgroundImage: 'url("https://a.test/own.jpg")' },
        '::before': { content: '""', backgroundImage: 'linear-gradient(red, blue)' },
        '::after': { content: '""', backgroundImage: 'url("https://a.test/after.png")' },
      },
      ['https://a.test/own.jpg', 'https://a.test/after.png'],
    ],
  ] as const)('%s', (_name, styles, expected) => {
    expect(cssImageUrls(viewWith(styles), el)).toEqual(expected);
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

describe('namesAnImage', () => {
  /** An element from its tag, attributes and children; children get it as their parent. */
  const el = (localName: string, attributes: Record<string, string> = {}, children: ElementShape[] = []): ElementShape => {
    const shape = {
      localName,
      getAttribute: (name: string) => attributes[name] ?? null,
      parentElement: null as ElementShape | null,
      children,
    };
    for (const child of children) (child as { parentElement: ElementShape | null }).parentElement = shape;
    return shape;
  };
  it.each([
    ['an img with src', () => el('img', { src: 'a.jpg' }), true],
    ['an img with srcset', () => el('img', { srcset: 'a.jpg 1x' }), true],
    ['an img with neither', () => el('img'), false],
    ['an img with an empty src', () => el('img', { src: '' }), false],
    [
      'an img without src in a picture with a source',
      () => el('picture', {}, [el('source', { srcset: 'a.jpg' }), el('img')]).children[1]!,
      true,
    ],
    ['an img without src in a picture whose source has no srcset', () => el('picture', {}, [el('source'), el('img')]).children[1]!, false],
    ['an img without src in a div with a source', () => el('div', {}, [el('source', { srcset: 'a.jpg' }), el('img')]).children[1]!, false],
  ])('%s', (_, make, expected) => {
    expect(namesAnImage(make())).toBe(expected);
  });
});
