import { isPlace, type Place } from './content-background';
import { isBackendChoice, type Backend, type BackendChoice } from '../model/backends';
import { isModelId, type ModelId } from '../model/catalog';
import { isDetector, type AnyTagId, type Detector, type FaceBox } from '../tags/vocabulary';
import { isCount, isRecord } from '../util/checks';
import { type Channel, runtimeSender } from './protocol';
import type { Words } from './words';

const CHANNEL = 'background->offscreen' satisfies Channel;

export type ModelState = 'idle' | 'loading' | 'ready' | 'failed';

/**
 * The model host's state, in words for people (`Text`): plain text where the popup reads it; in the
 * offscreen document, which cannot read messages, named messages (HostStatus) that the service worker
 * says (background/say.ts).
 */
export interface ModelStatus<Text = string> {
  model: ModelId;
  state: ModelState;
  /** The backend in use (or being set up), and why it was chosen. */
  backend: Backend | null;
  reason: Text;
  /** Copies of the NSFW model checking at once (model workers on WASM), once loaded; absent means one. */
  workers?: number;
  /** Tensors the model workers hold after their last batch (tfjs in this document counts its own). */
  workerTensors?: number;
  /**
   * The batch size measured at load on a GPU backend (batch-tuning.ts), with what each size cost per
   * image; absent where the size is fixed (WASM).
   */
  batch?: { size: number; curve: { size: number; msPerImage: number }[] };
  error?: Text;
  /** Each extra detector's state: 'idle' means not loaded (no enabled rule has needed it). */
  detectors: Record<Detector, { state: ModelState; error?: Text }>;
  /** The imported trained model's state, when one is active. */
  trained?: { id: string; state: ModelState; error?: Text };
  /** The last time the host reset itself (a lost GPU, unusable scores, a drifting watchdog): why, and what it did. */
  recovery?: Text;
}

/** The status as the offscreen document answers it: its words are named messages. */
export type HostStatus = ModelStatus<Words>;

export interface ModelConfig {
  model: ModelId;
  backend: BackendChoice;
  /** Extra detectors to run besides the NSFW model (and its embedding heads), sorted. */
  detectors: Detector[];
  /**
   * Version (training time) of the user's personal model for `model`, null when there is none. The
   * host reloads it when this changes; the background keys its score cache by it.
   */
  personal: number | null;
  /** The imported trained model (model3) to run too, by its id in IndexedDB; null for none. */
  trained: string | null;
  /** Model workers on WASM (the `modelWorkers` setting: 0 = automatic). Changes speed, never scores. */
  workers: number;
}

/** Tag scores from the imported trained model. */
export interface TrainedScores {
  id: string;
  /** Vocabulary tags and the user's own (user:<slug>) the model was trained on. */
  tags: Partial<Record<AnyTagId, number>>;
}

/** An image for the host: a URL it fetches itself (http, https or data:). */
export interface ImageJob extends JobWhere {
  url: string;
  /**
   * Fetch without the browser's cookies: a private window's image in Firefox, whose one background
   * has the regular profile's cookies (Chrome's incognito instance has incognito's own).
   */
  anonymous?: boolean;
  /** Names the job for a later 'cancel' (no one wants its answer any more); none for jobs never cancelled. */
  id?: string;
}

/**
 * Where a job's image is, to order it among the others (check-priority.ts): its place in its frame
 * when asked for, the tab that asked, and whether that tab was active then (until the offscreen
 * document hears otherwise: 'tabs-active'). Absent for the background's own jobs, which go first.
 */
/** Tab ids that became active (true) or stopped being (false). */
export type TabsActiveChanges = Record<string, boolean>;

export interface JobWhere {
  place?: Place;
  tab?: number;
  active?: boolean;
}

/** What a cancelled job answers (the background asked for it to stop; no one reads it). */
export const CANCELLED = 'cancelled';

/** What a job answers when the image's server refused the download (HTTP 401 or 403): the background may try again with the page's Referer. */
export const FETCH_REFUSED = 'fetch refused';

export type OffscreenResult =
  | {
      ok: true;
      model: ModelId;
      classes: number[];
      embedding: number[];
      tags: Partial<Record<AnyTagId, number>>;
      detectors: Detector[];
      faces?: FaceBox[];
      trained?: TrainedScores;
    }
  | { ok: false; error: string };

