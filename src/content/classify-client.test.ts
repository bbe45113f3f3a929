import { describe, expect, it, vi } from 'vitest';
import { ASK_AGAIN, type ClassifyResult, type ContentToBackground } from '../messaging/content-background';
import { createClassifyClient } from './classify-client';

const scored: ClassifyResult = {
  ok: true,
  scores: { model: 'mobilenet_v2_mid', classes: [0, 0, 1, 0, 0], tags: {}, detectors: [] },
};

describe('classify client', () => {
  it('asks again, as often as told, while the background says the check is still on its way', async () => {
    const replies: unknown[] = [{ ok: false, error: ASK_AGAIN }, { ok: false, error: ASK_AGAIN }, scored];
    const send = vi.fn(async (_msg: ContentToBackground) => replies.shift());
    const client = createClassifyClient(send as never);
    expect(await client.classifyUrl('https://img.test/a.jpg', [])).toEqual(scored);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('tries once more when no one answered, then says the extension is unavailable', async () => {
    const send = vi.fn(async () => undefined);
    const client = createClassifyClient(send as never);
    expect(await client.classifyUrl('https://img.test/a.jpg', [])).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^extension unavailable/),
    });
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('takes back a request it no longer wants, and asks afresh next time', async () => {
    const sent: ContentToBackground[] = [];
    let answer: (r: ClassifyResult) => void = () => {};
    const send = vi.fn((msg: ContentToBackground) => {
      sent.push(msg);
      if (msg.type === 'cancel-check') return Promise.resolve(undefined);
      return new Promise((resolve) => (answer = resolve));
    });
    const client = createClassifyClient(send as never);
    void client.classifyUrl('https://img.test/a.jpg', []);
    client.cancel('https://img.test/a.jpg', []);
    expect(sent.map((m) => m.type)).toEqual(['classify-url', 'cancel-check']);
    const again = client.classifyUrl('https://img.test/a.jpg', []);
    answer(scored);
    expect(await again).toEqual(scored);
    expect(sent.map((m) => m.type)).toEqual(['classify-url', 'cancel-check', 'classify-url']);
    // Once answered, nothing is taken back.
    client.cancel('https://img.test/a.jpg', []);
    await Promise.resolve();
    expect(client.answered('https://img.test/a.jpg', [])).toBe(true);
    expect(sent).toHaveLength(3);
  });
});
