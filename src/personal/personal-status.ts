// What the last personal-model training found, per NSFW model, in chrome.storage.local: the version
// the host scores with (null: nothing trained), and per tag its examples and held-out accuracy, for
// the popup and the options page. Written by the background after each training; read anywhere.
import { browser } from 'wxt/browser';
import type { PersonalTagSummary, TrainResult } from '../messaging/background-offscreen';
import { isModelId, type ModelId } from '../model/catalog';
import { watchLocalKey } from '../util/watch-local-key';

export const PERSONAL_STATUS_KEY = 'personalStatus';

export interface PersonalStatus {
  version: number | null;
  examples: number;
  stats: Record<string, PersonalTagSummary>;
  /** When the training finished (ms since the epoch). */
  finishedAt: number;
  /** The last training's error, when it failed (the previous version stays in use). */
  error?: string;
}

export type PersonalStatuses = Partial<Record<ModelId, PersonalStatus>>;

/** Reads what is stored, keeping only well-formed entries (a damaged entry reads as "never trained"). */
export function parseStatuses(raw: unknown): PersonalStatuses {
  const out: PersonalStatuses = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [model, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!isModelId(model) || typeof value !== 'object' || value === null) continue;
    const v = value as Partial<PersonalStatus>;
    const versionOk = v.version === null || (typeof v.version === 'number' && Number.isFinite(v.version));
    if (!versionOk || typeof v.examples !== 'number' || typeof v.stats !== 'object' || v.stats === null || typeof v.finishedAt !== 'number')
      continue;
    out[model] = v as PersonalStatus;
  }
  return out;
}

/** The stored statuses after a training answer: success replaces, failure keeps the old version with the error. */
export function withTrainResult(statuses: PersonalStatuses, model: ModelId, result: TrainResult, now: number): PersonalStatuses {
  const previous = statuses[model];
  if (!result.ok) {
    return {
      ...statuses,
      [model]: {
        version: previous?.version ?? null,
        examples: previous?.examples ?? 0,
        stats: previous?.stats ?? {},
        finishedAt: now,
        error: result.error,
      },
    };
  }
  return { ...statuses, [model]: { version: result.version, examples: result.examples, stats: result.stats, finishedAt: now } };
}

export async function loadPersonalStatuses(): Promise<PersonalStatuses> {
  const stored = await browser.storage.local.get(PERSONAL_STATUS_KEY);
  return parseStatuses(stored[PERSONAL_STATUS_KEY]);
}

export async function recordTrainResult(model: ModelId, result: TrainResult, now = Date.now()): Promise<PersonalStatuses> {
  const next = withTrainResult(await loadPersonalStatuses(), model, result, now);
  await browser.storage.local.set({ [PERSONAL_STATUS_KEY]: next });
  return next;
}

export async function clearPersonalStatuses(): Promise<void> {
  await browser.storage.local.remove(PERSONAL_STATUS_KEY);
}

export function watchPersonalStatuses(onChange: (statuses: PersonalStatuses) => void, signal: AbortSignal): void {
  watchLocalKey(PERSONAL_STATUS_KEY, (stored) => onChange(parseStatuses(stored)), signal);
}
