import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { Browser } from 'wxt/browser';
import type { MarkAction } from '../marks/mark-types';
import type { MarkReply } from '../messaging/content-background';
import { markFromContextMenu } from './mark-from-context-menu';

const marks = { like: false, dislike: false, verdict: 'hide' as const, tags: [] };

function setup(reply: MarkReply = { ok: true, marks }) {
  const calls: [string, string, MarkAction][] = [];
  const privacy: boolean[] = [];
  const mark = vi.fn(async (url: string, pageUrl: string, action: MarkAction, incognito: boolean) => {
    calls.push([url, pageUrl, action]);
    privacy.push(incognito);
    return reply;
  });
  const sent = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue(undefined);
  return { onClick: markFromContextMenu(mark), calls, sent, privacy };
}

const click = (over: Partial<Browser.contextMenus.OnClickData> = {}): Browser.contextMenus.OnClickData =>
  ({
    menuItemId: 'megane:verdict:hide',
    srcUrl: 'https://img.test/a.jpg',
    pageUrl: 'https://page.test/',
    frameId: 4,
    editable: false,
    ...over,
  }) as Browser.contextMenus.OnClickData;
const tab = { id: 9, url: 'https://tab.test/', incognito: false } as Browser.tabs.Tab;

describe('mark from the context menu', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  it('says whether the click was in a private window (a tab that does not say counts as one)', async () => {
    const { onClick, privacy } = setup();
    await onClick(click(), tab);
    await onClick(click(), { ...tab, incognito: true });
    await onClick(click(), { id: 9, url: 'https://tab.test/' } as Browser.tabs.Tab);
    expect(privacy).toEqual([false, true, true]);
  });

  it('stores the mark and tells the frame the image is in', async () => {
    const { onClick, calls, sent } = setup();
    await onClick(click(), tab);
    expect(calls).toEqual([['https://img.test/a.jpg', 'https://page.test/', { kind: 'verdict', verdict: 'hide' }]]);
    expect(sent).toHaveBeenCalledWith(
      9,
      { channel: 'background->content', type: 'marks-changed', url: 'https://img.test/a.jpg', marks },
      { frameId: 4 },
    );
  });

  it('falls back to the tab URL as the page and to the top frame', async () => {
    const { onClick, calls, sent } = setup();
    await onClick(click({ pageUrl: undefined, frameId: undefined }), tab);
    expect(calls[0]?.[1]).toBe('https://tab.test/');
    expect(sent.mock.calls[0]?.[2]).toEqual({ frameId: 0 });
  });

  it.each([
    ['an item that is not ours', click({ menuItemId: 'other-extension' })],
    ['a click without an image', click({ srcUrl: undefined })],
  ])('ignores %s', async (_name, info) => {
    const { onClick, calls, sent } = setup();
    await onClick(info, tab);
    await onClick(click(), undefined);
    expect(calls).toEqual([]);
    expect(sent).not.toHaveBeenCalled();
  });

  it('tells no frame when the mark could not be stored', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { onClick, sent } = setup({ ok: false, error: "couldn't save the mark: disk full" });
    await onClick(click(), tab);
    expect(sent).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith("[Megane] couldn't save the mark: disk full");
  });

  it('does not fail when the frame is gone', async () => {
    const { onClick, sent } = setup();
    sent.mockRejectedValue(new Error('Could not establish connection. Receiving end does not exist.'));
    await expect(onClick(click(), tab)).resolves.toBeUndefined();
  });
});
