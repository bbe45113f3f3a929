import { describe, expect, it } from 'vitest';
import {
  CANVAS_KEY_PREFIX,
  FINGERPRINT_SIDE,
  HIDDEN_SAMPLE_MS,
  INPUT_BURST_MS,
  INPUT_SAMPLE_MS,
  VISIBLE_SAMPLE_MS,
  drawingKey,
  isBlank,
  isDue,
  isTinyCanvas,
  unreadableKey,
} from './canvas-fingerprint';
import { routeOf } from './image-sources';

const SIZE = FINGERPRINT_SIDE * FINGERPRINT_SIDE * 4;
/** A fingerprint with every pixel `rgba`. */
const filled = (rgba: [number, number, number, number]) => Uint8ClampedArray.from({ length: SIZE }, (_, i) => rgba[i % 4] ?? 0);

describe('isBlank', () => {
  it.each([
    ['a new canvas (transparent black)', filled([0, 0, 0, 0]), true],
    ['cleared, colour left but alpha 0', filled([255, 0, 0, 0]), true],
    ['filled white', filled([255, 255, 255, 255]), false],
    ['one faint pixel', Uint8ClampedArray.from(filled([0, 0, 0, 0]), (v, i) => (i === 7 ? 1 : v)), false],
  ])('%s', (_name, print, blank) => {
    expect(isBlank(print)).toBe(blank);
  });
});

describe('drawingKey', () => {
  it('is the same for the same drawing and differs for any change', () => {
    const print = filled([1, 2, 3, 255]);
    const moved = Uint8ClampedArray.from(print, (v, i) => (i === 1000 ? v + 1 : v));
    expect(drawingKey(print)).toBe(drawingKey(filled([1, 2, 3, 255])));
    expect(drawingKey(moved)).not.toBe(drawingKey(print));
    expect(drawingKey(print)).toMatch(/^canvas:[0-9a-f]{16}$/);
  });

  it('names nothing the pipeline would fetch, and never an unreadable canvas', () => {
    const key = drawingKey(filled([9, 9, 9, 255]));
    expect(routeOf(key)).toBe('unsupported');
    expect(unreadableKey(3)).toBe(`${CANVAS_KEY_PREFIX}unreadable:3`);
    expect(unreadableKey(3)).not.toBe(unreadableKey(4));
  });
});

describe('isDue', () => {
  it.each([
    ['on screen, just sampled', 1000, 1000 + VISIBLE_SAMPLE_MS - 1, true, false],
    ['on screen, a sample period later', 1000, 1000 + VISIBLE_SAMPLE_MS, true, true],
    ['off screen, a visible period later', 1000, 1000 + VISIBLE_SAMPLE_MS, false, false],
    ['off screen, its own period later', 1000, 1000 + HIDDEN_SAMPLE_MS, false, true],
    ['never sampled', Number.NEGATIVE_INFINITY, 0, false, true],
  ])('%s', (_name, sampledAt, now, visible, due) => {
    expect(isDue(sampledAt, now, visible)).toBe(due);
  });

  it.each([
    ['on screen, just after a click: its fast period later', 0, INPUT_SAMPLE_MS, true, 0, true],
    ['on screen, just after a click: sooner', 0, INPUT_SAMPLE_MS - 1, true, 0, false],
    ['on screen, the burst over', 10_000, 10_000 + INPUT_SAMPLE_MS, true, 10_000 - INPUT_BURST_MS, false],
    ['off screen after a click: its own period still', 0, INPUT_SAMPLE_MS, false, 0, false],
  ])('%s', (_name, sampledAt, now, visible, inputAt, due) => {
    expect(isDue(sampledAt, now, visible, inputAt)).toBe(due);
  });

  it('bounds the reads: twice a second on screen, ten times for a moment after input, less off screen', () => {
    expect(1000 / VISIBLE_SAMPLE_MS).toBeLessThanOrEqual(2);
    expect(1000 / INPUT_SAMPLE_MS).toBeLessThanOrEqual(10);
    expect(INPUT_BURST_MS).toBeLessThanOrEqual(2000);
    expect(HIDDEN_SAMPLE_MS).toBeGreaterThanOrEqual(VISIBLE_SAMPLE_MS);
  });
});

describe('isTinyCanvas', () => {
  it.each([
    ['laid out at 40 x 40', { width: 40, height: 40 }, { width: 800, height: 800 }, 48, true],
    ['laid out 40 wide, 300 high', { width: 40, height: 300 }, { width: 40, height: 300 }, 48, false],
    ['not laid out, a 300 x 300 bitmap', { width: 0, height: 0 }, { width: 300, height: 300 }, 48, false],
    ['not laid out, a 16 x 16 bitmap', { width: 0, height: 0 }, { width: 16, height: 16 }, 48, true],
    ['no minimum size', { width: 1, height: 1 }, { width: 1, height: 1 }, 0, false],
  ])('%s', (_name, box, bitmap, min, tiny) => {
    expect(isTinyCanvas(box, bitmap, min)).toBe(tiny);
  });
});
