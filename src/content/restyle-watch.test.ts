import { describe, expect, it } from 'vitest';
import { isPictureProperty } from './restyle-watch';

describe('isPictureProperty', () => {
  it.each([
    ['backgroundImage', true],
    ['background', true],
    ['background-image', true],
    ['content', true],
    ['borderImageSource', true],
    ['border-image', true],
    ['listStyleImage', true],
    ['maskImage', true],
    ['webkitMaskImage', true],
    ['-webkit-mask-image', true],
    ['display', true],
    ['all', true],
    ['--thumb', true],
    ['transform', false],
    ['opacity', false],
    ['offset', false],
    ['easing', false],
    ['color', false],
    ['allow', false],
  ])('%s: %s', (name, expected) => {
    expect(isPictureProperty(name)).toBe(expected);
  });
});
