// Follows one key of browser.storage.local, whoever writes it (any extension page or the background).
import { browser, type Browser } from 'wxt/browser';

/** Calls `onChange` with the key's new value (undefined once removed) on every change, until `signal` aborts. */
export function watchLocalKey(key: string, onChange: (value: unknown) => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const listener = (changes: Record<string, Browser.storage.StorageChange>, area: string) => {
    const change = changes[key];
    if (area === 'local' && change !== undefined) onChange(change.newValue);
  };
  browser.storage.onChanged.addListener(listener);
  signal.addEventListener('abort', () => browser.storage.onChanged.removeListener(listener), { once: true });
}
