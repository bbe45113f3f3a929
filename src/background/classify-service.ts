// Turns "score this image" requests into model-host calls: one call per distinct image, model and
// scope (top-level site, private window or not) at a time (deduped while in flight), cached raw
// scores afterwards. A call in flight remembers which frames wait for it and is cancelled in the host
// once none does (their tab closed, their image left the page). A cached answer serves a request
// only if it includes every detector the request needs; otherwise the image is scored again with
// the union of detectors, so switching a tag rule on costs one extra pass per image, once.
import { CANCELLED, type JobWhere, type ModelConfig, type ScoresResult } from '../messaging/background-offscreen';
import type { ClassifyResult } from '../messaging/content-background';
import type { Detector } from '../tags/vocabulary';
import { PRIVATE_SCOPE, type ScoreCache } from './score-cache';

export interface ClassifyServiceDeps {
  cache: ScoreCache;
  /** The model and backend from the user's settings. */
  config: () => Promise<Omit<ModelConfig, 'detectors'>>;
  /**
   * Scores one image URL (http, https or data:) in the model host, for a page of `scope.site`, from a
   * private window or not; `signal` aborts when no one wants the answer any more; `where` (the first
   * asker's) orders it among the host's other work.
   */
  score: (url: string, config: ModelConfig, scope: Scope, signal: AbortSignal, where: JobWhere) => Promise<ScoresResult>;
}

/**
 * Who asked for a check: a frame of a tab (`requesterOf`), so the work can be dropped once no frame
 * that asked still wants it. Requests without one (the background's own) are never cancelled.
 */
export type Requester = string;

/**
 * Where an answer is kept: per top-level site, and a private window's or a Firefox container's apart
 * from the others, so a page can learn from the timing neither what another site showed nor what was
 * shown in a private window or another container.
 */
export interface Scope {
  /** The top-level page's origin (the host also sends it as the Referer when a server insists). */
  site: string;
  /** Asked from a private window: cached apart, in memory only (score-cache.ts). */
  private: boolean;
  /** Firefox: the tab's cookie store when it is not the default one (a container, or a private window's). */
  cookieStore?: string;
}

const scopeKey = ({ site, private: inPrivate, cookieStore }: Scope): string =>
  `${inPrivate ? PRIVATE_SCOPE : ''}${cookieStore === undefined ? '' : `[${cookieStore}] `}${site}`;

/**
 * Whether the model host must fetch without cookies for `scope`: where one background serves tabs of
 * several cookie stores (Firefox), it has only the default one's cookies, and sending them for a
 * private window or a container would tell the image's server who is browsing there.
 */
export const fetchesAnonymously = (scope: Scope, oneBackgroundForAllStores: boolean): boolean =>
  oneBackgroundForAllStores && (scope.private || scope.cookieStore !== undefined);

export const requesterOf = (tabId: number, frameId: number): Requester => `${tabId}:${frameId}`;

/** Matches every requester of one tab (the tab closed). */
export const ofTab =
  (tabId: number) =>
  (requester: Requester): boolean =>
    requester.startsWith(`${tabId}:`);

interface Running {
  url: string;
  detectors: Detector[];
  result: Promise<ClassifyResult>;
  /** Frames still waiting for this answer; null once a request without a requester joined (never cancelled). */
  wanted: Set<Requester> | null;
  controller: AbortController;
}

export function createClassifyService({ cache, config, score }: ClassifyServiceDeps) {
  const inFlight = new Map<string, Running>();

  /** Drops `requester`'s interest in `running`; the job stops when no one is left. */
  const unwant = (key: string, running: Running, requester: Requester): void => {
    if (!running.wanted?.delete(requester) || running.wanted.size > 0) return;
    // Gone before the abort, so a request that comes right after starts afresh instead of joining it.
    if (inFlight.get(key) === running) inFlight.delete(key);
    running.controller.abort();
  };

  const want = (running: Running, requester: Requester | undefined): void => {
    if (requester === undefined) running.wanted = null;
    else running.wanted?.add(requester);
  };

  /**
   * Answers (and requests in flight) are kept per `scope`, so a page cannot time its check of a URL to
   * learn whether another site, or a private window, showed that image this session.
   */
  async function classify(
    url: string,
    detectors: readonly Detector[],
    scope: Scope,
    requester?: Requester,
    where: JobWhere = {},
  ): Promise<ClassifyResult> {
    const current = await config();
    // Personal and trained-model tags are part of the scores, so a new personal model or trained model
    // makes new keys.
    const variant = [
      current.model,
      current.personal === null ? '' : `p${current.personal}`,
      current.trained === null ? '' : `t${current.trained}`,
    ];
    const key = `${scopeKey(scope)}|${await cacheKey(variant.filter(Boolean).join('+'), url)}`;
    const cached = await cache.get(key);
    if (cached && covers(cached, detectors)) return cached;
    const running = inFlight.get(key);
    if (running && includesAll(running.detectors, detectors)) {
      want(running, requester);
      return running.result;
    }

    const wanted = union(detectors, running?.detectors ?? [], cached?.ok ? cached.scores.detectors : []);
    const controller = new AbortController();
    const result = score(url, { ...current, detectors: wanted }, scope, controller.signal, where)
      .then((answer): ClassifyResult => {
        if (!answer.ok) return answer;
        const { model, classes, tags, detectors: ran, faces, trained } = answer;
        return { ok: true, scores: { model, classes, tags, detectors: ran, ...(faces ? { faces } : {}), ...(trained ? { trained } : {}) } };
      })
      .catch((error: unknown): ClassifyResult => ({ ok: false, error: `model host unavailable: ${String(error)}` }))
      .then(async (outcome) => {
        // A cancelled check says nothing about the image: the next request checks it.
        if (controller.signal.aborted) return { ok: false, error: CANCELLED } satisfies ClassifyResult;
        await cache.set(key, outcome);
        return outcome;
      })
      .finally(() => {
        if (inFlight.get(key)?.result === result) inFlight.delete(key);
      });
    const entry: Running = { url, detectors: wanted, result, wanted: new Set(), controller };
    want(entry, requester);
    inFlight.set(key, entry);
    return result;
  }

  return {
    classify,
    /**
     * `requester` no longer wants `url` checked (its image left the page or scrolled far away), or
     * nothing at all when `url` is left out. A check no one wants any more is stopped in the host.
     */
    release(requester: Requester, url?: string): void {
      for (const [key, running] of [...inFlight]) if (url === undefined || running.url === url) unwant(key, running, requester);
    },
    /** Every requester that `matches` (a closed tab's frames) no longer wants anything. */
    releaseWhere(matches: (requester: Requester) => boolean): void {
      for (const [key, running] of [...inFlight])
        for (const requester of [...(running.wanted ?? [])]) if (matches(requester)) unwant(key, running, requester);
    },
    /** Checks in flight, for tests. */
    get running(): number {
      return inFlight.size;
    },
  };
}

export type ClassifyService = ReturnType<typeof createClassifyService>;

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
