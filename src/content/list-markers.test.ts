import { describe, expect, it } from 'vitest';
import { isLargeMarker, MARKER_MIN_PX, placeholderUrl } from './list-markers';

describe('isLargeMarker', () => {
  it.each([
    [{ width: 12, height: 12 }, false],
    [{ width: MARKER_MIN_PX - 1, height: MARKER_MIN_PX - 1 }, false],
    [{ width: MARKER_MIN_PX, height: 10 }, true],
    [{ width: 10, height: MARKER_MIN_PX }, true],
    [{ width: 480, height: 480 }, true],
  ])('%o -> %s', (size, large) => {
    expect(isLargeMarker(size)).toBe(large);
  });
});

describe('placeholderUrl', () => {
  it("is an SVG of the marker's own size in the cover's grey", () => {
    const svg = decodeURIComponent(placeholderUrl({ width: 480, height: 320 }).replace('data:image/svg+xml,', ''));
    expect(svg).toContain('width="480" height="320"');
    expect(svg).toContain('fill="#767676"');
  });
  it('has no quote or backslash that would end the url("…") it is put in', () => {
    expect(placeholderUrl({ width: 1, height: 1 })).not.toMatch(/["'\\]/);
  });
});
