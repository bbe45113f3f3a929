import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SettingsPatch } from '../../src/settings/store';
import { createDebouncedSave } from '../../src/ui/debounced-save';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A write that finishes only when the test says so. */
function controlledWrite() {
  const calls: { patch: SettingsPatch; finish: () => void; fail: (e: Error) => void }[] = [];
  const write = vi.fn(
    (patch: SettingsPatch) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ patch, finish: resolve, fail: reject });
      }),
  );
  return { write, calls };
}

describe('createDebouncedSave', () => {
  it('merges quick changes into one write after the quiet period', async () => {
    const write = vi.fn(async (_patch: SettingsPatch) => {});
    const saver = createDebouncedSave(write, 150, () => {});
    saver.queue({ nsfwThreshold: 0.6 });
    await vi.advanceTimersByTimeAsync(100);
    saver.queue({ nsfwThreshold: 0.5 });
    saver.queue({ enabled: false });
    await vi.advanceTimersByTimeAsync(149);
    expect(write).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(write).toHaveBeenCalledExactlyOnceWith({ nsfwThreshold: 0.5, enabled: false });
  });

  it('flush writes now, and not again later', async () => {
    const write = vi.fn(async (_patch: SettingsPatch) => {});
    const saver = createDebouncedSave(write, 150, () => {});
    saver.queue({ minImageSize: 10 });
    await saver.flush();
    expect(write).toHaveBeenCalledExactlyOnceWith({ minImageSize: 10 });
    await vi.advanceTimersByTimeAsync(500);
    expect(write).toHaveBeenCalledOnce();
    await saver.flush(); // nothing queued: no empty write
    expect(write).toHaveBeenCalledOnce();
  });

  it('reports changes not yet stored until their write finishes', async () => {
    const { write, calls } = controlledWrite();
    const saver = createDebouncedSave(write, 150, () => {});
    saver.queue({ nsfwThreshold: 0.5 });
    expect(saver.unsaved()).toEqual({ nsfwThreshold: 0.5 });
    void saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    saver.queue({ nsfwThreshold: 0.4 });
    expect(saver.unsaved()).toEqual({ nsfwThreshold: 0.4 });
    void saver.flush();
    calls[0]?.finish();
    await vi.advanceTimersByTimeAsync(0);
    // the first write is done, but 0.4 (the second) is still on its way
    expect(saver.unsaved()).toEqual({ nsfwThreshold: 0.4 });
    calls[1]?.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(saver.unsaved()).toEqual({});
  });

  it('writes one at a time, in order', async () => {
    const { write, calls } = controlledWrite();
    const saver = createDebouncedSave(write, 150, () => {});
    saver.queue({ nsfwThreshold: 0.5 });
    void saver.flush();
    saver.queue({ nsfwThreshold: 0.4 });
    void saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.patch)).toEqual([{ nsfwThreshold: 0.5 }]);
    calls[0]?.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.patch)).toEqual([{ nsfwThreshold: 0.5 }, { nsfwThreshold: 0.4 }]);
  });

  it('reports a failed write and keeps going', async () => {
    const { write, calls } = controlledWrite();
    const onError = vi.fn();
    const saver = createDebouncedSave(write, 150, onError);
    saver.queue({ nsfwThreshold: 0.5 });
    const first = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    calls[0]?.fail(new Error('quota'));
    await first;
    expect(onError).toHaveBeenCalledWith(new Error('quota'));
    expect(saver.unsaved()).toEqual({});
    saver.queue({ enabled: false });
    const second = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    calls[1]?.finish();
    await second;
    expect(calls).toHaveLength(2);
  });

  it('cancel drops the queued patch', async () => {
    const write = vi.fn(async (_patch: SettingsPatch) => {});
    const saver = createDebouncedSave(write, 150, () => {});
    saver.queue({ enabled: false });
    saver.cancel();
    await vi.advanceTimersByTimeAsync(500);
    expect(write).not.toHaveBeenCalled();
    expect(saver.unsaved()).toEqual({});
  });
});
