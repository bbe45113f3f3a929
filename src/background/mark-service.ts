// Marks made on images (hover controls, context menu). The mark is stored first, in one IndexedDB
// transaction, so a page reloaded right after a correction already sees it. Then, for an image marked
// for the first time, what the dataset keeps of it (scores, embedding, face boxes, a thumbnail) is
// captured in the offscreen document and added to the record. An image that cannot be fetched or
// scored keeps its mark with those parts empty: the mark is what the user said, and is never lost.
import { i18n } from '#i18n';
import { blankRecord, emptyMarks } from '../marks/apply-mark';
import type { MarkStore } from '../marks/mark-store';
import type { MarkAction, MarkRecord, Marks } from '../marks/mark-types';
import type { CaptureResult } from '../messaging/background-offscreen';
import type { MarkReply } from '../messaging/content-background';
import { MODEL_VERSION } from '../model/catalog';
import { nsfwScore } from '../model/scores';
import { base64ToBytes } from '../util/base64';
import { errorText } from '../util/checks';

export interface MarkServiceDeps {
  store: () => Promise<MarkStore>;
  /** Scores the image (with the face detector, for annotation regions) and makes its thumbnail. */
  capture: (url: string) => Promise<CaptureResult>;
  /** Called after every stored change (the personal model retrains, debounced). */
  changed: () => void;
  now?: () => number;
  /** Marks a tab's pages may make per minute (default MARKS_PER_MINUTE). */
  perMinute?: number;
}

/**
 * Marks one tab may make per minute from its pages' hover buttons: far more than a person clicks,
 * and a page that found a way to press them (or a stuck key) cannot fill the dataset.
 */
export const MARKS_PER_MINUTE = 60;
/** What a page's mark buttons say (under the buttons, in the user's language) past MARKS_PER_MINUTE. */
export const tooManyMarks = (): string => i18n.t('background.tooManyMarks');

export function createMarkService({ store, capture, changed, now = Date.now, perMinute = MARKS_PER_MINUTE }: MarkServiceDeps) {
  const capturing = new Map<string, Promise<void>>();
  /** The times of each tab's marks in the last minute. */
  const recent = new Map<number, number[]>();

  /** Whether the tab may mark now; counts the mark if so. */
  const allow = (tabId: number): boolean => {
    const at = now();
    const times = (recent.get(tabId) ?? []).filter((t) => at - t < 60_000);
    const ok = times.length < perMinute;
    if (ok) times.push(at);
    if (times.length > 0) recent.set(tabId, times);
    else recent.delete(tabId);
    return ok;
  };

  /** Adds the captured scores, embedding, faces and thumbnail to a stored record (if it is still there). */
  const enrich = (url: string) => {
    if (capturing.has(url)) return;
    const work = (async () => {
      const captured = await captureRecord(url, capture);
      // In one transaction with the marks as they are now: a mark made meanwhile is kept.
      if (await (await store()).addCapture(url, captured)) changed(); // the embedding is what the personal model learns from
    })()
      .catch((error: unknown) => console.warn(`[Megane] couldn't keep the scores of ${url.slice(0, 200)}:`, error))
      .finally(() => capturing.delete(url));
    capturing.set(url, work);
  };

  return {
    /**
     * Stores a mark. `tabId`: it came from that tab's page (the hover buttons), which may make
     * MARKS_PER_MINUTE a minute; the context menu is the browser's own and is not counted.
     */
    async mark(url: string, pageUrl: string, action: MarkAction, tabId?: number): Promise<MarkReply> {
      if (tabId !== undefined && !allow(tabId)) return { ok: false, error: tooManyMarks() };
      try {
        const marks = await store();
        const stored = await marks.update(url, action, () => blankRecord(url, pageUrl, now()));
        changed();
        if (stored && stored.model === null && stored.thumbnail === null) enrich(url);
        return { ok: true, marks: stored?.marks ?? emptyMarks() };
      } catch (error) {
        return { ok: false, error: i18n.t('background.markNotSaved', [errorText(error)]) };
      }
    },
    /** Resolves when every capture started so far has finished (tests). */
    async idle(): Promise<void> {
      while (capturing.size > 0) await Promise.all(capturing.values());
    },
    /** The user's marks on an image URL, if any. Never throws: an unreadable store reads as no marks. */
    async marksFor(url: string): Promise<Marks | undefined> {
      try {
        return (await (await store()).get(url))?.marks;
      } catch {
        return undefined;
      }
    },
  };
}

export type MarkService = ReturnType<typeof createMarkService>;

type Captured = Pick<MarkRecord, 'model' | 'scores' | 'embedding' | 'faces' | 'thumbnail' | 'imageSize'>;

async function captureRecord(url: string, capture: MarkServiceDeps['capture']): Promise<Captured> {
  const { result, thumbnail, imageSize, thumbnailError } = await capture(url);
  if (!result.ok) console.info(`[Megane] marked ${url.slice(0, 200)} without scores: ${result.error}`);
  if (thumbnailError) console.info(`[Megane] marked ${url.slice(0, 200)} without a thumbnail: ${thumbnailError}`);
  return {
    model: result.ok ? { id: result.model, version: MODEL_VERSION } : null,
    scores: result.ok ? { classes: result.classes, tags: result.tags, nsfw: nsfwScore(result.classes) } : null,
    embedding: result.ok ? Float32Array.from(result.embedding) : null,
    faces: result.ok ? (result.faces ?? []) : [],
    thumbnail: thumbnail
      ? { type: thumbnail.type, bytes: base64ToBytes(thumbnail.base64), width: thumbnail.width, height: thumbnail.height }
      : null,
    imageSize,
  };
}
