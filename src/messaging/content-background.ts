import { COVER_STYLES, type CoverStyle } from '../settings/schema';
import type { MarkAction, Marks } from '../marks/mark-types';
import type { ImageScores } from '../model/scores';
import { isAnyTagId, isDetector, type Detector } from '../tags/vocabulary';
import { isTally, type Tally } from '../stats/daily-stats';
import { isRecord } from '../util/checks';
import { type Channel, runtimeSender } from './protocol';

const CHANNEL = 'content->background' satisfies Channel;

/** Counts a frame reports for the popup. */
export interface FrameStats {
  checked: number;
  covered: number;
  failed: number;
  pending: number;
}

/**
 * Where the image was in its frame when the check was asked for (request-queue.ts's Tier): 0 in the
 * viewport, 1 near it, 2 far away. Orders checks across tabs (check-priority.ts); never trusted for more.
 */
export type Place = 0 | 1 | 2;

export const isPlace = (value: unknown): boolean => value === undefined || value === 0 || value === 1 || value === 2;

/** What a content script asks of the background. */
export type ContentToBackground = { channel: typeof CHANNEL } & ContentRequest;

type ContentRequest =
  /**
   * Score the image at an http(s) or data: URL (the background fetches it itself), running the
   * extra detectors the frame's settings need.
   */
  | { type: 'classify-url'; url: string; detectors: Detector[]; place?: Place }
  /**
   * Score pixels the content script rasterised itself (blob: URLs, canvases, video streams, an <img>
   * the page may read), as a PNG data: URL, its long side at most 512 (under 1.5 MB as base64).
   */
  | { type: 'classify-pixels'; key: string; dataUrl: string; detectors: Detector[]; place?: Place }
  /**
   * This frame no longer wants `url` checked (the image left the page, changed picture, or scrolled
   * far away while waiting): the check stops unless another frame waits for it too.
   */
  | { type: 'cancel-check'; url: string }
  /**
   * This frame's counts, for the popup, and what was answered since its last report (each image once),
   * for the statistics page.
   */
  | { type: 'frame-stats'; stats: FrameStats; tally?: Tally }
  /**
   * Put the cover stylesheet into this frame's document as user-origin CSS (which no page CSS beats),
   * or take it out again (Megane switched off here). The background holds the CSS; the frame only asks.
   */
  | { type: 'user-cover'; on: boolean; style?: CoverStyle }
  /** The user marked an image (hover controls): store the mark, answer with the image's marks now. */
  | { type: 'mark-image'; url: string; pageUrl: string; action: MarkAction };

/**
 * Raw scores or why there are none. `marks` are the user's own marks on this image URL, when there are
 * any; their verdict ("should be hidden" / "should be shown") overrides whatever the scores say.
 */
export type ClassifyResult = ({ ok: true; scores: ImageScores } | { ok: false; error: string }) & { marks?: Marks };

/**
 * The error of an answer that says only "still checking: ask again". Chrome stops a service worker
 * whose one event (a message waiting for its answer) lasts over 5 minutes, and on a busy machine a
 * check can wait that long behind others: the background answers this before then, and the frame
 * asks again, joining the same check.
 */
export const ASK_AGAIN = 'still checking: ask again';

export type MarkReply = { ok: true; marks: Marks } | { ok: false; error: string };

export interface ContentToBackgroundReplies {
  'classify-url': ClassifyResult;
  'classify-pixels': ClassifyResult;
  'cancel-check': undefined;
  'frame-stats': undefined;
  /** Whether the stylesheet went in (or out). */
  'user-cover': boolean;
  'mark-image': MarkReply;
}

/** Sends a request to the background; resolves to its answer, or undefined when no one answered. */
export const sendContentToBackground = runtimeSender<ContentToBackground, ContentToBackgroundReplies>();

export function isContentToBackground(msg: unknown): msg is ContentToBackground {
  if (!isRecord(msg) || msg.channel !== CHANNEL) return false;
  switch (msg.type) {
    case 'classify-url':
      return (
        isDetectorList(msg.detectors) &&
        isPlace(msg.place) &&
        typeof msg.url === 'string' &&
        /^(https?:|data:image\/)/i.test(msg.url) &&
        msg.url.length < 8_000_000
      );
    case 'classify-pixels':
      return (
        isDetectorList(msg.detectors) &&
        isPlace(msg.place) &&
        typeof msg.key === 'string' &&
        msg.key.length < 4096 &&
        typeof msg.dataUrl === 'string' &&
        msg.dataUrl.startsWith('data:image/png;base64,') &&
        msg.dataUrl.length < 4_000_000
      );
    case 'cancel-check':
      return typeof msg.url === 'string' && msg.url.length < 8_000_000;
    case 'frame-stats':
      return (
        isRecord(msg.stats) &&
        (['checked', 'covered', 'failed', 'pending'] as const).every(
          (k) => Number.isInteger((msg.stats as Record<string, unknown>)[k]) && ((msg.stats as Record<string, number>)[k] ?? -1) >= 0,
        ) &&
        (msg.tally === undefined || isTally(msg.tally))
      );
    case 'user-cover':
      return typeof msg.on === 'boolean' && (msg.style === undefined || COVER_STYLES.includes(msg.style as CoverStyle));
    case 'mark-image':
      return (
        typeof msg.url === 'string' &&
        msg.url.length > 0 &&
        msg.url.length < 8_000_000 &&
        typeof msg.pageUrl === 'string' &&
        msg.pageUrl.length < 8192 &&
        isMarkAction(msg.action)
      );
    default:
      return false;
  }
}

export function isMarkAction(value: unknown): value is MarkAction {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'like':
    case 'dislike':
    case 'clear-rating':
      return true;
    case 'verdict':
      return value.verdict === null || value.verdict === 'hide' || value.verdict === 'show';
    case 'tag':
      return isAnyTagId(value.tag) && typeof value.on === 'boolean';
    default:
      return false;
  }
}

function isDetectorList(value: unknown): value is Detector[] {
  return Array.isArray(value) && value.length <= 2 && value.every(isDetector);
}
