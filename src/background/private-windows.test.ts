import { describe, expect, it, vi } from 'vitest';
import { forgetIfLastPrivateClosed, NOTHING_KEPT } from './private-windows';

describe('forgetIfLastPrivateClosed', () => {
  it.each([
    {
      name: 'another private window is still open',
      windows: [
        { id: 1, incognito: false },
        { id: 3, incognito: true },
      ],
      forgets: false,
    },
    { name: 'the last private window closed', windows: [{ id: 1, incognito: false }], forgets: true },
    // Firefox may still list the window that is closing.
    {
      name: 'only the closing window is listed as private',
      windows: [
        { id: 1, incognito: false },
        { id: 2, incognito: true },
      ],
      forgets: true,
    },
    { name: 'no window is left', windows: [], forgets: true },
  ])('$name', async ({ windows, forgets }) => {
    const forget = vi.fn();
    await forgetIfLastPrivateClosed(2, async () => windows, forget);
    expect(forget).toHaveBeenCalledTimes(forgets ? 1 : 0);
  });

  it('forgets when the browser cannot list the windows', async () => {
    const forget = vi.fn();
    await forgetIfLastPrivateClosed(2, () => Promise.reject(new Error('no windows API')), forget);
    expect(forget).toHaveBeenCalledTimes(1);
  });
});

describe('NOTHING_KEPT', () => {
  it('reads back nothing that was written', async () => {
    await NOTHING_KEPT.set({ scoreCache: [['k', 1]] });
    expect(await NOTHING_KEPT.get('scoreCache')).toEqual({});
  });
});
