import { describe, expect, it } from 'vitest';
import { createSliceRunner } from './slice-runner';

function manual() {
  const pending: (() => void)[] = [];
  return { defer: (run: () => void) => void pending.push(run), step: () => pending.shift()?.(), pending };
}

describe('createSliceRunner', () => {
  it('stops a slice at the item cap and continues in the next', () => {
    const seen: number[] = [];
    const clock = manual();
    const runner = createSliceRunner<number>((n) => seen.push(n), new AbortController().signal, {
      budgetMs: 1000,
      maxItems: 2,
      now: () => 0,
      defer: clock.defer,
    });
    [1, 2, 3, 4, 5].forEach((n) => runner.push(n));
    expect(clock.pending).toHaveLength(1);
    clock.step();
    expect(seen).toEqual([1, 2]);
    clock.step();
    clock.step();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(clock.pending).toHaveLength(0);
  });

  it('stops a slice when the time budget is spent', () => {
    let time = 0;
    const seen: number[] = [];
    const clock = manual();
    const runner = createSliceRunner<number>(
      (n) => {
        seen.push(n);
        time += 3;
      },
      new AbortController().signal,
      {
        budgetMs: 8,
        maxItems: 100,
        now: () => time,
        defer: clock.defer,
      },
    );
    [1, 2, 3, 4, 5].forEach((n) => runner.push(n));
    clock.step();
    expect(seen).toEqual([1, 2, 3]);
  });

  it('queues an item once however often it is pushed', () => {
    const seen: string[] = [];
    const clock = manual();
    const runner = createSliceRunner<string>((s) => seen.push(s), new AbortController().signal, {
      budgetMs: 8,
      maxItems: 100,
      now: () => 0,
      defer: clock.defer,
    });
    runner.push('a');
    runner.push('a');
    runner.push('b');
    clock.step();
    expect(seen).toEqual(['a', 'b']);
  });

  it('does nothing after abort', () => {
    const seen: number[] = [];
    const clock = manual();
    const controller = new AbortController();
    const runner = createSliceRunner<number>((n) => seen.push(n), controller.signal, {
      budgetMs: 8,
      maxItems: 100,
      now: () => 0,
      defer: clock.defer,
    });
    runner.push(1);
    controller.abort();
    clock.step();
    runner.push(2);
    expect(seen).toEqual([]);
    expect(clock.pending).toHaveLength(0);
  });
});
