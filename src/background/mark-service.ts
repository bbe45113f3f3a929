// Marks made on images (hover controls, context menu): the first mark of an image captures what the
// dataset keeps of it (scores, embedding, face boxes, a thumbnail) in the offscreen document, then the
// mark is applied in one IndexedDB transaction. An image that cannot be fetched or scored is still
// marked, with those parts empty: the mark is what the user said, and it is never lost.
import { emptyMarks } from '../marks/apply-mark';
import type { MarkStore } from '../marks/mark-store';
import type { MarkAction, MarkRecord, Marks } from '../marks/mark-types';
import type { CaptureResult } from '../messaging/background-offscreen';
import type { MarkReply } from '../messaging/content-background';
import { MODEL_VERSION } from '../model/catalog';
import { nsfwScore } from '../model/scores';
import { base64ToBytes } from '../util/base64';

export interface MarkServiceDeps {
  store: () => Promise<MarkStore>;
  /** Scores the image (with the face detector, for annotation regions) and makes its thumbnail. */
  capture: (url: string) => Promise<CaptureResult>;
  /** Called after every stored change (the personal model retrains, debounced). */
  changed: () => void;
  now?: () => number;
}

export function createMarkService({ store, capture, changed, now = Date.now }: MarkServiceDeps) {
  return {
    async mark(url: string, pageUrl: string, action: MarkAction): Promise<MarkReply> {
      try {
        const marks = await store();
        // Capturing needs the network and the model: do it before the transaction, and only once.
        const record = (await marks.get(url)) ? null : await newRecord(url, pageUrl, capture, now());
        const stored = await marks.update(url, action, () => record ?? blankRecord(url, pageUrl, now()));
        changed();
        return { ok: true, marks: stored?.marks ?? emptyMarks() };
      } catch (error) {
        return { ok: false, error: `couldn't save the mark: ${error instanceof Error ? error.message : String(error)}` };
      }
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

function blankRecord(url: string, pageUrl: string, time: number): MarkRecord {
  return {
    url,
    pageUrl,
    createdAt: time,
    updatedAt: time,
    marks: emptyMarks(),
    model: null,
    scores: null,
    embedding: null,
    faces: [],
    thumbnail: null,
    imageSize: null,
  };
}

async function newRecord(url: string, pageUrl: string, capture: MarkServiceDeps['capture'], time: number): Promise<MarkRecord> {
  const record = blankRecord(url, pageUrl, time);
  let captured: CaptureResult;
  try {
    captured = await capture(url);
  } catch (error) {
    console.info(`[Megane] marked ${url.slice(0, 200)} without scores: ${String(error)}`);
    return record;
  }
  const { result, thumbnail, imageSize } = captured;
  if (result.ok) {
    record.model = { id: result.model, version: MODEL_VERSION };
    record.scores = { classes: result.classes, tags: result.tags, nsfw: nsfwScore(result.classes) };
    record.embedding = Float32Array.from(result.embedding);
    record.faces = result.faces ?? [];
  }
  if (thumbnail) record.thumbnail = { type: thumbnail.type, bytes: base64ToBytes(thumbnail.base64), width: thumbnail.width, height: thumbnail.height };
  record.imageSize = imageSize;
  return record;
}
