import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { MessageSender } from '../messaging/protocol';
import { ASK_AGAIN, type ClassifyResult } from '../messaging/content-background';
import type { Scope } from './classify-service';
import { ANSWER_WITHIN_MS, couldNotCheck, handleMessage, type RouterDeps } from './router';

const EXT = 'chrome-extension://megane-test-id/';

function deps(): RouterDeps & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    classify: vi.fn(async (url: string, detectors: string[], scope: Scope, requester: string) => {
      calls.push(`classify ${url} [${detectors.join()}] for ${scope.site}${scope.private ? ' (private)' : ''} by ${requester}`);
      return { ok: false as const, error: 'fetch failed: HTTP 401, 1234567 bytes' };
    }),
    release: vi.fn((requester: string, url: string) => void calls.push(`release ${url} by ${requester}`)),
    reportStats: vi.fn(async (tab: number, frame: number) => void calls.push(`stats ${tab}/${frame}`)),
    tabStats: vi.fn(async () => ({ checked: 1, covered: 0, failed: 0, pending: 0 })),
    recordTally: vi.fn((tally: { checked: number }) => void calls.push(`tally ${tally.checked}`)),
    clearStats: vi.fn(async () => void calls.push('clear-stats')),
    mark: vi.fn(async (url: string, _page: string, action: { kind: string }) => {
      calls.push(`mark ${url} ${action.kind}`);
      return { ok: true as const, marks: { like: false, dislike: true, verdict: null, tags: [] } };
    }),
    marksFor: vi.fn(async (url: string) =>
      url.includes('hidden') ? { like: false, dislike: false, verdict: 'hide' as const, tags: [] } : undefined,
    ),
    marksChanged: vi.fn(() => void calls.push('marks-changed')),
    trainNow: vi.fn(async () => void calls.push('train')),
    userCover: vi.fn(async (frame: { tabId: number; frameId: number; documentId?: string }, on: boolean) => {
      calls.push(`user-cover ${frame.tabId}/${frame.frameId}/${frame.documentId ?? '-'} ${on}`);
      return true;
    }),
    modelStatus: vi.fn(async () => ({
      model: 'mobilenet_v2_mid' as const,
      state: 'idle' as const,
      backend: null,
      reason: '',
      detectors: { faces: { state: 'idle' as const }, objects: { state: 'idle' as const } },
    })),
  };
}

const contentSender = (over: Partial<MessageSender> = {}): MessageSender => ({
  id: fakeBrowser.runtime.id,
  url: 'https://example.com/page',
  tab: { id: 7 } as MessageSender['tab'],
  frameId: 3,
  ...over,
});
const pageSender = (): MessageSender => ({ id: fakeBrowser.runtime.id, url: `${EXT}popup.html` });

