// The background's message handlers. Each channel's messages are validated and their sender checked
// before anything runs: content scripts must come from a tab of this extension's own content script,
// popup/options messages from this extension's pages. The handlers are typed by each channel's reply
// map, so a handler answering with the wrong type does not compile.
import type { CoverStyle } from '../settings/schema';
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import {
  ASK_AGAIN,
  isContentToBackground,
  type ClassifyResult,
  type ContentToBackground,
  type ContentToBackgroundReplies,
  type FrameStats,
  type MarkReply,
  type Place,
} from '../messaging/content-background';
import { isPopupToBackground, type PopupToBackground, type PopupToBackgroundReplies } from '../messaging/popup-background';
import { CANCELLED, type JobWhere, type ModelConfig, type ModelStatus } from '../messaging/background-offscreen';
import type { Tally } from '../stats/daily-stats';
import { dispatch, type Handlers, type MessageSender } from '../messaging/protocol';
import type { MarkAction, Marks } from '../marks/mark-types';
import type { Detector } from '../tags/vocabulary';
import { requesterOf, type Requester, type Scope } from './classify-service';

/**
 * All a page's frame hears when an image could not be checked (its label's tooltip shows it, in the
 * user's language): why (an HTTP status, a size, an error text of a request the page chose, with the
 * user's cookies) would tell the page about the image's server. The details go to this service
 * worker's console.
 */
export const couldNotCheck = (): string => i18n.t('background.couldNotCheck');

export interface RouterDeps {
  /**
   * Scores an image for a page of `scope.site` (answers and timings are never shared between sites,
   * nor between private and regular windows), for a frame that may later say it no longer wants it (`release`).
   */
  /** `where`: the image's place in its frame and its tab (check-priority.ts orders checks by them). */
  classify: (url: string, detectors: Detector[], scope: Scope, requester: Requester, where: JobWhere) => Promise<ClassifyResult>;
  /** The frame no longer wants `url` checked. */
  release: (requester: Requester, url: string) => void;
  reportStats: (tabId: number, frameId: number, stats: FrameStats) => Promise<void>;
  tabStats: (tabId: number) => Promise<FrameStats | null>;
  /** Adds what a frame answered to today's statistics (never for a private window). */
  recordTally: (tally: Tally) => void;
  /** The options page's "Clear statistics". */
  clearStats: () => Promise<void>;
  modelStatus: () => Promise<ModelStatus>;
  /** Stores a mark a page's hover buttons made in tab `tabId` (rate-limited per tab); `incognito`: a private window's. */
  mark: (url: string, pageUrl: string, action: MarkAction, tabId: number, incognito: boolean) => Promise<MarkReply>;
  /** The user's marks on an image URL, if any. */
  marksFor: (url: string) => Promise<Marks | undefined>;
  marksChanged: () => void;
  trainNow: () => Promise<void>;
  /** Puts the cover stylesheet into a frame's document as user-origin CSS, or takes it out. */
  userCover: (frame: FrameTarget, on: boolean, style: CoverStyle) => Promise<boolean>;
}

/** One document in a tab, as the sender of a content script's message says. */
export interface FrameTarget {
  tabId: number;
  frameId: number;
  /** The exact document (Chromium), so CSS never lands in a document the frame navigated to meanwhile. */
  documentId?: string;
}

export function handleMessage(deps: RouterDeps, message: unknown, sender: MessageSender): Promise<unknown> | undefined {
  if (sender.id !== browser.runtime.id) return undefined;
  const extensionOrigin = browser.runtime.getURL('/');
  const fromExtensionPage = sender.url?.startsWith(extensionOrigin) ?? false;

  if (isContentToBackground(message)) {
    const tabId = sender.tab?.id;
    if (fromExtensionPage || tabId === undefined) return undefined;
    const { documentId } = sender;
    const frame: FrameTarget = { tabId, frameId: sender.frameId ?? 0, ...(documentId ? { documentId } : {}) };
    // An unknown state (a tab the browser does not describe) counts as active: never held back for it.
    const tab = {
      site: topLevelSite(sender),
      active: sender.tab?.active !== false,
      incognito: sender.tab?.incognito !== false,
      cookieStore: otherCookieStore(sender),
    };
    return dispatch(contentHandlers(deps, frame, tab), message);
  }
  if (isPopupToBackground(message) && fromExtensionPage) return dispatch(popupHandlers(deps), message);
  return undefined;
}

