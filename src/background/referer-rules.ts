// Megane downloads a page's image a second time to check it, from the extension, whose requests carry
// no Referer. Image hosts with hotlink protection (pixiv's i.pximg.net, many forums and CDNs) answer
// those with 401 or 403 ("fetch refused"), so every image there was "couldn't check". Such a download
// is made again with the Referer the page's own load sent, the page's origin (what the default
// referrer policy, strict-origin-when-cross-origin, sends to another site), by a session rule of
// declarativeNetRequest that matches only Megane's requests (initiator: the extension) for that URL and
// is removed when the download ends. An image origin that refused once gets the rule from the start
// for as long as this service worker runs.
//
// Only then: adding and removing a rule for every image cost the browser process about 2 ms of CPU per
// image and the whole check 6% of its speed (300 photos, three runs each of `npm run bench:profile`
// with PROFILE_EXTENSION_DIR: 15.7 img/s with a rule per image, 16.7 with rules only on refusal).
// Hosts that want a Referer refuse a request without one; they do not send another picture.
import { browser } from 'wxt/browser';

/** The Referer Megane sends for a page of `site` (an origin such as https://www.pixiv.net). */
export const refererFor = (site: string): string => `${site.replace(/\/+$/, '')}/`;

/** Whether a request to `url` can carry a Referer at all (not data:, blob:, …) and a site can give one. */
export const needsReferer = (url: string, site: string): boolean => /^https?:\/\//i.test(url) && /^https?:\/\//i.test(site);

/** Image origins remembered as refusing downloads without a Referer; the oldest is forgotten first. */
const MAX_REFUSING = 500;

type Rule = NonNullable<Parameters<typeof browser.declarativeNetRequest.updateSessionRules>[0]['addRules']>[number];

export interface RefererRuleDeps {
  update(change: { addRules?: Rule[]; removeRuleIds?: number[] }): Promise<void>;
  /** Session rules left by an earlier service worker (they survive its restart). */
  existing(): Promise<number[]>;
  extensionId: string;
}

export function createRefererRules({ update, existing, extensionId }: RefererRuleDeps) {
  let nextId = 1;
  let cleared: Promise<void> | null = null;
  const refusing = new Set<string>();

  const clearOld = (): Promise<void> => {
    cleared ??= existing()
      .then((ids) => (ids.length > 0 ? update({ removeRuleIds: ids }) : undefined))
      .catch((error: unknown) => console.warn('[Megane] could not clear old referer rules', error));
    return cleared;
  };

  /** Runs `work` with the page's Referer on Megane's requests for `url`. */
  async function withRule<T>(url: string, site: string, work: () => Promise<T>): Promise<T> {
    await clearOld();
    const id = nextId++;
    const added = await update({
      addRules: [
        {
          id,
          priority: 1,
          action: { type: 'modifyHeaders', requestHeaders: [{ header: 'referer', operation: 'set', value: refererFor(site) }] },
          condition: {
            urlFilter: `|${url.split('#')[0]}|`,
            initiatorDomains: [extensionId],
            resourceTypes: ['xmlhttprequest', 'media', 'image', 'other'],
          },
        },
      ],
    }).then(
      () => true,
      // Without the rule the download goes as before, without a Referer.
      (error: unknown) => {
        console.warn('[Megane] could not add a referer rule', error);
        return false;
      },
    );
    try {
      return await work();
    } finally {
      if (added) void update({ removeRuleIds: [id] }).catch(() => {});
    }
  }

  /**
   * Runs `work` (which downloads `url` for a page of `site`); when `refused` says its result is a
   * refusal and a Referer can help, runs it again with the page's Referer.
   */
  async function download<T>(url: string, site: string, work: () => Promise<T>, refused: (result: T) => boolean): Promise<T> {
    if (!needsReferer(url, site)) return work();
    // The page chose the URL: one the URL parser refuses is its own origin, never a thrown error.
    const origin = URL.canParse(url) ? new URL(url).origin : url;
    if (!refusing.has(origin)) {
      const result = await work();
      if (!refused(result)) return result;
      refusing.add(origin);
      if (refusing.size > MAX_REFUSING) refusing.delete(refusing.values().next().value as string);
    }
    return withRule(url, site, work);
  }

  return { download };
}

let rules: ReturnType<typeof createRefererRules> | null = null;

/** The service worker's downloads, on the real declarativeNetRequest. */
export function downloadWithReferer<T>(url: string, site: string, work: () => Promise<T>, refused: (result: T) => boolean): Promise<T> {
  rules ??= createRefererRules({
    update: (change) => browser.declarativeNetRequest.updateSessionRules(change),
    existing: async () => (await browser.declarativeNetRequest.getSessionRules()).map((r) => r.id),
    // The host of the extension's own origin: the id in Chrome, the add-on's internal UUID in Firefox
    // (whose requests come from moz-extension://<uuid>, not from its add-on id).
    extensionId: new URL(browser.runtime.getURL('/')).host,
  });
  return rules.download(url, site, work, refused);
}
