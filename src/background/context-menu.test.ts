import { describe, expect, it } from 'vitest';
import { actionForMenuId, menuItems } from './context-menu';

describe('context menu', () => {
  it('offers like, dislike, both corrections and every other tag under "Tag as"', () => {
    const items = menuItems();
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(items.filter((i) => i.parentId === 'megane:tag')).toHaveLength(18);
    for (const item of items) if (item.parentId) expect(items.findIndex((i) => i.id === item.parentId)).toBeLessThan(items.indexOf(item));
  });

  it.each([
    ['megane:like', { kind: 'like' }],
    ['megane:dislike', { kind: 'dislike' }],
    ['megane:verdict:hide', { kind: 'verdict', verdict: 'hide' }],
    ['megane:verdict:show', { kind: 'verdict', verdict: 'show' }],
    ['megane:verdict:none', { kind: 'verdict', verdict: null }],
    ['megane:tag:megane', { kind: 'tag', tag: 'megane', on: true }],
    ['megane:tag:cat', { kind: 'tag', tag: 'cat', on: true }],
    ['megane:tag:user:rainbows', { kind: 'tag', tag: 'user:rainbows', on: true }],
    ['megane:tag:user:', null],
    ['megane:tag:unicorn', null],
    ['megane', null],
    ['megane:tag', null],
    [42, null],
  ] as const)('%s -> %j', (id, action) => {
    expect(actionForMenuId(id)).toEqual(action);
  });

  it("lists the user's own tags after the vocabulary", () => {
    const items = menuItems([{ id: 'user:rainbows', label: 'Rainbows' }]);
    expect(items.at(-1)).toEqual({ id: 'megane:tag:user:rainbows', title: 'Rainbows', parentId: 'megane:tag' });
  });

  it('decodes every item it creates (but the two submenu parents)', () => {
    const leaves = menuItems([{ id: 'user:x', label: 'X' }]).filter((i) => i.id !== 'megane' && i.id !== 'megane:tag');
    for (const item of leaves) expect(actionForMenuId(item.id), item.id).not.toBeNull();
  });
});
