// The tab the popup is about. Normally the active tab of the popup's window; `popup.html?tabId=N`
// names one explicitly, because end-to-end tests (and anyone opening the popup as a page) have the
// popup itself as the active tab.
import { useEffect, useState } from 'preact/hooks';
import { browser, type Browser } from 'wxt/browser';

export interface PopupTab {
  /** null when there is no tab (e.g. the popup opened in a devtools window). */
  id: number | null;
  /** "" when the browser does not tell us (no tabs permission, or no tab). */
  url: string;
}

/** The tab id given as `?tabId=N`, if any. */
export function tabIdFromSearch(search: string): number | null {
  const raw = new URLSearchParams(search).get('tabId');
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

/** null while the tab is being looked up. Follows the tab if it navigates while the popup is open. */
export function useActiveTab(): PopupTab | null {
  const [tab, setTab] = useState<PopupTab | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const explicitId = tabIdFromSearch(location.search);
    const lookUp: Promise<Browser.tabs.Tab | undefined> =
      explicitId !== null
        ? browser.tabs.get(explicitId)
        : browser.tabs.query({ active: true, currentWindow: true }).then((tabs) => tabs[0]);

    void lookUp
      .catch(() => undefined)
      .then((found) => {
        if (signal.aborted) return;
        const id = found?.id ?? null;
        setTab({ id, url: urlOf(found) });
        if (id === null) return;
        const onUpdated = (tabId: number, _change: unknown, updated: Browser.tabs.Tab) => {
          if (tabId === id) setTab({ id, url: urlOf(updated) });
        };
        browser.tabs.onUpdated.addListener(onUpdated);
        signal.addEventListener('abort', () => browser.tabs.onUpdated.removeListener(onUpdated), { once: true });
      });
    return () => controller.abort();
  }, []);

  return tab;
}

function urlOf(tab: Browser.tabs.Tab | undefined): string {
  // pendingUrl: a tab still loading its first page has no url yet.
  return tab?.url || tab?.pendingUrl || '';
}
