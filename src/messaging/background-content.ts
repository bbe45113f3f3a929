// Channel: background service worker -> a tab's content scripts (tabs.sendMessage). Used when a mark
// is made outside the page (the context menu) so the frame applies it at once, and for the shortcut
// that reveals the image under the pointer (every frame of the tab hears it; the one the pointer is in
// acts).
import { browser } from 'wxt/browser';
import type { Marks } from '../marks/mark-types';
import { isRecord } from '../util/checks';
import type { Channel } from './protocol';

const CHANNEL = 'background->content' satisfies Channel;

export type BackgroundToContent =
  | { channel: typeof CHANNEL; type: 'marks-changed'; url: string; marks: Marks }
  | { channel: typeof CHANNEL; type: 'reveal-under-pointer' };

export interface BackgroundToContentReplies {
  /** The frame applies the marks; it does not answer. */
  'marks-changed': undefined;
  /** The frame under the pointer reveals the covered image there; no answer. */
  'reveal-under-pointer': undefined;
}

/**
 * Sends a message to one frame of a tab, or to every frame when `frameId` is left out; resolves to
 * the (first) answer, or undefined when no one answered.
 */
export async function sendBackgroundToContent<M extends BackgroundToContent>(
  target: { tabId: number; frameId?: number },
  message: M,
): Promise<BackgroundToContentReplies[M['type']] | undefined> {
  const reply: unknown =
    target.frameId === undefined
      ? await browser.tabs.sendMessage(target.tabId, message)
      : await browser.tabs.sendMessage(target.tabId, message, { frameId: target.frameId });
  // The one cast on this channel: the content script's handler is typed by the same reply map.
  return reply as BackgroundToContentReplies[M['type']] | undefined;
}

export function isBackgroundToContent(msg: unknown): msg is BackgroundToContent {
  if (!isRecord(msg) || msg.channel !== CHANNEL) return false;
  switch (msg.type) {
    case 'reveal-under-pointer':
      return true;
    case 'marks-changed':
      return (
        typeof msg.url === 'string' &&
        isRecord(msg.marks) &&
        typeof msg.marks.like === 'boolean' &&
        typeof msg.marks.dislike === 'boolean' &&
        (msg.marks.verdict === null || msg.marks.verdict === 'hide' || msg.marks.verdict === 'show') &&
        Array.isArray(msg.marks.tags)
      );
    default:
      return false;
  }
}
