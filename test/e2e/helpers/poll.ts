// Reads until a condition holds, for tests whose driver has no polling assertion of its own (the
// Firefox tests, on puppeteer-core) or that need the value that satisfied it.

/** Calls `read` every 250 ms until `done` holds for its value, which it answers; throws with `what` and the last value after `timeout` ms. */
export async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, timeout: number, what: string): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
