// Channel: popup/options -> background service worker.
import type { ModelStatus } from './background-offscreen';
import type { FrameStats } from './content-background';
import { isRecord } from './content-background';

export type PopupToBackground = { target: 'background'; type: 'get-status'; tabId: number | null };

export interface PopupStatus {
  model: ModelStatus;
  /** Sum over the tab's frames, or null when the tab has no Megane content script. */
  tab: FrameStats | null;
}

export function isPopupToBackground(msg: unknown): msg is PopupToBackground {
  return (
    isRecord(msg) &&
    msg.target === 'background' &&
    msg.type === 'get-status' &&
    (msg.tabId === null || Number.isInteger(msg.tabId))
  );
}
