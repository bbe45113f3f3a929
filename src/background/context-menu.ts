// "Megane ▸" in the context menu of every image: like, dislike, the two corrections and "Tag as ▸".
// The menu ids carry the action, so a click is decoded by one pure function. Titles are in the user's
// language as it was when the menu was made (on install, and when the user's tags change).
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import type { MarkAction } from '../marks/mark-types';
import { TAGS, isAnyTagId, tagLabel, type CustomTag } from '../tags/vocabulary';

const ROOT = 'megane';
const TAG_ROOT = 'megane:tag';

export interface MenuItem {
  id: string;
  title: string;
  parentId?: string;
}

/**
 * Every item, parents before children. Like and dislike are at the top, so "Tag as" lists the rest,
 * then the user's own tags.
 */
export function menuItems(customTags: readonly CustomTag[] = []): MenuItem[] {
  return [
    { id: ROOT, title: i18n.t('extName') },
    { id: 'megane:like', title: i18n.t('background.menu.like'), parentId: ROOT },
    { id: 'megane:dislike', title: i18n.t('background.menu.dislike'), parentId: ROOT },
    { id: 'megane:verdict:hide', title: i18n.t('background.menu.shouldHide'), parentId: ROOT },
    { id: 'megane:verdict:show', title: i18n.t('background.menu.shouldShow'), parentId: ROOT },
    { id: 'megane:verdict:none', title: i18n.t('background.menu.forgetCorrection'), parentId: ROOT },
    { id: TAG_ROOT, title: i18n.t('background.menu.tagAs'), parentId: ROOT },
    ...TAGS.filter((t) => t.id !== 'like' && t.id !== 'dislike').map((t) => ({
      id: `${TAG_ROOT}:${t.id}`,
      title: tagLabel(t.id),
      parentId: TAG_ROOT,
    })),
    ...customTags.map((t) => ({ id: `${TAG_ROOT}:${t.id}`, title: tagLabel(t.id, customTags), parentId: TAG_ROOT })),
  ];
}

/** The mark a clicked menu item stands for, or null for an id that is not one of ours. */
export function actionForMenuId(id: string | number): MarkAction | null {
  switch (id) {
    case 'megane:like':
      return { kind: 'like' };
    case 'megane:dislike':
      return { kind: 'dislike' };
    case 'megane:verdict:hide':
      return { kind: 'verdict', verdict: 'hide' };
    case 'megane:verdict:show':
      return { kind: 'verdict', verdict: 'show' };
    case 'megane:verdict:none':
      return { kind: 'verdict', verdict: null };
  }
  const tag = typeof id === 'string' && id.startsWith(`${TAG_ROOT}:`) ? id.slice(TAG_ROOT.length + 1) : '';
  return isAnyTagId(tag) ? { kind: 'tag', tag, on: true } : null;
}

/** (Re)creates the menu: on install, and when the user's tags change. */
export async function installContextMenu(customTags: readonly CustomTag[] = []): Promise<void> {
  await browser.contextMenus.removeAll();
  for (const item of menuItems(customTags)) {
    browser.contextMenus.create({ ...item, contexts: ['image'] });
  }
}
