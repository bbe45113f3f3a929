// Coalesces quick settings changes (a slider being dragged) into one storage write after a quiet
// period. Every write wakes every content script's storage watcher, so one write per pause is
// plenty; the popup shows each change at once from its own state.
import type { SettingsPatch } from '../settings/store';

export interface DebouncedSave {
  /** Queues `patch` (merged over anything already queued) and restarts the quiet period. */
  queue(patch: SettingsPatch): void;
  /** Writes whatever is queued now; resolves when that write (and any earlier one) has finished. */
  flush(): Promise<void>;
  /**
   * Changes not yet in storage: queued, or written but not finished. Settings arriving from storage
   * are shown with this laid over them, so an echo of an earlier write cannot make the slider under
   * the user's finger jump back.
   */
  unsaved(): SettingsPatch;
  /** Drops the queued patch and stops the timer (the write in flight, if any, still completes). */
  cancel(): void;
}

export function createDebouncedSave(
  write: (patch: SettingsPatch) => Promise<unknown>,
  delayMs: number,
  onError: (error: unknown) => void,
): DebouncedSave {
  let queued: SettingsPatch = {};
  let inFlight: SettingsPatch = {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: Promise<void> = Promise.resolve();

  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const flush = (): Promise<void> => {
    stopTimer();
    if (Object.keys(queued).length === 0) return last;
    const patch = queued;
    queued = {};
    inFlight = { ...inFlight, ...patch };
    last = last
      .then(() => write(patch))
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .finally(() => {
        // Only forget keys this write owned; a later queued write may have set them again.
        for (const key of Object.keys(patch) as (keyof SettingsPatch)[]) {
          if (inFlight[key] === patch[key]) delete inFlight[key];
        }
      });
    return last;
  };

  return {
    queue(patch) {
      queued = { ...queued, ...patch };
      stopTimer();
      timer = setTimeout(() => void flush(), delayMs);
    },
    flush,
    unsaved: () => ({ ...inFlight, ...queued }),
    cancel() {
      stopTimer();
      queued = {};
    },
  };
}
