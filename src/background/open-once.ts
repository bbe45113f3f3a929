// Opens a resource (the mark store's database) on first use and shares it; a failed open is not kept,
// so the next use tries again.
export function openOnce<T>(open: () => Promise<T>): () => Promise<T> {
  let opened: Promise<T> | null = null;
  return () =>
    (opened ??= open().catch((error: unknown) => {
      opened = null;
      return Promise.reject(error);
    }));
}
