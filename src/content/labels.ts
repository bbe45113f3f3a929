// Labels on covered images ("NSFW 87%", "Couldn't check — click to show"). They live in one shadow
// root appended to <html>, so the page's own DOM and styles are never touched, and are positioned over
// their element in document coordinates; a scroll or resize re-positions them once per frame. Their
// words come from the caller, in the user's language (presenter.ts).
import { i18n } from '#i18n';

const LABEL_CSS = `
:host { all: initial; position: absolute; top: 0; left: 0; width: 0; height: 0; z-index: 2147483647; }
.label {
  position: absolute; box-sizing: border-box; display: flex; align-items: center; justify-content: center;
  pointer-events: none; overflow: hidden;
}
.label button {
  pointer-events: auto; cursor: pointer; max-width: 100%;
  font: 600 12px/1.3 system-ui, sans-serif; color: #fff; background: rgba(20, 20, 28, 0.82);
  border: 1px solid rgba(255, 255, 255, 0.35); border-radius: 999px; padding: 3px 10px;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.label button:focus-visible { outline: 2px solid #8ab4ff; outline-offset: 2px; }
.hint {
  position: absolute; pointer-events: none; margin: 4px; padding: 2px 8px; border-radius: 6px;
  font: 500 11px/1.4 system-ui, sans-serif; color: #fff; background: rgba(20, 20, 28, 0.78);
  white-space: nowrap;
}
`;

export interface LabelLayer {
  set(el: Element, text: string, detail: string): void;
  remove(el: Element): void;
  /** Re-positions every label (called after layout changes). */
  update(): void;
  /** Shows one small note at an element's top-left corner (the hover tags), or hides it. */
  hint(el: Element | null, text?: string): void;
  destroy(): void;
}

export function createLabelLayer(doc: Document, onActivate: (el: Element) => void, signal: AbortSignal): LabelLayer {
  const host = doc.createElement('megane-labels');
  // Closed: the labels name the user's tags and scores, which the page must not read. (Tests read
  // them in the content script's world: test/e2e/helpers/megane-world.ts.)
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = LABEL_CSS;
  root.append(style);
  const labels = new Map<Element, HTMLDivElement>();
  let hintBox: HTMLDivElement | null = null;
  let frame = 0;

  const position = (el: Element, box: HTMLDivElement) => {
    const rect = el.getBoundingClientRect();
    const view = doc.defaultView;
    const x = rect.left + (view?.scrollX ?? 0);
    const y = rect.top + (view?.scrollY ?? 0);
    box.style.cssText = `left:${x}px;top:${y}px;width:${rect.width}px;height:${rect.height}px;${
      rect.width === 0 || !el.isConnected ? 'display:none' : ''
    }`;
  };

  const update = () => {
    frame = 0;
    for (const [el, box] of labels) {
      if (!el.isConnected) {
        box.remove();
        labels.delete(el);
      } else position(el, box);
    }
    if (labels.size === 0 && !hintBox) host.remove();
  };
  const schedule = () => {
    if (!frame && labels.size > 0) frame = requestAnimationFrame(update);
  };
  const resize = new ResizeObserver(schedule);
  doc.defaultView?.addEventListener('scroll', schedule, { capture: true, passive: true, signal });
  doc.defaultView?.addEventListener('resize', schedule, { passive: true, signal });
  signal.addEventListener('abort', () => layer.destroy(), { once: true });

  const layer: LabelLayer = {
    set(el, text, detail) {
      let box = labels.get(el);
      if (!box) {
        box = doc.createElement('div');
        box.className = 'label';
        const button = doc.createElement('button');
        button.type = 'button';
        button.addEventListener('click', (event) => {
          // Only the user's click (or key) reveals, never a script's.
          if (!event.isTrusted) return;
          event.preventDefault();
          event.stopPropagation();
          onActivate(el);
        });
        box.append(button);
        root.append(box);
        labels.set(el, box);
        resize.observe(el);
      }
      const button = box.firstElementChild as HTMLButtonElement;
      button.textContent = text;
      button.title = i18n.t('page.labelTitle', [detail]);
      if (!host.isConnected) doc.documentElement.append(host);
      position(el, box);
    },
    remove(el) {
      labels.get(el)?.remove();
      labels.delete(el);
      resize.unobserve(el);
      if (labels.size === 0) host.remove();
    },
    update: schedule,
    hint(el, text = '') {
      hintBox?.remove();
      hintBox = null;
      if (!el || !text) {
        if (labels.size === 0) host.remove();
        return;
      }
      hintBox = doc.createElement('div');
      hintBox.className = 'hint';
      hintBox.textContent = text;
      const rect = el.getBoundingClientRect();
      const view = doc.defaultView;
      hintBox.style.cssText = `left:${rect.left + (view?.scrollX ?? 0)}px;top:${rect.top + (view?.scrollY ?? 0)}px`;
      root.append(hintBox);
      if (!host.isConnected) doc.documentElement.append(host);
    },
    destroy() {
      if (frame) cancelAnimationFrame(frame);
      resize.disconnect();
      labels.clear();
      host.remove();
    },
  };
  return layer;
}
