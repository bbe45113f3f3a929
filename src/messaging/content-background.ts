// Channel: content script -> background service worker (runtime.sendMessage, answered).
import type { ImageScores } from '../model/scores';
import { isDetector, type Detector } from '../tags/vocabulary';

/** Counts a frame reports for the popup. */
export interface FrameStats {
  checked: number;
  covered: number;
  failed: number;
  pending: number;
}

export type ContentToBackground =
  /**
   * Score the image at an http(s) or data: URL (the background fetches it itself), running the
   * extra detectors the frame's settings need.
   */
  | { type: 'classify-url'; url: string; detectors: Detector[] }
  /** Score pixels the content script rasterised itself (blob: URLs), as a PNG data: URL at model size. */
  | { type: 'classify-pixels'; key: string; dataUrl: string; detectors: Detector[] }
  /** This frame's counts, for the popup. */
  | { type: 'frame-stats'; stats: FrameStats };

export type ClassifyResult = { ok: true; scores: ImageScores } | { ok: false; error: string };

export interface ContentResponses {
  'classify-url': ClassifyResult;
  'classify-pixels': ClassifyResult;
  'frame-stats': void;
}

export function isContentToBackground(msg: unknown): msg is ContentToBackground {
  if (!isRecord(msg)) return false;
  switch (msg.type) {
    case 'classify-url':
      return isDetectorList(msg.detectors) && typeof msg.url === 'string' && /^(https?:|data:image\/)/i.test(msg.url) && msg.url.length < 8_000_000;
    case 'classify-pixels':
      return (
        isDetectorList(msg.detectors) &&
        typeof msg.key === 'string' &&
        msg.key.length < 4096 &&
        typeof msg.dataUrl === 'string' &&
        msg.dataUrl.startsWith('data:image/png;base64,') &&
        msg.dataUrl.length < 4_000_000
      );
    case 'frame-stats':
      return (
        isRecord(msg.stats) &&
        (['checked', 'covered', 'failed', 'pending'] as const).every(
          (k) => Number.isInteger((msg.stats as Record<string, unknown>)[k]) && ((msg.stats as Record<string, number>)[k] ?? -1) >= 0,
        )
      );
    default:
      return false;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDetectorList(value: unknown): value is Detector[] {
  return Array.isArray(value) && value.length <= 2 && value.every(isDetector);
}
