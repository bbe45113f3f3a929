// The background's message handlers. Each channel's messages are validated and their sender checked
// before anything runs: content scripts must come from a tab of this extension's own content script,
// popup/options messages from this extension's pages.
import { browser } from 'wxt/browser';
import type { Runtime } from 'webextension-polyfill';
import { isContentToBackground, type ClassifyResult, type FrameStats } from '../messaging/content-background';
import { isPopupToBackground, type PopupStatus } from '../messaging/popup-background';
import type { ModelConfig, ModelStatus } from '../messaging/background-offscreen';
import type { MarkAction, Marks } from '../marks/mark-types';
import type { MarkReply } from '../messaging/content-background';
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

export function handleMessage(deps: RouterDeps, message: unknown, sender: Runtime.MessageSender): Promise<unknown> | undefined {
  if (sender.id !== browser.runtime.id) return undefined;
  const extensionOrigin = browser.runtime.getURL('/');
  const fromExtensionPage = sender.url?.startsWith(extensionOrigin) ?? false;

  if (isContentToBackground(message)) {
    const tabId = sender.tab?.id;
    if (fromExtensionPage || tabId === undefined) return undefined;
    switch (message.type) {
      case 'classify-url':
        return withMarks(deps, message.url, deps.classify(message.url, message.detectors));
      case 'classify-pixels':
        return withMarks(deps, message.key, deps.classify(message.dataUrl, message.detectors));
      case 'frame-stats':
        return deps.reportStats(tabId, sender.frameId ?? 0, message.stats);
      case 'mark-image':
        return deps.mark(message.url, message.pageUrl, message.action);
    }
  }
  if (isPopupToBackground(message) && fromExtensionPage) {
    switch (message.type) {
      case 'get-status':
        return (async (): Promise<PopupStatus> => ({
          model: await deps.modelStatus(),
          tab: message.tabId === null ? null : await deps.tabStats(message.tabId),
        }))();
      case 'marks-changed':
        deps.marksChanged();
        return Promise.resolve(true);
      case 'train-personal':
        return deps.trainNow().then(() => true);
    }
  }
  return undefined;
}

/** Scores plus the user's marks on the image, looked up while the scores are computed. */
async function withMarks(deps: RouterDeps, url: string, result: Promise<ClassifyResult>): Promise<ClassifyResult> {
  const [answer, marks] = await Promise.all([result, deps.marksFor(url)]);
  return marks ? { ...answer, marks } : answer;
}

export type { ModelConfig };
