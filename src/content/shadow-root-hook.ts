// `attachShadow` on an element already in the page fires no mutation and no event: the root and
// everything later put in it are invisible to Megane's observers until something looks at the host.
// This hook runs in the page's own world (the MAIN-world content script,
// entrypoints/before-content.content.ts) at document_start, wraps `Element.prototype.attachShadow`,
// and right after each call, before the page has the new root, dispatches an event at the host.
// shadow-roots.ts hears it in Megane's isolated world (capturing, on the window and on each root it
// knows, registered before any page script) and adopts the cover into the root at once, so what the
// page puts in the root next is covered before it can paint. The event says only "look at this
// element": a page that sends it itself gains a look. A page can still reach an unwrapped
// attachShadow (from a frame the hook has not reached yet, say): the sweep in precover.ts stays.

/** The event the hook dispatches at a host right after `attachShadow` (not bubbling, not composed). */
export const ROOT_ATTACHED_EVENT = 'megane:shadow-attached';

/** Wraps `attachShadow` in `win` (the page's world). */
export function installShadowRootHook(win: typeof globalThis): void {
  const proto = win.Element?.prototype;
  const descriptor = proto && Object.getOwnPropertyDescriptor(proto, 'attachShadow');
  const original: unknown = descriptor?.value;
  if (!proto || !descriptor || typeof original !== 'function') return;
  // Kept from before the page runs: a page that replaces them later cannot silence the notice.
  const dispatch = win.EventTarget.prototype.dispatchEvent;
  const PlainEvent = win.Event;
  const apply = Reflect.apply;
  const wrapped = {
    attachShadow(this: Element, ...args: unknown[]) {
      const root: unknown = apply(original, this, args);
      try {
        apply(dispatch, this, [new PlainEvent(ROOT_ATTACHED_EVENT)]);
      } catch {
        // Only a notice: the page's call has its root either way.
      }
      return root;
    },
  }.attachShadow;
  Object.defineProperty(proto, 'attachShadow', { ...descriptor, value: wrapped });
}
