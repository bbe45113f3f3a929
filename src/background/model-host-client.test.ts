import { describe, expect, it, vi } from 'vitest';
import type { HostLink } from './host-link';
import { createHostClient } from './model-host-client';

const CONFIG = { model: 'mobilenet_v2_mid', backend: 'auto' } as unknown as Parameters<
  ReturnType<typeof createHostClient>['scoreInHost']
>[1];
const SCORES = { ok: true, scores: { model: 'mobilenet_v2_mid', classes: [0, 0, 1, 0, 0], tags: {}, detectors: [] } };

/** A link whose host answers `answer`, after failing `failures` times with `error`. */
function fakeLink(failures: number, error: string, running = true) {
  const sent: string[] = [];
  let left = failures;
  const link: HostLink = {
    start: vi.fn(async () => {}),
    running: vi.fn(async () => running),
    send: vi.fn(async (message: { type: string }) => {
      sent.push(message.type);
      if (left-- > 0) throw new Error(error);
      return SCORES;
    }) as unknown as HostLink['send'],
    stop: vi.fn(async () => {}),
    notThereYet: (e) => String(e).includes('Receiving end does not exist'),
  };
  return { link, sent };
}

describe('the host client, over either link', () => {
  it('waits for a host that is still loading (Chrome: "Receiving end does not exist"), starting it each time', async () => {
    const { link, sent } = fakeLink(3, 'Could not establish connection. Receiving end does not exist.');
    expect(await createHostClient(link).scoreInHost('https://img.test/a.jpg', CONFIG)).toEqual(SCORES);
    expect(sent).toEqual(['classify', 'classify', 'classify', 'classify']);
    expect(link.start).toHaveBeenCalledTimes(4);
  });

  it('tries any other failure once more, then says it', async () => {
    const { link } = fakeLink(2, 'the host crashed');
    await expect(createHostClient(link).scoreInHost('https://img.test/a.jpg', CONFIG)).rejects.toThrow('the host crashed');
  });

  it('a cancelled check answers at once and tells a running host; it never starts one to cancel', async () => {
    for (const running of [true, false]) {
      const { link, sent } = fakeLink(0, '', running);
      const controller = new AbortController();
      const answer = createHostClient(link).scoreInHost('https://img.test/a.jpg', CONFIG, controller.signal);
      controller.abort();
      expect(await answer).toMatchObject({ ok: false });
      await vi.waitFor(() => expect(link.running).toHaveBeenCalled());
      await new Promise((r) => setTimeout(r, 10));
      expect(sent.includes('cancel')).toBe(running);
    }
  });

  it('reports an idle host without starting it', async () => {
    const { link } = fakeLink(0, '', false);
    const status = await createHostClient(link).hostStatus({ model: 'mobilenet_v2_mid' });
    expect(status.state).toBe('idle');
    expect(link.start).not.toHaveBeenCalled();
  });
});
