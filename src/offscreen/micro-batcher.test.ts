import { describe, expect, it } from 'vitest';
import { createBatcher } from './micro-batcher';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('createBatcher', () => {
  it('puts requests that arrive together into one batch', async () => {
    const batches: number[][] = [];
    const batcher = createBatcher(
      async (xs: number[]) => {
        batches.push(xs);
        return xs.map((x) => x * 2);
      },
      { maxBatch: 8 },
    );
    const out = await Promise.all([1, 2, 3].map((x) => batcher.add(x)));
    expect(out).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('collects arrivals during a running batch into the next, capped at maxBatch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = createBatcher(
      async (xs: number[]) => {
        batches.push(xs);
        if (batches.length === 1) await gate;
        return xs;
      },
      { maxBatch: 2 },
    );
    const first = batcher.add(0);
    await tick();
    const rest = [1, 2, 3].map((x) => batcher.add(x));
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[0], [1, 2], [3]]);
  });

  it('rejects every request of a failed batch and keeps serving later ones', async () => {
    let fail = true;
    const batcher = createBatcher(
      async (xs: number[]) => {
        if (fail) throw new Error('model failed');
        return xs;
      },
      { maxBatch: 8 },
    );
    const failed = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.add(3)).resolves.toBe(3);
  });

  it('runs up to `lanes` batches at once, each up to maxBatch, and no more', async () => {
    const gates: (() => void)[] = [];
    const started: number[][] = [];
    const batcher = createBatcher(
      async (xs: number[]) => {
        started.push(xs);
        await new Promise<void>((r) => gates.push(r));
        return xs;
      },
      { maxBatch: 1, lanes: 2 },
    );
    const all = [1, 2, 3, 4].map((x) => batcher.add(x));
    await tick();
    await tick();
    expect(started).toEqual([[1], [2]]);
    gates.shift()?.();
    await tick();
    await tick();
    expect(started).toEqual([[1], [2], [3]]);
    while (gates.length) {
      gates.shift()?.();
      await tick();
      await tick();
    }
    await expect(Promise.all(all)).resolves.toEqual([1, 2, 3, 4]);
    expect(started).toHaveLength(4);
  });
});