describe('background router', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    vi.spyOn(fakeBrowser.runtime, 'getURL').mockImplementation((path: string) => EXT + path.replace(/^\//, ''));
  });

  it('answers a content script classify request', async () => {
    const d = deps();
    await handleMessage(
      d,
      { channel: 'content->background', type: 'classify-url', url: 'https://img.test/a.jpg', detectors: ['objects'] },
      contentSender(),
    );
    expect(d.calls).toEqual(['classify https://img.test/a.jpg [objects] for https://example.com (private) by 7:3']);
  });

  it("keeps a private window's checks apart: the scope says so, from the sender", async () => {
    const d = deps();
    const message = { channel: 'content->background', type: 'classify-url', url: 'https://img.test/a.jpg', detectors: [] };
    const tab = (incognito?: boolean) => ({ tab: { id: 7, ...(incognito === undefined ? {} : { incognito }) } as MessageSender['tab'] });
    await handleMessage(d, message, contentSender(tab(false)));
    await handleMessage(d, message, contentSender(tab(true)));
    // A tab that does not say whether it is private counts as private.
    await handleMessage(d, message, contentSender(tab()));
    // The page cannot say otherwise: a field in the message is not read.
    await handleMessage(d, { ...message, private: false, cookieStore: 'firefox-default' }, contentSender(tab(true)));
    expect(d.calls).toEqual([
      'classify https://img.test/a.jpg [] for https://example.com by 7:3',
      ...Array(3).fill('classify https://img.test/a.jpg [] for https://example.com (private) by 7:3'),
    ]);
    // A Firefox container's tab (or a private window's cookie store) is its own scope; the default store is not.
    const stores: unknown[] = [];
    d.classify = vi.fn(async (_u: string, _d: string[], scope: Scope) => {
      stores.push(scope.cookieStore);
      return { ok: false as const, error: 'x' };
    });
    for (const cookieStoreId of ['firefox-default', 'firefox-container-2', undefined])
      await handleMessage(
        d,
        message,
        contentSender({ tab: { id: 7, incognito: false, cookieStoreId } as unknown as MessageSender['tab'] }),
      );
    expect(stores).toEqual([undefined, 'firefox-container-2', undefined]);
  });

  it.each([
    ['in view in the active tab', 0, true, { place: 0, tab: 7, active: true }],
    ['far in a background tab', 2, false, { place: 2, tab: 7, active: false }],
    ['of unknown place in a tab the browser does not describe', undefined, undefined, { tab: 7, active: true }],
  ] as const)(
    'says where an image %s is, from the message and the sender, for the host to order it',
    async (_label, place, active, where) => {
      const d = deps();
      await handleMessage(
        d,
        {
          channel: 'content->background',
          type: 'classify-url',
          url: 'https://img.test/a.jpg',
          detectors: [],
          ...(place === undefined ? {} : { place }),
        },
        contentSender({ tab: { id: 7, ...(active === undefined ? {} : { active }) } as MessageSender['tab'] }),
      );
      expect(d.classify).toHaveBeenCalledWith('https://img.test/a.jpg', [], { site: 'https://example.com', private: true }, '7:3', where);
    },
  );

  it('answers "ask again" before a check outlasts the 5 minutes Chrome gives one service-worker event', async () => {
    vi.useFakeTimers();
    try {
      const d = deps();
      let finish: (r: { ok: false; error: string }) => void = () => {};
      d.classify = vi.fn(() => new Promise<ClassifyResult>((resolve) => (finish = resolve)));
      const first = handleMessage(
        d,
        { channel: 'content->background', type: 'classify-url', url: 'https://img.test/slow.jpg', detectors: [] },
        contentSender(),
      );
      await vi.advanceTimersByTimeAsync(ANSWER_WITHIN_MS);
      expect(await first).toEqual({ ok: false, error: ASK_AGAIN });
      // An answer that comes in time is the answer.
      const second = handleMessage(
        d,
        { channel: 'content->background', type: 'classify-url', url: 'https://img.test/slow.jpg', detectors: [] },
        contentSender(),
      );
      await vi.advanceTimersByTimeAsync(1_000);
      finish({ ok: false, error: 'boom' });
      expect(await second).toEqual({ ok: false, error: couldNotCheck() });
    } finally {
      vi.useRealTimers();
    }
  });

  it("takes back a frame's request for an image, as that document's (its navigations are others)", async () => {
    const d = deps();
    const cancel = { channel: 'content->background', type: 'cancel-check', url: 'https://img.test/a.jpg' } as const;
    await handleMessage(d, cancel, contentSender());
    await handleMessage(d, cancel, contentSender({ documentId: 'DOC1' }));
    expect(d.calls).toEqual(['release https://img.test/a.jpg by 7:3', 'release https://img.test/a.jpg by 7:3:DOC1']);
  });

  it("keys a frame's checks by its tab's top-level site, and tells the page only that a check failed", async () => {
    const d = deps();
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const sender = contentSender({ url: 'https://ads.test/frame', tab: { id: 7, url: 'https://news.test/story' } as MessageSender['tab'] });
    const answer = await handleMessage(
      d,
      { channel: 'content->background', type: 'classify-url', url: 'https://img.test/a.jpg', detectors: [] },
      sender,
    );
    expect(d.calls).toEqual(['classify https://img.test/a.jpg [] for https://news.test (private) by 7:3']);
    expect(answer).toEqual({ ok: false, error: couldNotCheck() });
    // The details stay in the service worker's console.
    expect(String(info.mock.calls[0]?.[0])).toContain('HTTP 401');
    info.mockRestore();
  });

  it('records frame stats under the sender tab and frame, not anything the message says', async () => {
    const d = deps();
    await handleMessage(
      d,
      { channel: 'content->background', type: 'frame-stats', stats: { checked: 1, covered: 2, failed: 0, pending: 0 } },
      contentSender(),
    );
    expect(d.calls).toEqual(['stats 7/3']);
  });

  it("adds a frame's tally to the statistics, except from a private window", async () => {
    const d = deps();
    const message = {
      channel: 'content->background',
      type: 'frame-stats',
      stats: { checked: 2, covered: 1, failed: 0, pending: 0 },
      tally: { checked: 2, failed: 0, covered: 1, rules: { food: 1 } },
    };
    const tab = (incognito?: boolean) => ({ tab: { id: 7, ...(incognito === undefined ? {} : { incognito }) } as MessageSender['tab'] });
    await handleMessage(d, message, contentSender(tab(false)));
    await handleMessage(d, message, contentSender(tab(true)));
    // A tab that does not say whether it is private counts as private.
    await handleMessage(d, message, contentSender(tab()));
    expect(d.calls).toEqual(['stats 7/3', 'tally 2', 'stats 7/3', 'stats 7/3']);
    // A tally naming something that is not a rule (an address) is refused whole.
    const bad = { ...message, tally: { ...message.tally, rules: { 'https://example.com/': 1 } } };
    expect(handleMessage(d, bad, contentSender(tab(false)))).toBeUndefined();
  });

  it("puts the user-origin cover into the sender's own document, and only a boolean asks", async () => {
    const d = deps();
    const message = { channel: 'content->background', type: 'user-cover', on: true };
    expect(await handleMessage(d, message, { ...contentSender(), documentId: 'doc-1' } as MessageSender)).toBe(true);
    await handleMessage(d, { ...message, on: false }, contentSender());
    expect(d.calls).toEqual(['user-cover 7/3/doc-1 true', 'user-cover 7/3/- false']);
    expect(handleMessage(d, { ...message, on: 'yes' }, contentSender())).toBeUndefined();
    expect(handleMessage(d, message, pageSender())).toBeUndefined();
  });

  it.each([
    ['another extension', { ...contentSender(), id: 'someone-else' }],
    ['a content message without a tab', { ...contentSender(), tab: undefined }],
    ['a content message from an extension page', { ...contentSender(), url: `${EXT}options.html` }],
  ])('ignores %s', async (_name, sender) => {
    const d = deps();
    expect(
      handleMessage(d, { channel: 'content->background', type: 'classify-url', url: 'https://img.test/a.jpg', detectors: [] }, sender),
    ).toBeUndefined();
    expect(d.calls).toEqual([]);
  });

  it.each([
    ['an unknown type', { channel: 'content->background', type: 'format-disk' }],
    ['a javascript: URL', { channel: 'content->background', type: 'classify-url', url: 'javascript:alert(1)', detectors: [] }],
    ['a non-image data: URL', { channel: 'content->background', type: 'classify-url', url: 'data:text/html,<b>hi</b>', detectors: [] }],
    ['negative stats', { channel: 'content->background', type: 'frame-stats', stats: { checked: -1, covered: 0, failed: 0, pending: 0 } }],
    [
      'pixels that are not a PNG data URL',
      { channel: 'content->background', type: 'classify-pixels', key: 'blob:x', dataUrl: 'https://evil.test/' },
    ],
    ['not an object', 'classify'],
  ])('rejects %s', (_name, message) => {
    const d = deps();
    expect(handleMessage(d, message, contentSender())).toBeUndefined();
  });

  it('answers the popup status only for extension pages', async () => {
    const d = deps();
    const status = await handleMessage(d, { channel: 'popup->background', type: 'get-status', tabId: 7 }, pageSender());
    expect(status).toEqual({ model: expect.objectContaining({ state: 'idle' }), tab: { checked: 1, covered: 0, failed: 0, pending: 0 } });
    expect(handleMessage(d, { channel: 'popup->background', type: 'get-status', tabId: 7 }, contentSender())).toBeUndefined();
  });

  it("adds the user's marks on the image to its scores", async () => {
    const d = deps();
    expect(
      await handleMessage(
        d,
        { channel: 'content->background', type: 'classify-url', url: 'https://img.test/hidden.jpg', detectors: [] },
        contentSender(),
      ),
    ).toEqual({
      ok: false,
      error: couldNotCheck(),
      marks: { like: false, dislike: false, verdict: 'hide', tags: [] },
    });
    expect(
      await handleMessage(
        d,
        { channel: 'content->background', type: 'classify-url', url: 'https://img.test/a.jpg', detectors: [] },
        contentSender(),
      ),
    ).toEqual({ ok: false, error: couldNotCheck() });
  });

  it('stores a mark from a content script, and refuses a malformed one', async () => {
    const d = deps();
    const reply = await handleMessage(
      d,
      {
        channel: 'content->background',
        type: 'mark-image',
        url: 'https://img.test/a.jpg',
        pageUrl: 'https://example.com/',
        action: { kind: 'dislike' },
      },
      contentSender(),
    );
    expect(reply).toMatchObject({ ok: true, marks: { dislike: true } });
    expect(
      handleMessage(
        d,
        {
          channel: 'content->background',
          type: 'mark-image',
          url: 'https://img.test/a.jpg',
          pageUrl: '',
          action: { kind: 'tag', tag: 'unicorn', on: true },
        },
        contentSender(),
      ),
    ).toBeUndefined();
    expect(
      handleMessage(
        d,
        {
          channel: 'content->background',
          type: 'mark-image',
          url: 'https://img.test/a.jpg',
          pageUrl: '',
          action: { kind: 'verdict', verdict: 'maybe' },
        },
        contentSender(),
      ),
    ).toBeUndefined();
    expect(d.calls).toEqual(['mark https://img.test/a.jpg dislike']);
  });

  it('lets only extension pages report changed marks or ask for training', async () => {
    const d = deps();
    expect(handleMessage(d, { channel: 'popup->background', type: 'marks-changed' }, contentSender())).toBeUndefined();
    await handleMessage(d, { channel: 'popup->background', type: 'marks-changed' }, pageSender());
    await handleMessage(d, { channel: 'popup->background', type: 'train-personal' }, pageSender());
    expect(handleMessage(d, { channel: 'popup->background', type: 'clear-stats' }, contentSender())).toBeUndefined();
    expect(await handleMessage(d, { channel: 'popup->background', type: 'clear-stats' }, pageSender())).toBe(true);
    expect(d.calls).toEqual(['marks-changed', 'train', 'clear-stats']);
  });

  it('does not answer messages meant for the offscreen document', () => {
    const d = deps();
    expect(handleMessage(d, { channel: 'background->offscreen', type: 'status' }, pageSender())).toBeUndefined();
  });
});
