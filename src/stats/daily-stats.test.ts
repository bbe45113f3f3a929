import { describe, expect, it } from 'vitest';
import {
  addTally,
  dayKey,
  emptyTally,
  isTally,
  lastDayKeys,
  readStats,
  record,
  series,
  STATS_DAYS,
  totals,
  type Tally,
} from './daily-stats';

const tally = (checked: number, failed: number, rules: Tally['rules'] = {}): Tally => ({
  checked,
  failed,
  covered: Object.values(rules).reduce((a: number, b) => a + (b ?? 0), 0),
  rules,
});

describe('daily statistics', () => {
  it('names days by the local date', () => {
    expect(dayKey(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(dayKey(new Date(2026, 11, 31, 0, 0))).toBe('2026-12-31');
  });

  it('lists the last 30 days across a month and a year, oldest first', () => {
    const days = lastDayKeys(new Date(2027, 0, 10, 12));
    expect(days).toHaveLength(STATS_DAYS);
    expect(days[0]).toBe('2026-12-12');
    expect(days.at(-1)).toBe('2027-01-10');
    expect(new Set(days).size).toBe(STATS_DAYS);
  });

  it('adds tallies rule by rule', () => {
    expect(addTally(tally(2, 1, { nsfw: 1 }), tally(3, 0, { nsfw: 2, food: 1 }))).toEqual(tally(5, 1, { nsfw: 3, food: 1 }));
  });

  it("records into today's counts and drops days older than 30", () => {
    const today = new Date(2026, 11, 5, 10);
    const old = { '2026-11-05': tally(9, 9), '2026-11-06': tally(1, 0), '2026-12-05': tally(1, 0, { you: 1 }) };
    const next = record(old, tally(2, 1, { you: 1, unchecked: 1 }), today);
    expect(Object.keys(next).sort()).toEqual(['2026-11-06', '2026-12-05']);
    expect(next['2026-12-05']).toEqual(tally(3, 1, { you: 2, unchecked: 1 }));
    // The stored object is not changed under its reader.
    expect(old['2026-12-05']).toEqual(tally(1, 0, { you: 1 }));
  });

  it('draws 30 days with zeros where nothing was counted, and sums them', () => {
    const today = new Date(2026, 11, 5, 10);
    const stats = { '2026-12-04': tally(4, 0, { food: 1, nsfw: 2 }), '2026-12-05': tally(1, 1, { nsfw: 1 }) };
    const drawn = series(stats, today);
    expect(drawn).toHaveLength(30);
    expect(drawn.at(-1)?.counts.checked).toBe(1);
    expect(drawn.at(-2)?.counts.checked).toBe(4);
    expect(drawn[0]?.counts).toEqual(emptyTally());
    const { sum, rules } = totals(drawn);
    expect(sum).toEqual({ checked: 5, failed: 1, covered: 4, rules: { food: 1, nsfw: 3 } });
    expect(rules).toEqual([
      ['nsfw', 3],
      ['food', 1],
    ]);
  });

  it.each([
    ['a tally', tally(1, 0, { nsfw: 1, 'user:cats': 0 }), true],
    ['no rules object', { checked: 1, failed: 0, covered: 0 }, false],
    ['a negative count', { ...tally(1, 0), checked: -1 }, false],
    ['a fraction', { ...tally(1, 0), failed: 0.5 }, false],
    ['an unknown rule', tally(1, 0, { ['https://example.com' as 'nsfw']: 1 }), false],
    ['a huge count', { ...tally(1, 0), checked: 1e9 }, false],
    ['not an object', 'lots', false],
  ])('reads a message tally only when it is counts: %s', (_name, value, ok) => {
    expect(isTally(value)).toBe(ok);
  });

  it('reads stored stats, leaving out broken days', () => {
    expect(readStats({ '2026-12-05': tally(1, 0), yesterday: tally(1, 0), '2026-12-04': { checked: 'x' } })).toEqual({
      '2026-12-05': tally(1, 0),
    });
    expect(readStats(null)).toEqual({});
  });
});
