// One key of storage.local, read once and kept current while the page is open (the background or
// another page may write it at any time). Null until the first read; `error` says why a read failed.
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { errorText } from '../util/checks';
import { watchLocalKey } from '../util/watch-local-key';

export function useStoredKey<T>(key: string, parse: (stored: unknown) => T): { value: T | null; error: string | null } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let watched = false;
    watchLocalKey(
      key,
      (stored) => {
        watched = true;
        setError(null);
        setValue(parse(stored));
      },
      controller.signal,
    );
    browser.storage.local.get(key).then(
      // A change seen by the watcher is newer than this read.
      (stored) => !watched && !controller.signal.aborted && setValue(parse(stored[key])),
      (e: unknown) => !controller.signal.aborted && setError(errorText(e)),
    );
    return () => controller.abort();
  }, [key]);
  return { value, error };
}
