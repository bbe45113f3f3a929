// Turns "score this image" requests into model-host calls: one call per distinct image, model and
// top-level site at a time (deduped while in flight), cached raw scores afterwards. A cached answer serves a request
// only if it includes every detector the request needs; otherwise the image is scored again with
// the union of detectors, so switching a tag rule on costs one extra pass per image, once.
import type { ModelConfig, OffscreenResult } from '../messaging/background-offscreen';
import type { ClassifyResult } from '../messaging/content-background';
import type { Detector } from '../tags/vocabulary';
import type { ScoreCache } from './score-cache';

export interface ClassifyServiceDeps {
  cache: ScoreCache;
  /** The model and backend from the user's settings. */
  config: () => Promise<Omit<ModelConfig, 'detectors'>>;
  /** Scores one image URL (http, https or data:) in the model host, for a page of `site`. */
  score: (url: string, config: ModelConfig, site: string) => Promise<OffscreenResult>;
}

export function createClassifyService({ cache, config, score }: ClassifyServiceDeps) {
  const inFlight = new Map<string, { detectors: Detector[]; result: Promise<ClassifyResult> }>();

  /**
   * `site` is the top-level page's: answers (and requests in flight) are kept per site, so a page
   * cannot time its check of a URL to learn whether another site showed that image this session.
   */
  return async function classify(url: string, detectors: readonly Detector[], site: string): Promise<ClassifyResult> {
    const current = await config();
    // Personal and trained-model tags are part of the scores, so a new personal model or trained model
    // makes new keys.
    const variant = [
      current.model,
      current.personal === null ? '' : `p${current.personal}`,
      current.trained === null ? '' : `t${current.trained}`,
    ];
    const key = `${site}|${await cacheKey(variant.filter(Boolean).join('+'), url)}`;
    const cached = await cache.get(key);
    if (cached && covers(cached, detectors)) return cached;
    const running = inFlight.get(key);
    if (running && includesAll(running.detectors, detectors)) return running.result;

    const wanted = union(detectors, running?.detectors ?? [], cached?.ok ? cached.scores.detectors : []);
    const result = score(url, { ...current, detectors: wanted }, site)
      .then((answer): ClassifyResult => {
        if (!answer.ok) return answer;
        const { model, classes, tags, detectors: ran, faces, trained } = answer;
        return { ok: true, scores: { model, classes, tags, detectors: ran, ...(faces ? { faces } : {}), ...(trained ? { trained } : {}) } };
      })
      .catch((error: unknown): ClassifyResult => ({ ok: false, error: `model host unavailable: ${String(error)}` }))
      .then(async (outcome) => {
        await cache.set(key, outcome);
        return outcome;
      })
      .finally(() => {
        if (inFlight.get(key)?.result === result) inFlight.delete(key);
      });
    inFlight.set(key, { detectors: wanted, result });
    return result;
  };
}

/** A failure answers any request (until it expires); scores only those whose detectors all ran. */
function covers(result: ClassifyResult, detectors: readonly Detector[]): boolean {
  return !result.ok || includesAll(result.scores.detectors, detectors);
}

function includesAll(have: readonly Detector[], want: readonly Detector[]): boolean {
  return want.every((d) => have.includes(d));
}

function union(...lists: (readonly Detector[])[]): Detector[] {
  return [...new Set(lists.flat())].sort();
}

/** Long URLs (data: images) are keyed by their SHA-256 so the cache stays small. */
export async function cacheKey(model: string, url: string): Promise<string> {
  if (url.length <= 2048) return `${model}|${url}`;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(url));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${model}|sha256:${hex}`;
}
