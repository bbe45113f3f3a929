// Megane downloads a page's image a second time to check it, from the extension, whose requests carry
// no Referer. Image hosts with hotlink protection (pixiv's i.pximg.net, many forums and CDNs) answer
// those with 403, so every image there was "couldn't check". While Megane's own download of an image
// runs, a session rule of declarativeNetRequest gives it the Referer the page's own load sent: the
// page's origin (what the default referrer policy, strict-origin-when-cross-origin, sends to another
// site). The rule matches only requests Megane itself makes (initiator: the extension) for that URL,
// and is removed when the check ends.
import { browser } from 'wxt/browser';

/** The Referer Megane sends for a page of `site` (an origin such as https://www.pixiv.net). */
export const refererFor = (site: string): string => `${site.replace(/\/+$/, '')}/`;

/** Whether a request to `url` can carry a Referer at all (not data:, blob:, …) and a site can give one. */
export const needsReferer = (url: string, site: string): boolean => /^https?:\/\//i.test(url) && /^https?:\/\//i.test(site);

let nextId = 1;
/** Session rules survive a restart of the service worker: the first use clears what an earlier one left. */
let cleared: Promise<void> | null = null;

function clearOld(): Promise<void> {
  cleared ??= browser.declarativeNetRequest
    .getSessionRules()
    .then((rules) => browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: rules.map((r) => r.id) }))
    .catch((error) => console.warn('[Megane] could not clear old referer rules', error));
  return cleared;
}

/** Runs `work` (which downloads `url`) with the page's Referer on Megane's requests for that URL. */
export async function withReferer<T>(url: string, site: string, work: () => Promise<T>): Promise<T> {
  if (!needsReferer(url, site)) return work();
  await clearOld();
  const id = nextId++;
  const added = await browser.declarativeNetRequest
    .updateSessionRules({
      addRules: [
        {
          id,
          priority: 1,
          action: {
            type: 'modifyHeaders',
            requestHeaders: [{ header: 'referer', operation: 'set', value: refererFor(site) }],
          },
          condition: {
            urlFilter: `|${url.split('#')[0]}|`,
            initiatorDomains: [browser.runtime.id],
            resourceTypes: ['xmlhttprequest', 'media', 'image', 'other'],
          },
        },
      ],
    })
    .then(
      () => true,
      // Without the rule the download goes as before, without a Referer.
      (error) => {
        console.warn('[Megane] could not add a referer rule', error);
        return false;
      },
    );
  try {
    return await work();
  } finally {
    if (added) void browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: [id] }).catch(() => {});
  }
}
