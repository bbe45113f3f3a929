import { describe, expect, it, vi } from 'vitest';
import { inPageHostLink, type HostHandlers, type InPageHost } from './host-link';

/** A host whose status handler says which instance answered. */
function fakeHost(n: number): InPageHost {
  return { handlers: { status: vi.fn(async () => ({ instance: n })) } as unknown as HostHandlers, unload: vi.fn() };
}

const STATUS = { channel: 'background->offscreen', type: 'status' } as const;

describe("Firefox's in-page host link", () => {
  it('starts the host with the first request only, and calls it directly', async () => {
    let made = 0;
    const create = vi.fn(async () => fakeHost(++made));
    const link = inPageHostLink(create);
    expect(await link.running()).toBe(false);
    expect(create).not.toHaveBeenCalled();
    expect(await link.send(STATUS)).toEqual({ instance: 1 });
    expect(await link.send(STATUS)).toEqual({ instance: 1 });
    expect(await link.running()).toBe(true);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('tries again after a host that failed to start', async () => {
    const create = vi.fn().mockRejectedValueOnce(new Error('tfjs failed to load')).mockResolvedValueOnce(fakeHost(2));
    const link = inPageHostLink(create);
    await expect(link.start()).rejects.toThrow('tfjs failed to load');
    expect(await link.running()).toBe(false);
    await link.start();
    expect(await link.send(STATUS)).toEqual({ instance: 2 });
  });

  it('stop frees the models of a running host and starts none', async () => {
    const host = fakeHost(1);
    const create = vi.fn(async () => host);
    const link = inPageHostLink(create);
    await link.stop();
    expect(create).not.toHaveBeenCalled();
    await link.start();
    await link.stop();
    expect(host.unload).toHaveBeenCalledTimes(1);
  });
});
