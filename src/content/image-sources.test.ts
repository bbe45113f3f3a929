import { describe, expect, it } from 'vitest';
import {
  backgroundUrls,
  cssImageUrls,
  type ElementShape,
  imageUrls,
  isGenerated,
  namesAnImage,
  routeOf,
  showsImage,
} from './image-sources';

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

describe('imageUrls', () => {
  // Computed values as Chromium gives them: image-set() candidates as url("…") Ndppx, strings quoted.
  const set = 'image-set(url("https://a.test/1.jpg") 1dppx, url("https://a.test/2.jpg") 2dppx)';
  it.each([
    [
      'every layer, around a gradient',
      'url("https://a.test/a.jpg"), radial-gradient(red, blue), url("https://a.test/b.jpg")',
      1,
      ['https://a.test/a.jpg', 'https://a.test/b.jpg'],
    ],
    ['image-set at 1x takes the 1x candidate', set, 1, ['https://a.test/1.jpg']],
    ['image-set at 2x takes the 2x candidate', set, 2, ['https://a.test/2.jpg']],
    ['image-set at 1.5x takes the lowest at least 1.5x', set, 1.5, ['https://a.test/2.jpg']],
    ['image-set at 3x takes the highest there is', set, 3, ['https://a.test/2.jpg']],
    [
      'image-set candidates in any order',
      'image-set(url("https://a.test/2.jpg") 2dppx, url("https://a.test/1.jpg") 1dppx)',
      1,
      ['https://a.test/1.jpg'],
    ],
    [
      'image-set skips a type Chromium cannot decode',
      'image-set(url("https://a.test/x.jxl") 1dppx type("image/jxl"), url("https://a.test/x.png") 1dppx type("image/png"))',
      1,
      ['https://a.test/x.png'],
    ],
    [
      '-webkit-image-set with x',
      '-webkit-image-set(url(https://a.test/1.jpg) 1x, url(https://a.test/2.jpg) 2x)',
      2,
      ['https://a.test/2.jpg'],
    ],
    ['image-set beside another layer', `${set}, url("https://a.test/c.jpg")`, 1, ['https://a.test/1.jpg', 'https://a.test/c.jpg']],
    ['content: url() with alt text', 'url("https://a.test/c.png") / "a cat"', 1, ['https://a.test/c.png']],
    [
      'content: strings and images',
      'url("https://a.test/d.png") "text" url("https://a.test/e.png")',
      1,
      ['https://a.test/d.png', 'https://a.test/e.png'],
    ],
    ['content: a string that says url( is text', '"see url(https://a.test/no.png)"', 1, []],
    ['content: normal', 'normal', 1, []],
    ['content: counter and attr', 'counter(item) ". " attr(title)', 1, []],
  ] as const)('%s', (_name, value, dpr, expected) => {
    expect(imageUrls(value, dpr)).toEqual(expected);
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
  type Style = { backgroundImage: string; content: string; borderImageSource: string };
  /** A window whose computed styles come from a table keyed by pseudo-element ('' for the element). */
  const viewWith = (styles: Record<string, Partial<Style>>) =>
    ({
      devicePixelRatio: 1,
      getComputedStyle: (_el: Element, pseudo?: string | null) => ({
        backgroundImage: 'none',
        content: 'normal',
        borderImageSource: 'none',
        ...styles[pseudo ?? ''],
      }),
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
    ["the element's own content: url()", { '': { content: 'url("https://a.test/logo.png")' } }, ['https://a.test/logo.png']],
    [
      'a ::after whose content is an image',
      { '::after': { content: 'url("https://a.test/after.png") / "alt"' } },
      ['https://a.test/after.png'],
    ],
    ['a border-image', { '': { borderImageSource: 'url("https://a.test/frame.png")' } }, ['https://a.test/frame.png']],
    [
      'background, content and border-image of the element and its ::before',
      {
        '': {
          backgroundImage: 'url("https://a.test/bg.jpg")',
          content: 'url("https://a.test/c.jpg")',
          borderImageSource: 'url("https://a.test/b.jpg")',
        },
        '::before': { content: 'url("https://a.test/pc.jpg")', borderImageSource: 'url("https://a.test/pb.jpg")' },
      },
      ['https://a.test/bg.jpg', 'https://a.test/c.jpg', 'https://a.test/b.jpg', 'https://a.test/pc.jpg', 'https://a.test/pb.jpg'],
    ],
  ] as const)('%s', (_name, styles, expected) => {
    expect(cssImageUrls(viewWith(styles), el)).toEqual(expected);
  });
});

describe('showsImage (<object data>, <embed src>)', () => {
  it.each([
    ['type image/png', 'image/png', 'https://a.test/x', undefined, true],
    ['type image/svg+xml', 'IMAGE/SVG+XML', 'https://a.test/x', undefined, true],
    ['type application/pdf, even named .png', 'application/pdf', 'https://a.test/x.png', undefined, false],
    ['type text/html', 'text/html', 'https://a.test/x.jpg', undefined, false],
    ['no type, a .jpg path', null, 'https://a.test/photos/x.JPG?w=800#top', undefined, true],
    ['no type, a .webp path', '', 'x.webp', undefined, true],
    ['no type, an .html path', null, 'https://a.test/page.html', undefined, false],
    ['no type, a data:image URL', null, 'data:image/png;base64,AAAA', undefined, true],
    ['no type, a data:text URL', null, 'data:text/html,<b>x</b>', undefined, false],
    ['no type, no extension, loaded as an image', null, 'https://a.test/render?id=1', 'image/jpeg', true],
    ['no type, no extension, loaded as a document', null, 'https://a.test/render?id=1', 'text/html', false],
    ['no type, no extension, cross-origin (nothing loaded to read)', null, 'https://a.test/render?id=1', undefined, false],
    ['no URL', 'image/png', '', undefined, false],
  ] as const)('%s', (_name, type, url, loaded, expected) => {
    expect(showsImage(type, url, loaded)).toBe(expected);
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
