// Megane needs to read every site (host permissions: to run on its pages and to fetch their images).
// Firefox lets the user withdraw that after install; then no page is covered, so the popup says so at
// the top and asks for it again (the browser's own prompt; it needs the click, a user gesture).
import { i18n } from '#i18n';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';

const ALL_SITES = { origins: ['<all_urls>'] };

/** Whether Megane may read every site; null until known. Follows the user's changes while open. */
function useHostAccess(): boolean | null {
  const [granted, setGranted] = useState<boolean | null>(null);
  useEffect(() => {
    // Where the browser cannot say (an API missing), nothing is claimed either way.
    const check = () =>
      void Promise.resolve()
        .then(() => browser.permissions.contains(ALL_SITES))
        .then(
          (yes) => setGranted(yes),
          () => setGranted(null),
        );
    check();
    try {
      browser.permissions.onAdded.addListener(check);
      browser.permissions.onRemoved.addListener(check);
    } catch {
      return;
    }
    return () => {
      browser.permissions.onAdded.removeListener(check);
      browser.permissions.onRemoved.removeListener(check);
    };
  }, []);
  return granted;
}

export function HostAccessWarning() {
  const granted = useHostAccess();
  const [refused, setRefused] = useState(false);
  if (granted !== false) return null;
  return (
    <section class="card host-access" role="alert" data-testid="host-access">
      <p>{i18n.t('popup.hostAccess.missing')}</p>
      <button
        type="button"
        id="ask-host-access"
        onClick={() =>
          void browser.permissions.request(ALL_SITES).then(
            (yes) => setRefused(!yes),
            () => setRefused(true),
          )
        }
      >
        {i18n.t('popup.hostAccess.ask')}
      </button>
      {refused && <p class="hint">{i18n.t('popup.hostAccess.refused')}</p>}
    </section>
  );
}
