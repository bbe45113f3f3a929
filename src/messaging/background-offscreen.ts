// Channel: background service worker <-> offscreen document (runtime.sendMessage, answered).
// Every message carries `target: 'offscreen'` so other extension pages ignore it.
import { isBackendChoice, type Backend, type BackendChoice } from '../model/backends';
import { isModelId, type ModelId } from '../model/catalog';
import { isDetector, type Detector, type FaceBox, type TagId } from '../tags/vocabulary';
import { isRecord } from './content-background';

export type ModelState = 'idle' | 'loading' | 'ready' | 'failed';

export interface ModelStatus {
  model: ModelId;
  state: ModelState;
  /** The backend in use (or being set up), and why it was chosen. */
  backend: Backend | null;
  reason: string;
  error?: string;
  /** Each extra detector's state: 'idle' means not loaded (no enabled rule has needed it). */
  detectors: Record<Detector, { state: ModelState; error?: string }>;
}

export interface ModelConfig {
  model: ModelId;
  backend: BackendChoice;
  /** Extra detectors to run besides the NSFW model (and its embedding heads), sorted. */
  detectors: Detector[];
}

/** An image for the host: a URL it fetches itself (http, https or data:). */
export interface ImageJob {
  url: string;
}

export type OffscreenResult =
  | {
      ok: true;
      model: ModelId;
      classes: number[];
      embedding: number[];
      tags: Partial<Record<TagId, number>>;
      detectors: Detector[];
      faces?: FaceBox[];
    }
  | { ok: false; error: string };

export type BackgroundToOffscreen =
  | { target: 'offscreen'; type: 'classify'; config: ModelConfig; job: ImageJob }
  | { target: 'offscreen'; type: 'status' };

export interface OffscreenResponses {
  classify: OffscreenResult;
  status: ModelStatus;
}

export function isBackgroundToOffscreen(msg: unknown): msg is BackgroundToOffscreen {
  if (!isRecord(msg) || msg.target !== 'offscreen') return false;
  if (msg.type === 'status') return true;
  return (
    msg.type === 'classify' &&
    isRecord(msg.config) &&
    isModelId(msg.config.model) &&
    isBackendChoice(msg.config.backend) &&
    Array.isArray(msg.config.detectors) &&
    msg.config.detectors.every(isDetector) &&
    isRecord(msg.job) &&
    typeof msg.job.url === 'string'
  );
}
