// When the personal model retrains: a while after the last mark changed (so ten quick marks train
// once), one training at a time, and again if marks changed while it ran. A "dirty" flag in storage
// survives the service worker being stopped between the mark and the training; the worker's start
// looks at it.
export interface TrainingSchedulerDeps {
  /** Runs one training (in the offscreen document) and records its outcome. */
  train: () => Promise<void>;
  dirty: { get: () => Promise<boolean>; set: (dirty: boolean) => Promise<void> };
  delayMs: number;
}

export function createTrainingScheduler({ train, dirty, delayMs }: TrainingSchedulerDeps) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;

  const run = async () => {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      await dirty.set(false);
      try {
        await train();
      } catch (error) {
        console.warn('[Megane] personal model training failed:', error);
      }
    })();
    await running;
    running = null;
    if (again) {
      again = false;
      schedule();
    }
  };

  function schedule(): void {
    void dirty.set(true);
    clearTimeout(timer);
    timer = setTimeout(() => void run(), delayMs);
  }

  return {
    /** Marks changed: train after `delayMs` of quiet. */
    schedule,
    /** At service worker start: train if marks changed and no training has covered them. */
    async resume(): Promise<void> {
      if (await dirty.get()) schedule();
    },
    /** Resolves when no training is waiting or running (tests, and the options page's "train now"). */
    async settled(): Promise<void> {
      while (timer !== undefined || running) await (running ?? new Promise((r) => setTimeout(r, 10)));
    },
  };
}

export type TrainingScheduler = ReturnType<typeof createTrainingScheduler>;
