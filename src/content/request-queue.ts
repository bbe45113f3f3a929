// The frame's checks wait here before they are sent, so the images the user sees go first: a few
// requests in flight at a time, the nearest to the viewport next, and only a few for images far away.
// An element that goes away (its picture changed, it left the page) takes its waiting request with
// it, so nothing is sent for a picture no one shows any more, and one already sent is cancelled; a
// request sent for an image near the user that scrolled far away before its answer came is cancelled
// and waits again, so what the user looks at now is answered first; and a closed tab sends nothing
// more, since the queue lives in its page. No DOM here: keys are whatever the caller tracks (elements in the
// page, plain objects in tests), and where each one is comes from `tierOf`.

/** Where a key is: 0 in the viewport, 1 near it, 2 far away; undefined while not known yet. */
export type Tier = 0 | 1 | 2;

/** What `add` answers when every key that asked went away before the request was sent. */
export const DROPPED = Symbol('dropped');

export interface RequestQueueOptions<K> {
  /** Requests in flight at once. */
  limit: number;
  /** Of those, at most this many for keys far away (tier 2). */
  farLimit: number;
  /**
   * While this says true, nothing far away starts (the page is still loading: its own work goes
   * first); call `moved()` when it changes.
   */
  farPaused?: () => boolean;
  /**
   * A request for a near key in flight this long gives up its slot (a hung server must not hold back
   * the rest); one for far keys keeps it, so at most `farLimit` of them are ever in flight.
   */
  slotMs: number;
  /** A key whose tier is still unknown this long after it asked counts as near (a page in a tab not shown). */
  graceMs: number;
  tierOf(key: K): Tier | undefined;
  /** `key` has nothing waiting or in flight any more: its place no longer matters. */
  settled?(key: K): void;
  now?: () => number;
}

export interface RequestQueue<K> {
  /**
   * Runs `start` once a slot is free, keys nearest the user first; requests with the same `id` are
   * sent once (a request already in flight is joined). Answers `start`'s result, or DROPPED if `key`
   * was dropped before the answer came. `start` may run again if the request is parked (below).
   * `cancel` runs when the request was sent and no key wants it any more (they went away, or scrolled
   * far while it was in flight): whoever answers it may stop; its answer, if it still comes, is unused.
   */
  add<T>(id: string, key: K, start: () => Promise<T>, cancel?: () => void): Promise<T | typeof DROPPED>;
  /**
   * `key` no longer wants anything: its waiting requests are dropped, and one in flight that no other
   * key wants is cancelled.
   */
  drop(key: K): void;
  /**
   * Tiers changed (the page scrolled, elements moved): look again at what goes next. A request sent
   * for keys near the user whose keys are now all far away is parked: cancelled, and waiting again
   * with the far ones, behind whatever is near the user now.
   */
  moved(): void;
  /** Drops everything waiting and in flight. */
  clear(): void;
  readonly waiting: number;
  readonly running: number;
}

interface Waiter<K> {
  key: K;
  resolve(value: unknown): void;
}

interface Job<K> {
  start(): Promise<unknown>;
  cancel: (() => void) | undefined;
  waiters: Waiter<K>[];
  addedAt: number;
}

interface Running<K> {
  job: Job<K>;
  /** Sent while all its keys were far: it was the far share's, and is not parked. */
  far: boolean;
  /** Gives up its slot (at most once). */
  release(): void;
}

