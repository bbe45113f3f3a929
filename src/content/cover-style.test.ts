import { describe, expect, it } from 'vitest';
import { COVER_CSS, coverCss } from './cover-style';

/** The declarations of the first rule whose selector list starts with `start`. */
const rule = (css: string, start: RegExp) => {
  const blocks = css.split('}').map((b) => b.trim());
  return blocks.find((b) => start.test(b))?.split('{')[1] ?? '';
};

describe('coverCss', () => {
  it('starts every document blurred', () => {
    expect(COVER_CSS).toBe(coverCss('blur'));
  });

  it.each([
    ['blur', /filter: blur/, /opacity/],
    ['tile', /box-shadow: inset 0 0 0 100vmax #767676 !important/, /filter|opacity/],
    ['hide', /opacity: 0 !important/, /filter|background-color/],
  ] as const)('%s: how a covered picture element is drawn', (style, has, hasNot) => {
    const picture = rule(coverCss(style), /^\s*:is\(:is\(img/);
    expect(picture).toMatch(has);
    expect(picture).not.toMatch(hasNot);
    expect(picture).toContain('transition: none !important');
  });

  it.each(['blur', 'tile', 'hide'] as const)('%s: an element holding content keeps it; only its pictures go', (style) => {
    const css = coverCss(style);
    // Nothing that moves or hides the content: no filter and no opacity on the holder itself.
    const holder = css
      .split('}')
      .find((b) => b.includes('background-color') && !b.includes('::before') && !b.includes('filter') && !b.includes('opacity: 0'));
    expect(holder).toBeDefined();
    expect(holder).toContain('background-size: 0 0 !important');
    expect(holder).toContain('border-image-width: 0 !important');
    expect(holder).toContain(style === 'hide' ? 'background-color: transparent' : 'background-color: #767676');
  });

  it("tile hides an SVG <image> (no box to fill) and a picture element's ::before/::after", () => {
    expect(coverCss('tile')).toMatch(/:is\(image, object, embed, canvas\), [^{]*::before, [^{]*::after \{ opacity: 0 !important; \}/);
    expect(coverCss('blur')).not.toMatch(/:is\(image\)/);
  });
});
