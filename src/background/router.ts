// The background's message handlers. Each channel's messages are validated and their sender checked
// before anything runs: content scripts must come from a tab of this extension's own content script,
// popup/options messages from this extension's pages. The handlers are typed by each channel's reply
// map, so a handler answering with the wrong type does not compile.
import { browser } from 'wxt/browser';
import {
  isContentToBackground,
  type ClassifyResult,
  type ContentToBackground,
  type ContentToBackgroundReplies,
  type FrameStats,
  type MarkReply,
} from '../messaging/content-background';
import { isPopupToBackground, type PopupToBackground, type PopupToBackgroundReplies } from '../messaging/popup-background';
import type { ModelConfig, ModelStatus } from '../messaging/background-offscreen';
import { dispatch, type Handlers, type MessageSender } from '../messaging/protocol';
import type { MarkAction, Marks } from '../marks/mark-types';
import type { Detector } from '../tags/vocabulary';

export interface RouterDeps {
  classify: (url: string, detectors: Detector[]) => Promise<ClassifyResult>;
  reportStats: (tabId: number, frameId: number, stats: FrameStats) => Promise<void>;
  tabStats: (tabId: number) => Promise<FrameStats | null>;
  modelStatus: () => Promise<ModelStatus>;
  mark: (url: string, pageUrl: string, action: MarkAction) => Promise<MarkReply>;
  /** The user's marks on an image URL, if any. */
  marksFor: (url: string) => Promise<Marks | undefined>;
  marksChanged: () => void;
  trainNow: () => Promise<void>;
}

export function handleMessage(deps: RouterDeps, message: unknown, sender: MessageSender): Promise<unknown> | undefined {
  if (sender.id !== browser.runtime.id) return undefined;
  const extensionOrigin = browser.runtime.getURL('/');
  const fromExtensionPage = sender.url?.startsWith(extensionOrigin) ?? false;

  if (isContentToBackground(message)) {
    const tabId = sender.tab?.id;
    if (fromExtensionPage || tabId === undefined) return undefined;
    return dispatch(contentHandlers(deps, tabId, sender.frameId ?? 0), message);
  }
  if (isPopupToBackground(message) && fromExtensionPage) return dispatch(popupHandlers(deps), message);
  return undefined;
}

/** Requests from the content script of frame `frameId` in tab `tabId` (as the sender says, not the message). */
function contentHandlers(deps: RouterDeps, tabId: number, frameId: number): Handlers<ContentToBackground, ContentToBackgroundReplies> {
  return {
    'classify-url': (message) => withMarks(deps, message.url, deps.classify(message.url, message.detectors)),
    'classify-pixels': (message) => withMarks(deps, message.key, deps.classify(message.dataUrl, message.detectors)),
    'frame-stats': async (message) => {
      await deps.reportStats(tabId, frameId, message.stats);
      return undefined;
    },
    'mark-image': (message) => deps.mark(message.url, message.pageUrl, message.action),
  };
}

function popupHandlers(deps: RouterDeps): Handlers<PopupToBackground, PopupToBackgroundReplies> {
  return {
    'get-status': async (message) => ({
      model: await deps.modelStatus(),
      tab: message.tabId === null ? null : await deps.tabStats(message.tabId),
    }),
    'marks-changed': async () => {
      deps.marksChanged();
      return true;
    },
    'train-personal': async () => {
      await deps.trainNow();
      return true;
    },
  };
}

/** Scores plus the user's marks on the image, looked up while the scores are computed. */
async function withMarks(deps: RouterDeps, url: string, result: Promise<ClassifyResult>): Promise<ClassifyResult> {
  const [answer, marks] = await Promise.all([result, deps.marksFor(url)]);
  return marks ? { ...answer, marks } : answer;
}

export type { ModelConfig };
