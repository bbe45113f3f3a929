// Timed loops for the bench: a fixed number of calls, cut short by a time budget on slow backends.

export interface TimedCalls {
  calls: number;
  totalMs: number;
  /** Duration of each call, in call order. */
  samplesMs: number[];
}

/** Runs `run(i)` up to `maxCalls` times, one after another, stopping early once `budgetMs` is spent (always >= 1 call). */
export async function timeCalls(run: (i: number) => Promise<unknown>, maxCalls: number, budgetMs: number): Promise<TimedCalls> {
  const samplesMs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < Math.max(1, maxCalls); i++) {
    const t0 = performance.now();
    await run(i);
    samplesMs.push(performance.now() - t0);
    if (performance.now() - started >= budgetMs) break;
  }
  return { calls: samplesMs.length, totalMs: samplesMs.reduce((a, b) => a + b, 0), samplesMs };
}
