// Turns "score this image" requests into model-host calls: one call per distinct image and model at
// a time (deduped while in flight), cached raw scores afterwards.
import type { ModelConfig, OffscreenResult } from '../messaging/background-offscreen';
import type { ClassifyResult } from '../messaging/content-background';
import type { ScoreCache } from './score-cache';

export interface ClassifyServiceDeps {
  cache: ScoreCache;
  config: () => Promise<ModelConfig>;
  /** Scores one image URL (http, https or data:) in the model host. */
  score: (url: string, config: ModelConfig) => Promise<OffscreenResult>;
}

export function createClassifyService({ cache, config, score }: ClassifyServiceDeps) {
  const inFlight = new Map<string, Promise<ClassifyResult>>();

  return async function classify(url: string): Promise<ClassifyResult> {
    const current = await config();
    const key = await cacheKey(current.model, url);
    const cached = await cache.get(key);
    if (cached) return cached;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = score(url, current)
        .then((answer): ClassifyResult =>
          answer.ok ? { ok: true, scores: { model: answer.model, classes: answer.classes } } : answer,
        )
        .catch((error: unknown): ClassifyResult => ({ ok: false, error: `model host unavailable: ${String(error)}` }))
        .then(async (result) => {
          await cache.set(key, result);
          return result;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}

/** Long URLs (data: images) are keyed by their SHA-256 so the cache stays small. */
export async function cacheKey(model: string, url: string): Promise<string> {
  if (url.length <= 2048) return `${model}|${url}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(url));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${model}|sha256:${hex}`;
}
