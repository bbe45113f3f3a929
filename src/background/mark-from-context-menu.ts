// A click on "Megane ▸ ..." in an image's context menu: the mark is stored like one from the hover
// controls, and the frame the image is in applies it at once.
import type { Browser } from 'wxt/browser';
import type { MarkAction } from '../marks/mark-types';
import { sendBackgroundToContent } from '../messaging/background-content';
import type { MarkReply } from '../messaging/content-background';
import { actionForMenuId } from './context-menu';

/** `incognito`: the click was in a private window (a tab that does not say counts as one). */
export type MarkImage = (url: string, pageUrl: string, action: MarkAction, incognito: boolean) => Promise<MarkReply>;

/** The contextMenus.onClicked listener. Resolves when the frame has been told (or could not be). */
export function markFromContextMenu(mark: MarkImage) {
  return async (info: Browser.contextMenus.OnClickData, tab?: Browser.tabs.Tab): Promise<void> => {
    const action = actionForMenuId(info.menuItemId);
    if (!action || !info.srcUrl || tab?.id === undefined) return;
    const reply = await mark(info.srcUrl, info.pageUrl ?? tab.url ?? '', action, tab.incognito !== false);
    if (!reply.ok) {
      console.warn(`[Megane] ${reply.error}`);
      return;
    }
    // The frame applies a correction at once, as it does for its own hover controls.
    await sendBackgroundToContent(
      { tabId: tab.id, frameId: info.frameId ?? 0 },
      { channel: 'background->content', type: 'marks-changed', url: info.srcUrl, marks: reply.marks },
    ).catch(() => {});
  };
}
