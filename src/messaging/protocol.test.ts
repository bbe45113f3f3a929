import { describe, expect, it, vi } from 'vitest';
import { answeringListener } from './protocol';

const sender = { id: 'megane' };

describe('answering listener', () => {
  it('answers through sendResponse and keeps the channel open for it', async () => {
    const sendResponse = vi.fn();
    const listener = answeringListener(async (message) => ({ echo: message }));
    expect(listener('hi', sender, sendResponse)).toBe(true);
    await vi.waitFor(() => expect(sendResponse).toHaveBeenCalledWith({ echo: 'hi' }));
  });

  it('leaves a message that is not its own to other listeners', () => {
    const sendResponse = vi.fn();
    expect(answeringListener(() => undefined)('hi', sender, sendResponse)).toBe(false);
    expect(sendResponse).not.toHaveBeenCalled();
  });

  it('answers undefined (no answer) when the handler fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const sendResponse = vi.fn();
    expect(answeringListener(() => Promise.reject(new Error('host gone')))('hi', sender, sendResponse)).toBe(true);
    await vi.waitFor(() => expect(sendResponse).toHaveBeenCalledWith(undefined));
    warn.mockRestore();
  });
});
