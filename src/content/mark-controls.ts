// The mark buttons shown while the pointer is on a checked image: like, dislike, hide/show for good,
// and "Tag" with every tag. They live in their own shadow root appended to <html> (the page's DOM and
// styles are never touched), at the image's top-right corner, and stay while the pointer moves onto
// them. Plain DOM: the content script stays small. Their words are in the user's language.
import { i18n } from '#i18n';
import { applyMark, emptyMarks } from '../marks/apply-mark';
import type { MarkAction, Marks } from '../marks/mark-types';
import { TAGS, tagLabel, type AnyTagId, type CustomTag } from '../tags/vocabulary';

const CSS = `
:host { all: initial; position: absolute; top: 0; left: 0; width: 0; height: 0; z-index: 2147483647; }
.bar {
  position: absolute; display: flex; flex-wrap: wrap; gap: 4px; justify-content: flex-end; align-items: flex-start;
  padding: 4px; max-width: 260px; font: 500 12px/1.3 system-ui, sans-serif;
  pointer-events: none; /* only the buttons take clicks; the image around them stays clickable */
}
button, .tags {
  pointer-events: auto;
}
button {
  cursor: pointer; font: inherit; color: #fff; background: rgba(20, 20, 28, 0.84);
  border: 1px solid rgba(255, 255, 255, 0.35); border-radius: 999px; padding: 2px 8px; white-space: nowrap;
}
button[aria-pressed="true"] { background: #3d5afe; border-color: #8c9eff; }
button:focus-visible { outline: 2px solid #8ab4ff; outline-offset: 1px; }
.tags {
  display: none; flex-basis: 100%; flex-wrap: wrap; gap: 4px; justify-content: flex-end;
  padding: 4px; border-radius: 8px; background: rgba(20, 20, 28, 0.9);
}
.tags.open { display: flex; }
.tags button { background: transparent; }
.note { flex-basis: 100%; text-align: right; color: #fff; text-shadow: 0 0 3px #000; }
`;

/** Vocabulary tags offered under "Tag" (like and dislike have their own buttons); the user's own follow. */
const TAG_CHOICES: readonly AnyTagId[] = TAGS.filter((t) => t.id !== 'like' && t.id !== 'dislike').map((t) => t.id);
const HIDE_DELAY_MS = 400;
/** The buttons go inside an image at least this large (top-right corner), below a smaller one. */
const INSIDE_MIN = { width: 240, height: 120 };
const BAR_WIDTH = 260;

export interface MarkControls {
  /** Shows the buttons on `el`, reflecting `marks`; `covered` says whether the image is covered now. */
  show(el: Element, marks: Marks | undefined, covered: boolean): void;
  /** Updates the buttons if they are showing on `el`. */
  refresh(el: Element, marks: Marks | undefined, covered: boolean): void;
  /** Hides them after a short delay, unless the pointer comes onto them (or back onto the image). */
  leave(): void;
  /** Shows a short note under the buttons (e.g. a save failed). */
  note(text: string): void;
  destroy(): void;
}

