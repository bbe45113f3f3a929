import { describe, expect, it } from 'vitest';
import { keepModelLabel } from './keep-model';

describe('keepModelLabel', () => {
  it.each([
    [1, '1 minute'],
    [5, '5 minutes (default)'],
    [15, '15 minutes'],
    [60, '1 hour'],
    [480, '8 hours'],
    [90, '90 minutes'],
  ])('%i -> %s', (minutes, text) => {
    expect(keepModelLabel(minutes)).toBe(text);
  });
});
