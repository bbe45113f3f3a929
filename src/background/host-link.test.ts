import { describe, expect, it, vi } from 'vitest';
import { inPageHostLink, type HostHandlers } from './host-link';

/** A host whose status handler says which instance answered. */
function fakeHost(n: number): HostHandlers {
  return { status: vi.fn(async () => ({ instance: n })) } as unknown as HostHandlers;
}

describe("Firefox's in-page host link", () => {
  it('starts the host with the first request only, and calls it directly', async () => {
    let made = 0;
    const create = vi.fn(async () => fakeHost(++made));
    const link = inPageHostLink(create);
    expect(await link.running()).toBe(false);
    expect(create).not.toHaveBeenCalled();
    const status = { channel: 'background->offscreen', type: 'status' } as const;
    expect(await link.send(status)).toEqual({ instance: 1 });
    expect(await link.send(status)).toEqual({ instance: 1 });
    expect(await link.running()).toBe(true);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('tries again after a host that failed to start', async () => {
    const create = vi.fn().mockRejectedValueOnce(new Error('tfjs failed to load')).mockResolvedValueOnce(fakeHost(2));
    const link = inPageHostLink(create);
    await expect(link.start()).rejects.toThrow('tfjs failed to load');
    expect(await link.running()).toBe(false);
    await link.start();
    expect(await link.send({ channel: 'background->offscreen', type: 'status' })).toEqual({ instance: 2 });
  });
});