export function createMarkControls(
  doc: Document,
  onAction: (el: Element, action: MarkAction) => void,
  customTags: () => readonly CustomTag[],
  signal: AbortSignal,
): MarkControls {
  const host = doc.createElement('megane-controls');
  // Closed: the buttons show the user's marks, which the page must not read.
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = CSS;
  const bar = doc.createElement('div');
  bar.className = 'bar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', i18n.t('page.marks.toolbar'));
  root.append(style, bar);

  let target: Element | null = null;
  let current = emptyMarks();
  let isCovered = false;
  let hideTimer: ReturnType<typeof setTimeout> | undefined;
  let tagsOpen = false;
  let noteText = '';

  const button = (cls: string, text: string, label: string, pressed: boolean | null, action: () => MarkAction) => {
    const b = doc.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = text;
    b.title = label;
    b.setAttribute('aria-label', label);
    if (pressed !== null) b.setAttribute('aria-pressed', String(pressed));
    b.addEventListener('click', (event) => {
      // Only the user's click (or key) marks, never a script's.
      if (!event.isTrusted) return;
      event.preventDefault();
      event.stopPropagation();
      if (!target) return;
      const a = action();
      current = applyMark(current, a);
      onAction(target, a);
      render();
    });
    return b;
  };

  const render = () => {
    bar.replaceChildren();
    bar.append(
      button('like', '👍', i18n.t('page.marks.like'), current.like, () => ({ kind: 'like' })),
      button('dislike', '👎', i18n.t('page.marks.dislike'), current.dislike, () => ({ kind: 'dislike' })),
    );
    if (current.verdict !== null) {
      const [undo, label] =
        current.verdict === 'hide'
          ? [i18n.t('page.marks.stopHiding'), i18n.t('page.marks.stopHidingLabel')]
          : [i18n.t('page.marks.stopShowing'), i18n.t('page.marks.stopShowingLabel')];
      bar.append(button('verdict undo', undo, label, null, () => ({ kind: 'verdict', verdict: null })));
    } else if (isCovered) {
      bar.append(
        button('verdict show', i18n.t('page.marks.alwaysShow'), i18n.t('page.marks.alwaysShowLabel'), null, () => ({
          kind: 'verdict',
          verdict: 'show',
        })),
      );
    } else {
      bar.append(
        button('verdict hide', i18n.t('page.marks.hide'), i18n.t('page.marks.hideLabel'), null, () => ({
          kind: 'verdict',
          verdict: 'hide',
        })),
      );
    }
    const toggle = doc.createElement('button');
    toggle.type = 'button';
    toggle.className = 'tag-menu';
    toggle.textContent = i18n.t('page.marks.tagMenu', [tagsOpen ? '▴' : '▾']);
    toggle.setAttribute('aria-expanded', String(tagsOpen));
    toggle.setAttribute('aria-label', i18n.t('page.marks.tagMenuLabel'));
    toggle.addEventListener('click', (event) => {
      if (!event.isTrusted) return;
      event.preventDefault();
      event.stopPropagation();
      tagsOpen = !tagsOpen;
      render();
    });
    bar.append(toggle);
    const list = doc.createElement('div');
    list.className = tagsOpen ? 'tags open' : 'tags';
    const own = customTags();
    for (const id of [...TAG_CHOICES, ...own.map((t) => t.id)]) {
      const on = current.tags.includes(id);
      const cls = `tag tag-${id.replace(/[^a-z0-9_-]/g, '-')}`;
      const label = tagLabel(id, own);
      list.append(button(cls, label, i18n.t('page.marks.tagAs', [label]), on, () => ({ kind: 'tag', tag: id, on: !on })));
    }
    bar.append(list);
    if (noteText) {
      const note = doc.createElement('div');
      note.className = 'note';
      note.textContent = noteText;
      bar.append(note);
    }
    position();
  };

  const position = () => {
    if (!target) return;
    const rect = target.getBoundingClientRect();
    const view = doc.defaultView;
    const right = rect.right + (view?.scrollX ?? 0);
    const inside = rect.width >= INSIDE_MIN.width && rect.height >= INSIDE_MIN.height;
    bar.style.left = `${Math.max(0, right - BAR_WIDTH)}px`;
    bar.style.width = `${BAR_WIDTH - 8}px`;
    // A small image would be hidden under its own buttons (and a click on it would land on them).
    bar.style.top = `${(inside ? rect.top : rect.bottom) + (view?.scrollY ?? 0)}px`;
  };

  const hideNow = () => {
    target = null;
    tagsOpen = false;
    noteText = '';
    host.remove();
  };

  bar.addEventListener(
    'pointerenter',
    (event) => {
      if (event.isTrusted) clearTimeout(hideTimer);
    },
    { signal },
  );
  bar.addEventListener(
    'pointerleave',
    (event) => {
      if (event.isTrusted) controls.leave();
    },
    { signal },
  );
  doc.defaultView?.addEventListener('scroll', position, { capture: true, passive: true, signal });
  signal.addEventListener('abort', () => controls.destroy(), { once: true });

  const controls: MarkControls = {
    show(el, marks, covered) {
      clearTimeout(hideTimer);
      if (target !== el) {
        tagsOpen = false;
        noteText = '';
      }
      target = el;
      current = marks ?? emptyMarks();
      isCovered = covered;
      if (!host.isConnected) doc.documentElement.append(host);
      render();
    },
    refresh(el, marks, covered) {
      if (target !== el) return;
      current = marks ?? emptyMarks();
      isCovered = covered;
      render();
    },
    leave() {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hideNow, HIDE_DELAY_MS);
    },
    note(text) {
      noteText = text;
      if (target) render();
    },
    destroy() {
      clearTimeout(hideTimer);
      hideNow();
    },
  };
  return controls;
}
