import { describe, expect, it, vi } from 'vitest';
import { openOnce } from './open-once';

describe('open once', () => {
  it('opens on first use and shares the result', async () => {
    const open = vi.fn(async () => ({ db: 1 }));
    const get = openOnce(open);
    expect(open).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await get()).toBe(a);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('tries again after a failed open', async () => {
    const open = vi.fn().mockRejectedValueOnce(new Error('blocked')).mockResolvedValue('open');
    const get = openOnce<string>(open);
    await expect(get()).rejects.toThrow('blocked');
    expect(await get()).toBe('open');
    expect(open).toHaveBeenCalledTimes(2);
  });
});
