// Channel: background service worker -> one frame's content script (tabs.sendMessage with a frameId).
// Used when a mark is made outside the page (the context menu) so the frame applies it at once.
import { browser } from 'wxt/browser';
import type { Marks } from '../marks/mark-types';
import { isRecord } from '../util/checks';
import type { Channel } from './protocol';

const CHANNEL = 'background->content' satisfies Channel;

export type BackgroundToContent = { channel: typeof CHANNEL; type: 'marks-changed'; url: string; marks: Marks };

export interface BackgroundToContentReplies {
  /** The frame applies the marks; it does not answer. */
  'marks-changed': undefined;
}

/** Sends a message to one frame of a tab; resolves to its answer, or undefined when no one answered. */
export async function sendBackgroundToContent<M extends BackgroundToContent>(
  target: { tabId: number; frameId: number },
  message: M,
): Promise<BackgroundToContentReplies[M['type']] | undefined> {
  const reply: unknown = await browser.tabs.sendMessage(target.tabId, message, { frameId: target.frameId });
  // The one cast on this channel: the content script's handler is typed by the same reply map.
  return reply as BackgroundToContentReplies[M['type']] | undefined;
}

export function isBackgroundToContent(msg: unknown): msg is BackgroundToContent {
  return (
    isRecord(msg) &&
    msg.channel === CHANNEL &&
    msg.type === 'marks-changed' &&
    typeof msg.url === 'string' &&
    isRecord(msg.marks) &&
    typeof msg.marks.like === 'boolean' &&
    typeof msg.marks.dislike === 'boolean' &&
    (msg.marks.verdict === null || msg.marks.verdict === 'hide' || msg.marks.verdict === 'show') &&
    Array.isArray(msg.marks.tags)
  );
}
