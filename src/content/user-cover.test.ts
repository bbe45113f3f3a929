import { describe, expect, it } from 'vitest';
import type { sendContentToBackground } from '../messaging/content-background';
import { createUserCover } from './user-cover';

function recorder() {
  const sent: string[] = [];
  const send = (async (message: { on: boolean; style?: string }) => {
    sent.push(`${message.on ? 'insert' : 'remove'} ${message.style}`);
    return true;
  }) as unknown as typeof sendContentToBackground;
  return { sent, send };
}

describe('createUserCover', () => {
  it('puts a new style in before taking the old one out, and asks nothing twice', async () => {
    const { sent, send } = recorder();
    const cover = createUserCover(send);
    await cover.set(true);
    await cover.set(true, 'blur');
    await cover.set(true, 'tile');
    await cover.set(true, 'tile');
    await cover.set(false);
    await cover.set(false);
    await cover.set(true, 'hide');
    expect(sent).toEqual(['insert blur', 'insert tile', 'remove blur', 'remove tile', 'insert hide']);
  });

  it('keeps the style it has when switched on again without one', async () => {
    const { sent, send } = recorder();
    const cover = createUserCover(send);
    await cover.set(true, 'tile');
    await cover.set(true);
    expect(sent).toEqual(['insert tile']);
  });
});