export function createRequestQueue<K>({
  limit,
  farLimit,
  farPaused = () => false,
  slotMs,
  graceMs,
  tierOf,
  settled,
  now = Date.now,
}: RequestQueueOptions<K>): RequestQueue<K> {
  const waiting = new Map<string, Job<K>>();
  const running = new Map<string, Running<K>>();
  /** The jobs (waiting or in flight) each key asked for, so dropping a key does not look through every job. */
  const idsOf = new Map<K, Set<string>>();
  /** Slots taken: requests in flight that have not yet given theirs up, and how many of them are far. */
  let busy = 0;
  let busyFar = 0;
  let pumpQueued = false;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;

  /** The job's tier: its nearest key's; undefined while no key's tier is known and the grace lasts. */
  const tierOfJob = (job: Job<K>, at: number): Tier | undefined => {
    let best: Tier | undefined;
    for (const { key } of job.waiters) {
      const tier = tierOf(key);
      if (tier !== undefined && (best === undefined || tier < best)) best = tier;
      if (best === 0) return 0;
    }
    if (best === undefined && at - job.addedAt >= graceMs) return 1;
    return best;
  };

  const schedule = () => {
    if (pumpQueued) return;
    pumpQueued = true;
    queueMicrotask(() => {
      pumpQueued = false;
      park();
      pump();
    });
  };

  function pump(): void {
    while (busy < limit && waiting.size > 0) {
      const at = now();
      let near: [string, Job<K>] | undefined;
      let far: [string, Job<K>] | undefined;
      let chosen: [string, Job<K>, Tier] | undefined;
      let unknown = false;
      for (const item of waiting) {
        const tier = tierOfJob(item[1], at);
        if (tier === 0) {
          chosen = [...item, 0];
          break;
        }
        if (tier === 1) near ??= item;
        else if (tier === 2) far ??= item;
        else unknown = true;
      }
      if (!chosen && near) chosen = [...near, 1];
      if (!chosen && far && busyFar < farLimit && !farPaused()) chosen = [...far, 2];
      if (!chosen) {
        if (unknown && graceTimer === undefined) {
          graceTimer = setTimeout(() => {
            graceTimer = undefined;
            pump();
          }, graceMs);
        }
        return;
      }
      const [id, job, tier] = chosen;
      waiting.delete(id);
      start(id, job, tier === 2);
    }
  }

  /** Requests sent for near keys whose keys are all far now go back to waiting. */
  function park(): void {
    for (const [id, run] of running) {
      if (run.far || !run.job.waiters.every(({ key }) => tierOf(key) === 2)) continue;
      stop(id, run);
      waiting.set(id, run.job);
    }
  }

  /** Takes a request out of flight: its slot is free, its answer unused, its sender told. */
  function stop(id: string, run: Running<K>): void {
    running.delete(id);
    run.release();
    run.job.cancel?.();
  }

  function unindex(key: K, id: string): void {
    const ids = idsOf.get(key);
    ids?.delete(id);
    if (ids?.size === 0) {
      idsOf.delete(key);
      settled?.(key);
    }
  }

  function start(id: string, job: Job<K>, isFar: boolean): void {
    busy++;
    if (isFar) busyFar++;
    let holding = true;
    const release = () => {
      if (!holding) return;
      holding = false;
      clearTimeout(timer);
      busy--;
      if (isFar) busyFar--;
      schedule();
    };
    // A far request keeps its slot until it is answered: given up after slotMs it would stay queued in
    // the model host all the same, and the far share would fill the host's queue ahead of what the
    // user scrolls to next.
    const timer = isFar ? undefined : setTimeout(release, slotMs);
    const run: Running<K> = { job, far: isFar, release };
    running.set(id, run);
    const answered = (value: unknown) => {
      // Parked or cancelled meanwhile: this answer is no one's.
      if (running.get(id) !== run) return;
      running.delete(id);
      release();
      for (const { key, resolve } of job.waiters) {
        resolve(value);
        unindex(key, id);
      }
    };
    Promise.resolve()
      .then(job.start)
      .then(answered, (error: unknown) => answered(Promise.reject(error)));
  }

  /** Removes `key`'s waiters from `job`, answering them DROPPED; says whether any waiter is left. */
  function without(job: Job<K>, key: K): boolean {
    for (const w of job.waiters) if (w.key === key) w.resolve(DROPPED);
    job.waiters = job.waiters.filter((w) => w.key !== key);
    return job.waiters.length > 0;
  }

  return {
    add<T>(id: string, key: K, startJob: () => Promise<T>, cancelJob?: () => void): Promise<T | typeof DROPPED> {
      return new Promise<T | typeof DROPPED>((resolve) => {
        const waiter: Waiter<K> = { key, resolve: resolve as (value: unknown) => void };
        const job = running.get(id)?.job ?? waiting.get(id);
        if (job) job.waiters.push(waiter);
        else waiting.set(id, { start: startJob, cancel: cancelJob, waiters: [waiter], addedAt: now() });
        const ids = idsOf.get(key);
        if (ids) ids.add(id);
        else idsOf.set(key, new Set([id]));
        schedule();
      });
    },
    drop(key) {
      for (const id of idsOf.get(key) ?? []) {
        const run = running.get(id);
        if (run) {
          if (!without(run.job, key)) stop(id, run);
          continue;
        }
        const job = waiting.get(id);
        if (job && !without(job, key)) waiting.delete(id);
      }
      if (idsOf.delete(key)) settled?.(key);
    },
    moved: schedule,
    clear() {
      for (const job of waiting.values()) for (const w of job.waiters) w.resolve(DROPPED);
      waiting.clear();
      for (const [id, run] of [...running]) {
        for (const w of run.job.waiters) w.resolve(DROPPED);
        stop(id, run);
      }
      for (const key of idsOf.keys()) settled?.(key);
      idsOf.clear();
    },
    get waiting() {
      return waiting.size;
    },
    get running() {
      return running.size;
    },
  };
}
