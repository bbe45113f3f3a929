// "Megane ▸" in the context menu of every image: like, dislike, the two corrections and "Tag as ▸".
// The menu ids carry the action, so a click is decoded by one pure function.
import { browser } from 'wxt/browser';
import type { MarkAction } from '../marks/mark-types';
import { TAGS, isAnyTagId, type CustomTag } from '../tags/vocabulary';

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
    { id: ROOT, title: 'Megane' },
    { id: 'megane:like', title: 'Like', parentId: ROOT },
    { id: 'megane:dislike', title: 'Dislike', parentId: ROOT },
    { id: 'megane:verdict:hide', title: 'Should be hidden', parentId: ROOT },
    { id: 'megane:verdict:show', title: 'Should be shown', parentId: ROOT },
    { id: 'megane:verdict:none', title: 'Forget my correction', parentId: ROOT },
    { id: TAG_ROOT, title: 'Tag as', parentId: ROOT },
    ...TAGS.filter((t) => t.id !== 'like' && t.id !== 'dislike').map((t) => ({
      id: `${TAG_ROOT}:${t.id}`,
      title: t.label,
      parentId: TAG_ROOT,
    })),
    ...customTags.map((t) => ({ id: `${TAG_ROOT}:${t.id}`, title: t.label, parentId: TAG_ROOT })),
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