/** Requests from the content script of one frame's document (as the sender says, not the message). */
function contentHandlers(
  deps: RouterDeps,
  frame: FrameTarget,
  { site, active: tabActive, incognito, cookieStore }: { site: string; active: boolean; incognito: boolean; cookieStore?: string },
): Handlers<ContentToBackground, ContentToBackgroundReplies> {
  const { tabId, frameId } = frame;
  // The document, where the browser names it: a frame that navigated is another requester.
  const requester = `${requesterOf(tabId, frameId)}${frame.documentId ? `:${frame.documentId}` : ''}`;
  const whereOf = (place: Place | undefined): JobWhere => ({ ...(place === undefined ? {} : { place }), tab: tabId, active: tabActive });
  const scope: Scope = { site, private: incognito, ...(cookieStore === undefined ? {} : { cookieStore }) };
  return {
    'classify-url': (message) =>
      withinEvent(withMarks(deps, message.url, deps.classify(message.url, message.detectors, scope, requester, whereOf(message.place)))),
    'classify-pixels': (message) =>
      withinEvent(
        withMarks(deps, message.key, deps.classify(message.dataUrl, message.detectors, scope, requester, whereOf(message.place))),
      ),
    'cancel-check': async (message) => {
      deps.release(requester, message.url);
      return undefined;
    },
    'frame-stats': async (message) => {
      await deps.reportStats(tabId, frameId, message.stats);
      // Private windows leave no trace, not even a count (nor does a tab that does not say it is not one).
      if (message.tally && !incognito) deps.recordTally(message.tally);
      return undefined;
    },
    'mark-image': (message) => deps.mark(message.url, message.pageUrl, message.action, tabId, incognito),
    'user-cover': (message) => deps.userCover(frame, message.on, message.style ?? 'blur'),
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
    'clear-stats': async () => {
      await deps.clearStats();
      return true;
    },
  };
}

/** Under the 5 minutes Chrome gives one service-worker event (a message waiting for its answer). */
export const ANSWER_WITHIN_MS = 4 * 60_000;

/** The answer, or ASK_AGAIN if it is not there within ANSWER_WITHIN_MS (the check goes on). */
function withinEvent(answer: Promise<ClassifyResult>): Promise<ClassifyResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = new Promise<ClassifyResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: ASK_AGAIN }), ANSWER_WITHIN_MS);
  });
  return Promise.race([answer, later]).finally(() => clearTimeout(timer));
}

/**
 * Scores plus the user's marks on the image, looked up while the scores are computed; a failure says
 * only couldNotCheck().
 */
async function withMarks(deps: RouterDeps, url: string, result: Promise<ClassifyResult>): Promise<ClassifyResult> {
  const [answer, marks] = await Promise.all([result, deps.marksFor(url)]);
  if (!answer.ok && answer.error !== CANCELLED) console.info(`[Megane] couldn't check ${url.slice(0, 200)}: ${answer.error}`);
  const told: ClassifyResult = answer.ok ? answer : { ok: false, error: couldNotCheck() };
  return marks ? { ...told, marks } : told;
}

/**
 * The top-level page's origin, from the browser's sender (never the message): the score cache's
 * partition. An origin rather than a registrable domain (no public suffix list here), so two
 * subdomains of one site do not share answers either.
 */
/** Firefox's cookie store of the sender's tab when it is not the default one (a container, a private window's). */
function otherCookieStore(sender: MessageSender): string | undefined {
  const store = (sender.tab as { cookieStoreId?: unknown } | undefined)?.cookieStoreId;
  return typeof store === 'string' && store !== 'firefox-default' ? store : undefined;
}

export function topLevelSite(sender: MessageSender): string {
  for (const url of [sender.tab?.url, sender.origin, sender.url]) {
    if (!url) continue;
    try {
      const { origin } = new URL(url);
      if (origin !== 'null') return origin;
    } catch {
      // not a URL: try the next
    }
  }
  return 'unknown';
}

export type { ModelConfig };
