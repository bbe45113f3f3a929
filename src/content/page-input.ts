// The user's clicks and pointer on the page's images: one click reveals an image a verdict covers
// (and must not also follow a link the image sits in); hovering a tracked image shows its top tags and
// mark buttons. Listeners are captured at the window/document so the page cannot stop them first, and
// only the user's own input counts: an event a script made (`isTrusted` false: `el.click()`,
// `dispatchEvent`) reveals nothing and opens nothing.
import { isCoveredByVerdict } from './decide';
import { shadowRootOf } from './shadow-roots';
import type { Tracked } from './verdict-store';

export interface PageInputHandlers {
  /** The tracked entry of an element, if Megane tracks it. */
  entryOf(el: Element): Tracked | undefined;
  reveal(el: Element): void;
  hover(el: Element, entry: Tracked): void;
  pointerLeft(fromTracked: boolean): void;
}

export interface PageInput {
  /**
   * Reveals the image a verdict covers under the pointer, if the pointer is in this frame (the
   * "reveal under the pointer" shortcut); true when it revealed one.
   */
  revealUnderPointer(): boolean;
}

export function listenToPageInput(doc: Document, handlers: PageInputHandlers, signal: AbortSignal): PageInput {
  // Where the user's pointer is in this frame, and whether it still is.
  // Two numbers, not an object per event: pointermove is the page's busiest event.
  let pointerX = 0;
  let pointerY = 0;
  let pointerHere = false;
  const onPointerMove = (event: PointerEvent) => {
    if (!event.isTrusted) return;
    pointerX = event.clientX;
    pointerY = event.clientY;
    pointerHere = true;
  };
  // Out of the frame, or into a child frame (which then tracks the pointer itself).
  const onPointerLeave = (event: PointerEvent) => {
    if (!event.isTrusted) return;
    const to = event.relatedTarget;
    if (to === null || (to instanceof Element && to.matches('iframe, frame, object, embed'))) pointerHere = false;
  };
  doc.defaultView?.addEventListener('pointermove', onPointerMove, { capture: true, passive: true, signal });
  doc.addEventListener('pointerout', onPointerLeave, { capture: true, passive: true, signal });

  const onClick = (event: Event) => {
    if (!event.isTrusted) return;
    for (const target of targetsOf(event)) {
      const state = handlers.entryOf(target)?.display.state;
      if (state !== undefined && isCoveredByVerdict(state)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        handlers.reveal(target);
        return;
      }
    }
  };
  doc.defaultView?.addEventListener('click', onClick, { capture: true, signal });

  const onPointerOver = (event: Event) => {
    if (!event.isTrusted) return;
    for (const target of targetsOf(event)) {
      const entry = handlers.entryOf(target);
      if (!entry) continue;
      handlers.hover(target, entry);
      return;
    }
  };
  const onPointerOut = (event: Event) => {
    if (!event.isTrusted) return;
    handlers.pointerLeft(targetsOf(event).some((t) => handlers.entryOf(t) !== undefined));
  };
  doc.addEventListener('pointerover', onPointerOver, { capture: true, passive: true, signal });
  doc.addEventListener('pointerout', onPointerOut, { capture: true, passive: true, signal });

  return {
    revealUnderPointer() {
      if (!pointerHere || signal.aborted) return false;
      for (const target of elementsAt(doc, { x: pointerX, y: pointerY })) {
        const state = handlers.entryOf(target)?.display.state;
        if (state !== undefined && isCoveredByVerdict(state)) {
          handlers.reveal(target);
          return true;
        }
      }
      return false;
    },
  };
}

/** The elements at a point of the frame, innermost first, looking into shadow roots (closed ones too). */
function elementsAt(doc: Document, point: { x: number; y: number }): Element[] {
  const out: Element[] = [];
  const visit = (list: Element[], depth: number) => {
    for (const el of list) {
      const inner = el.shadowRoot ?? shadowRootOf(el);
      if (inner && depth < 8)
        visit(
          inner.elementsFromPoint(point.x, point.y).filter((e) => e !== el && inner.contains(e)),
          depth + 1,
        );
      out.push(el);
    }
  };
  visit(doc.elementsFromPoint(point.x, point.y), 0);
  return out;
}

/**
 * The elements an event went through, innermost first. Seen from outside, a closed shadow root's
 * insides are hidden from `composedPath()` (the event is retargeted to the host), so below a host with
 * a closed root the elements under the pointer are looked up in that root.
 */
export function targetsOf(event: Event): Element[] {
  const out: Element[] = [];
  const point = event instanceof MouseEvent ? { x: event.clientX, y: event.clientY } : null;
  const inside = (host: Element, depth: number) => {
    const root = host.shadowRoot === null ? shadowRootOf(host) : null;
    if (!root || !point || depth > 8) return;
    for (const el of root.elementsFromPoint(point.x, point.y)) {
      if (el === host || !root.contains(el)) continue;
      inside(el, depth + 1);
      out.push(el);
    }
  };
  for (const target of event.composedPath()) {
    if (!(target instanceof Element)) continue;
    inside(target, 0);
    out.push(target);
  }
  return out;
}
