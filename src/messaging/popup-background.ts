import type { ModelStatus } from './background-offscreen';
import type { FrameStats } from './content-background';
import { isRecord } from '../util/checks';
import { type Channel, runtimeSender } from './protocol';

const CHANNEL = 'popup->background' satisfies Channel;

export type PopupToBackground = { channel: typeof CHANNEL } & (
  | { type: 'get-status'; tabId: number | null }
  /** The options page changed marks in IndexedDB (import, edit, delete): the personal model retrains. */
  | { type: 'marks-changed' }
  /** Train the personal model now and answer when done (the options page's "Train now"). */
  | { type: 'train-personal' }
  /** Forget every count of the statistics page (the options page's "Clear statistics"). */
  | { type: 'clear-stats' }
);

export interface PopupStatus {
  model: ModelStatus;
  /** Sum over the tab's frames, or null when the tab has no Megane content script. */
  tab: FrameStats | null;
}

export interface PopupToBackgroundReplies {
  'get-status': PopupStatus;
  'marks-changed': true;
  /** Sent once the training has finished (the outcome is in storage, with the personal statuses). */
  'train-personal': true;
  /** Sent once the counts are gone from storage. */
  'clear-stats': true;
}

/** Sends a request to the background; resolves to its answer, or undefined when no one answered. */
export const sendPopupToBackground = runtimeSender<PopupToBackground, PopupToBackgroundReplies>();

export function isPopupToBackground(msg: unknown): msg is PopupToBackground {
  if (!isRecord(msg) || msg.channel !== CHANNEL) return false;
  if (msg.type === 'marks-changed' || msg.type === 'train-personal' || msg.type === 'clear-stats') return true;
  return msg.type === 'get-status' && (msg.tabId === null || Number.isInteger(msg.tabId));
}
