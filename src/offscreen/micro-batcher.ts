// Collects requests that arrive together into one batch. A batch starts on the next macrotask after
// the first request; requests that arrive while a batch runs form the next one (up to maxBatch), so a
// busy model naturally gets bigger batches and an idle one answers a single image at once. A model
// that scores several batches at once (a pool of model workers) gets up to `lanes` of them in flight.

export interface Batcher<I, O> {
  add(item: I): Promise<O>;
  readonly queued: number;
}

export function createBatcher<I, O>(
  run: (items: I[]) => Promise<O[]>,
  {
    maxBatch,
    lanes = 1,
    defer = (f: () => void) => setTimeout(f, 0),
  }: { maxBatch: number; lanes?: number; defer?: (f: () => void) => void },
): Batcher<I, O> {
  const queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  let running = 0;
  let scheduled = false;

  const next = async () => {
    scheduled = false;
    if (running >= lanes || queue.length === 0) return;
    running++;
    const batch = queue.splice(0, maxBatch);
    schedule();
    try {
      const outputs = await run(batch.map((b) => b.item));
      if (outputs.length !== batch.length) throw new Error(`batch returned ${outputs.length} results for ${batch.length} inputs`);
      batch.forEach((b, i) => b.resolve(outputs[i] as O));
    } catch (error) {
      batch.forEach((b) => b.reject(error));
    } finally {
      running--;
      schedule();
    }
  };
  const schedule = () => {
    if (scheduled || running >= lanes || queue.length === 0) return;
    scheduled = true;
    defer(() => void next());
  };

  return {
    add(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    get queued() {
      return queue.length;
    },
  };
}
