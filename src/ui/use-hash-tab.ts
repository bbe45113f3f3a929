// Which tab of a page is open, from the address's #fragment, so a tab can be linked to (the popup
// opens options.html#stats) and the browser's Back goes to the previous tab.
import { useEffect, useState } from 'preact/hooks';

export function useHashTab<T extends string>(tabs: readonly T[], fallback: T): T {
  const read = (): T => tabs.find((t) => `#${t}` === globalThis.location?.hash) ?? fallback;
  const [tab, setTab] = useState<T>(read);
  useEffect(() => {
    const controller = new AbortController();
    globalThis.addEventListener?.('hashchange', () => setTab(read()), { signal: controller.signal });
    return () => controller.abort();
  }, []);
  return tab;
}