/**
 * What a 'classify' answers: the scores without the embedding, which only a mark keeps ('capture').
 * Runtime messages are JSON: 1,280 numbers per image through the browser process cost every check.
 */
export type ScoresResult = Exclude<OffscreenResult, { ok: true }> | Omit<Extract<OffscreenResult, { ok: true }>, 'embedding'>;

export function withoutEmbedding(result: OffscreenResult): ScoresResult {
  if (!result.ok) return result;
  const { embedding: _, ...scores } = result;
  return scores;
}

/** A thumbnail for the mark store, as base64 (runtime messages are JSON). */
export interface ThumbnailData {
  type: string;
  base64: string;
  width: number;
  height: number;
}

/** Everything a new mark keeps about its image: scores with the embedding, a thumbnail, the size. */
export interface CaptureResult {
  result: OffscreenResult;
  thumbnail: ThumbnailData | null;
  imageSize: { width: number; height: number } | null;
  /** Why there is no thumbnail, when there is none. */
  thumbnailError?: string;
}

export interface PersonalTagSummary {
  positives: number;
  negatives: number;
  heldOutAccuracy: number | null;
  trusted: boolean;
  trained: boolean;
  reason?: string;
}

/** A training's outcome; its error is words (`Text`) as the offscreen document answers it. */
export type TrainResult<Text = string> =
  | { ok: true; version: number | null; examples: number; stats: Record<string, PersonalTagSummary> }
  | { ok: false; error: Text };

export type BackgroundToOffscreen = { channel: typeof CHANNEL } & (
  | { type: 'classify'; config: ModelConfig; job: ImageJob }
  | { type: 'status' }
  | { type: 'capture'; config: ModelConfig; job: ImageJob }
  /** Trains the personal model for `model` from the marks in IndexedDB and stores it there. */
  | { type: 'train-personal'; model: ModelId }
  /**
   * No one wants job `id`'s answer any more (its tab closed, its image left the page): a job still
   * waiting for a fetch or decode slot leaves the queue, a download in progress is aborted, and the
   * job answers CANCELLED. Answers whether a job of that id was running.
   */
  | { type: 'cancel'; id: string }
  /** Tabs that became active or stopped being since the last word: reorders waiting jobs. */
  | { type: 'tabs-active'; changes: TabsActiveChanges }
);

export interface BackgroundToOffscreenReplies {
  classify: ScoresResult;
  status: HostStatus;
  capture: CaptureResult;
  'train-personal': TrainResult<Words>;
  cancel: boolean;
  'tabs-active': true;
}

/** Sends a request to the offscreen document; resolves to its answer, or undefined when no one answered. */
export const sendBackgroundToOffscreen = runtimeSender<BackgroundToOffscreen, BackgroundToOffscreenReplies>();

export function isBackgroundToOffscreen(msg: unknown): msg is BackgroundToOffscreen {
  if (!isRecord(msg) || msg.channel !== CHANNEL) return false;
  if (msg.type === 'status') return true;
  if (msg.type === 'train-personal') return isModelId(msg.model);
  if (msg.type === 'cancel') return isJobId(msg.id);
  if (msg.type === 'tabs-active')
    return isRecord(msg.changes) && Object.entries(msg.changes).every(([tab, on]) => /^\d{1,12}$/.test(tab) && typeof on === 'boolean');
  return (
    (msg.type === 'classify' || msg.type === 'capture') &&
    isRecord(msg.config) &&
    (msg.config.personal === null || (typeof msg.config.personal === 'number' && Number.isFinite(msg.config.personal))) &&
    (msg.config.trained === null || (typeof msg.config.trained === 'string' && msg.config.trained.length < 512)) &&
    isModelId(msg.config.model) &&
    isBackendChoice(msg.config.backend) &&
    isCount(msg.config.workers) &&
    Array.isArray(msg.config.detectors) &&
    msg.config.detectors.every(isDetector) &&
    isRecord(msg.job) &&
    typeof msg.job.url === 'string' &&
    (msg.job.id === undefined || isJobId(msg.job.id)) &&
    isPlace(msg.job.place) &&
    (msg.job.tab === undefined || (Number.isInteger(msg.job.tab) && (msg.job.tab as number) >= 0)) &&
    (msg.job.active === undefined || typeof msg.job.active === 'boolean') &&
    (msg.job.anonymous === undefined || typeof msg.job.anonymous === 'boolean')
  );
}

function isJobId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}
