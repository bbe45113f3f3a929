// Channel: popup/options -> background service worker.
import type { ModelStatus } from './background-offscreen';
import type { FrameStats } from './content-background';
import { isRecord } from '../util/checks';

export type PopupToBackground =
  | { target: 'background'; type: 'get-status'; tabId: number | null }
  /** The options page changed marks in IndexedDB (import, edit, delete): the personal model retrains. */
  | { target: 'background'; type: 'marks-changed' }
  /** Train the personal model now and answer when done (the options page's "Train now"). */
  | { target: 'background'; type: 'train-personal' };

export interface PopupStatus {
  model: ModelStatus;
  /** Sum over the tab's frames, or null when the tab has no Megane content script. */
  tab: FrameStats | null;
}

export function isPopupToBackground(msg: unknown): msg is PopupToBackground {
  if (!isRecord(msg) || msg.target !== 'background') return false;
  if (msg.type === 'marks-changed' || msg.type === 'train-personal') return true;
  return msg.type === 'get-status' && (msg.tabId === null || Number.isInteger(msg.tabId));
}
