// Channel: background service worker -> one frame's content script (tabs.sendMessage with a frameId).
// Used when a mark is made outside the page (the context menu) so the frame applies it at once.
import type { Marks } from '../marks/mark-types';
import { isRecord } from '../util/checks';

export type BackgroundToContent = { target: 'content'; type: 'marks-changed'; url: string; marks: Marks };

export function isBackgroundToContent(msg: unknown): msg is BackgroundToContent {
  return (
    isRecord(msg) &&
    msg.target === 'content' &&
    msg.type === 'marks-changed' &&
    typeof msg.url === 'string' &&
    isRecord(msg.marks) &&
    typeof msg.marks.like === 'boolean' &&
    typeof msg.marks.dislike === 'boolean' &&
    (msg.marks.verdict === null || msg.marks.verdict === 'hide' || msg.marks.verdict === 'show') &&
    Array.isArray(msg.marks.tags)
  );
}
