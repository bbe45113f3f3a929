// Runs queued work in short slices so the page never sees a long task: each slice stops after its
// time budget (or node cap) and yields to the event loop before the next one.

export interface SliceRunnerOptions {
  /** Milliseconds of work per slice. */
  budgetMs: number;
  /** Most items per slice, whatever the clock says. */
  maxItems: number;
  now?: () => number;
  /** Schedules the next slice; defaults to a macrotask so input and rendering can run in between. */
  defer?: (run: () => void) => void;
}

export interface SliceRunner<T> {
  push(item: T): void;
  readonly size: number;
}

export function createSliceRunner<T>(
  work: (item: T) => void,
  signal: AbortSignal,
  { budgetMs, maxItems, now = () => performance.now(), defer = defaultDefer }: SliceRunnerOptions,
): SliceRunner<T> {
  const queue = new Set<T>();
  let scheduled = false;

  const slice = () => {
    scheduled = false;
    if (signal.aborted) return queue.clear();
    const end = now() + budgetMs;
    let done = 0;
    for (const item of queue) {
      queue.delete(item);
      work(item);
      if (++done >= maxItems || now() >= end) break;
    }
    if (queue.size > 0) schedule();
  };
  const schedule = () => {
    if (scheduled || signal.aborted) return;
    scheduled = true;
    defer(slice);
  };

  return {
    push(item) {
      queue.add(item);
      schedule();
    },
    get size() {
      return queue.size;
    },
  };
}

// A MessageChannel message is a macrotask without setTimeout's clamping to 4 ms after nesting.
function defaultDefer(run: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    run();
  };
  channel.port2.postMessage(null);
}
