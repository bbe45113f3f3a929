import { describe, expect, it } from 'vitest';
import { CSSOM_EVENT, installCssomHook, parseCssomDetail, selectorsOf, selectorsOfText } from './cssom-hook';

describe('parseCssomDetail', () => {
  it.each([
    ['["#a", ".b .c"]', ['#a', '.b .c']],
    ['[]', []],
    ['animations', 'animations'],
    ['everything', 'everything'],
    ['[1, 2]', 'everything'],
    ['[not json', 'everything'],
    [JSON.stringify(Array.from({ length: 401 }, (_, i) => `#e${i}`)), 'everything'],
    [null, 'everything'],
    [{ selectors: ['#a'] }, 'everything'],
  ] as const)('%s', (detail, expected) => {
    expect(parseCssomDetail(detail)).toEqual(expected);
  });
});

// Stand-ins named like the browser's rule classes: selectorsOf reads names, selectorText and cssRules.
class CSSStyleRule {
  cssRules: CSSStyleRule[] = [];
  constructor(
    public selectorText: string,
    nested: CSSStyleRule[] = [],
  ) {
    this.cssRules = nested;
  }
}
class CSSMediaRule {
  constructor(public cssRules: unknown[]) {}
}
class CSSFontFaceRule {}
class CSSImportRule {}
class CSSLayerStatementRule {}
const rule = (r: object) => r as unknown as CSSRule;

describe('selectorsOf', () => {
  it.each([
    ['a style rule', rule(new CSSStyleRule('#a')), ['#a']],
    ['nested style rules', rule(new CSSStyleRule('.card', [new CSSStyleRule('& .thumb')])), ['.card', '& .thumb']],
    ['an @media block', rule(new CSSMediaRule([new CSSStyleRule('#a'), new CSSStyleRule('#b')])), ['#a', '#b']],
    ['an @font-face', rule(new CSSFontFaceRule()), []],
    ['an @import', rule(new CSSImportRule()), 'everything'],
    ['a @layer order', rule(new CSSLayerStatementRule()), 'everything'],
    ['an @import inside @media', rule(new CSSMediaRule([new CSSImportRule()])), 'everything'],
    ['no rule', undefined, []],
  ])('%s', (_name, input, expected) => {
    expect(selectorsOf(input)).toEqual(expected);
  });
});

describe('installCssomHook', () => {
  /** A window with just the prototypes the hook wraps that these cases use, and a document to hear on. */
  function fakeWindow() {
    class CSSStyleSheet {
      cssRules: CSSStyleRule[] = [];
      insertRule(text: string, index = 0): number {
        if (text === 'bad') throw new SyntaxError('bad rule');
        this.cssRules.splice(index, 0, new CSSStyleRule(text.slice(0, text.indexOf('{')).trim()));
        return index;
      }
      deleteRule(index: number): void {
        this.cssRules.splice(index, 1);
      }
      replaceSync(): void {}
    }
    class Document extends EventTarget {
      #adopted: unknown[] = [];
      get adoptedStyleSheets() {
        return this.#adopted;
      }
      set adoptedStyleSheets(value: unknown[]) {
        this.#adopted = value;
      }
    }
    class Element {
      animate() {
        return 'animation';
      }
    }
    const document = new Document();
    const win = { Array, EventTarget, CustomEvent, CSSStyleSheet, Document, Element, document, Promise } as unknown as typeof globalThis;
    const heard: unknown[] = [];
    document.addEventListener(CSSOM_EVENT, (event) => heard.push((event as CustomEvent).detail));
    installCssomHook(win);
    return { win, document, sheet: new CSSStyleSheet(), element: new Element(), heard };
  }
  const microtask = () => new Promise<void>((resolve) => queueMicrotask(resolve));

  it('reports the selectors of inserted and deleted rules once per batch, after the call', async () => {
    const { sheet, heard } = fakeWindow();
    expect(sheet.insertRule('#a { background: url(x) }', 0)).toBe(0);
    sheet.insertRule('#b { background-image: url(y) }', 1);
    sheet.insertRule('#c { color: red }', 2);
    expect(heard).toEqual([]);
    await microtask();
    expect(heard).toEqual(['["#a","#b"]']);
    sheet.deleteRule(2);
    await microtask();
    expect(heard.at(-1)).toBe('["#c"]');
  });

  it('reports everything for replaceSync and adoptedStyleSheets, and animations for animate()', async () => {
    const { document, sheet, element, heard } = fakeWindow();
    sheet.replaceSync();
    document.adoptedStyleSheets = [sheet];
    expect(element.animate()).toBe('animation');
    await microtask();
    expect(heard).toEqual(['animations', 'everything']);
    expect(document.adoptedStyleSheets).toEqual([sheet]);
  });

  it('reports everything when a sheet is pushed onto adoptedStyleSheets', async () => {
    const { document, sheet, heard } = fakeWindow();
    document.adoptedStyleSheets.push(sheet);
    await microtask();
    expect(heard).toEqual(['everything']);
    expect(document.adoptedStyleSheets).toEqual([sheet]);
  });

  it("leaves the page's own errors to the page", async () => {
    const { sheet, heard } = fakeWindow();
    expect(() => sheet.insertRule('bad')).toThrow(SyntaxError);
    await microtask();
    expect(heard).toEqual([]);
  });
});

describe('selectorsOfText', () => {
  it.each([
    ['#a { background: url(x) }', ['#a']],
    ['  .card:hover .thumb, .b{background:none}', ['.card:hover .thumb, .b']],
    ['.card { & .thumb { background: red } }', ['.card']],
    ['.css-1x2y { color: red; margin: 0 }', []],
    ['.a { display: block }', []],
    ['.a::before { display: block }', ['.a::before']],
    ['.a{--thumb:url(x)}', ['.a']],
    ['.a { border-image-source: url(x) }', ['.a']],
    ['@font-face { font-family: x; src: url(x.woff) }', []],
    ['@media (max-width: 700px) { #a { background: url(x) } }', 'everything'],
    ['@import url(x.css);', 'everything'],
    ['@layer a, b;', 'everything'],
    ['nonsense', 'everything'],
  ])('%s', (text, expected) => {
    expect(selectorsOfText(text)).toEqual(expected);
  });
});
