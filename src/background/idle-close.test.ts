import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';

import { markModelUsed, shouldClose, watchIdle } from './idle-close';

const closed = vi.fn(async () => {});

describe('shouldClose', () => {
  it.each([
    { idleMinutes: 4.9, keep: 5, want: false },
    { idleMinutes: 5, keep: 5, want: true },
    { idleMinutes: 14, keep: 15, want: false },
    { idleMinutes: 61, keep: 60, want: true },
    { idleMinutes: 1, keep: 1, want: true },
  ])('idle $idleMinutes min with the model kept $keep min -> close: $want', ({ idleMinutes, keep, want }) => {
    expect(shouldClose(0, idleMinutes * 60_000, keep)).toBe(want);
  });
});

describe('watchIdle', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    closed.mockClear();
  });

  it('closes the model once the time the user chose has passed since the last image, and not before', async () => {
    let keep = 15;
    watchIdle(async () => keep, closed);
    markModelUsed(Date.now() - 10 * 60_000);
    await new Promise((r) => setTimeout(r, 0));
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'megane-idle-check', scheduledTime: Date.now() });
    expect(closed).not.toHaveBeenCalled();
    keep = 5;
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'megane-idle-check', scheduledTime: Date.now() });
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('writes the last use at most every 20 s, however many images ask', async () => {
    const t = Date.now();
    const stored = async () => (await fakeBrowser.storage.session.get('modelLastUsed')).modelLastUsed;
    markModelUsed(t);
    await new Promise((r) => setTimeout(r, 0));
    expect(await stored()).toBe(t);
    markModelUsed(t + 5_000);
    await new Promise((r) => setTimeout(r, 0));
    expect(await stored()).toBe(t);
    markModelUsed(t + 25_000);
    await new Promise((r) => setTimeout(r, 0));
    expect(await stored()).toBe(t + 25_000);
  });
});
