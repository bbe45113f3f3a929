// Styles that change with no mutation an observer sees, and so could give an element already shown
// for one picture another one: user action pseudo-classes (:hover, :focus, :active), media queries
// (the window's size, its colour scheme), CSS animations, transitions and Web Animations, and CSSOM
// edits (reported by the page-world hook, cssom-hook.ts). Each tells precover.ts what to look at,
// at a moment before the paint that would show the change:
// - pointer and focus events: the elements whose state changed (the event's path minus the related
//   target's) and their subtrees, in the next animation frame (callbacks run after input events and
//   before style, layout and paint);
// - resize and matchMedia changes: everything, in the event itself (it runs in the frame's rendering
//   steps, before the paint, with the new media already applied);
// - animations: each animation frame while an animation that can change a picture runs, its elements;
// - CSSOM edits: in a microtask after the page's call (before any paint), the elements the edited
//   rules select, or everything.
import { CSSOM_EVENT, parseCssomDetail } from './cssom-hook';
import { onShadowRoot, shadowRootOf } from './shadow-roots';

/** What precover.ts offers to the triggers here. */
export interface Restyler {
  /** Looks at each list's elements before anything else, at once (what the budget leaves, next frame). */
  look(lists: ArrayLike<Element>[]): void;
  /** Looks at every element again, first those already shown for CSS pictures. */
  lookEverywhere(): void;
  /** The shadow roots found so far, still in the document. */
  roots(): ShadowRoot[];
}

/** Media features a user or the system can change while the page is open (the size comes with resize). */
const MEDIA_FEATURES = [
  '(prefers-color-scheme: dark)',
  '(prefers-contrast: more)',
  '(prefers-reduced-motion: reduce)',
  '(prefers-reduced-transparency: reduce)',
  '(forced-colors: active)',
  '(inverted-colors: inverted)',
  '(orientation: portrait)',
  '(hover: hover)',
  '(pointer: fine)',
  'print',
];

/**
 * Animated properties that can change which picture an element (or, for custom properties, its
 * descendants) paints, as keyframe keys (camelCase) or transition-property names (dashed).
 */
const PICTURE_PROPERTY = /^(background|content|border-?image|list-?style|mask|-?webkit-?mask|display|all$|--)/i;

/** Whether animating this property (a keyframe key or a transition-property) can change a picture. */
export function isPictureProperty(name: string): boolean {
  return PICTURE_PROPERTY.test(name);
}

export function watchRestyles(doc: Document, restyler: Restyler, signal: AbortSignal): void {
  const view = doc.defaultView;
  if (!view) return;
  watchUserActions(doc, view, restyler, signal);
  watchMedia(view, restyler, signal);
  const animations = watchAnimations(doc, view, restyler, signal);
  watchCssom(doc, restyler, animations, signal);
}

/** :hover, :focus(-within, -visible) and :active: what the pointer and focus enter and leave. */
function watchUserActions(doc: Document, view: Window, restyler: Restyler, signal: AbortSignal): void {
  /** Elements whose user-action state changed since the last frame, innermost first. */
  const changed = new Set<Element>();
  let requested = false;
  const onFrame = () => {
    requested = false;
    if (signal.aborted) return;
    const lists: ArrayLike<Element>[] = [[...changed]];
    for (const el of changed) {
      lists.push(el.querySelectorAll('*'));
      const root = shadowRootOf(el);
      if (root) lists.push(root.querySelectorAll('*'));
    }
    changed.clear();
    restyler.look(lists);
  };
  const onEvent = (event: Event) => {
    const related = 'relatedTarget' in event ? composedAncestors(event.relatedTarget as EventTarget | null) : new Set<Element>();
    for (const target of event.composedPath()) if (target instanceof Element && !related.has(target)) changed.add(target);
    if (changed.size === 0 || requested) return;
    requested = true;
    view.requestAnimationFrame(onFrame);
  };
  const options = { capture: true, passive: true, signal };
  for (const type of ['pointerover', 'pointerout', 'pointerdown', 'pointerup', 'pointercancel', 'focusin', 'focusout']) {
    doc.addEventListener(type, onEvent, options);
  }
}

/** The element and its ancestors, across shadow roots (a related target is retargeted like the target). */
function composedAncestors(target: EventTarget | null): Set<Element> {
  const out = new Set<Element>();
  for (let node = target instanceof Element ? target : null; node; ) {
    out.add(node);
    const parent: Node | null = node.parentNode;
    node = parent instanceof Element ? parent : parent instanceof ShadowRoot ? parent.host : null;
  }
  return out;
}

/** A resize (breakpoints, zoom) or another media feature that changes: any element may paint otherwise. */
function watchMedia(view: Window, restyler: Restyler, signal: AbortSignal): void {
  view.addEventListener('resize', () => restyler.lookEverywhere(), { signal });
  for (const query of MEDIA_FEATURES) {
    view.matchMedia(query).addEventListener('change', () => restyler.lookEverywhere(), { signal });
  }
}

export interface AnimationWatch {
  /** Looks for running animations the events do not announce (Web Animations started by script). */
  scan(): void;
}

/**
 * Elements with a running animation or transition of a picture property are looked at on each
 * animation frame (they change with no event, e.g. a keyframe that switches background-image
 * half-way), and once more in the frame their animation ends. Animations of other properties (a
 * spinner's transform) cost nothing after their start event.
 */
function watchAnimations(doc: Document, view: Window, restyler: Restyler, signal: AbortSignal): AnimationWatch {
  const animating = new Set<Element>();
  // What an animation animates is read from its keyframes once, not on every frame it runs.
  const kinds = new WeakMap<Animation, { pictures: boolean; custom: boolean }>();
  const kindOf = (animation: Animation) => {
    let known = kinds.get(animation);
    if (known === undefined) {
      const properties = animatedProperties(animation);
      known = { pictures: properties.some(isPictureProperty), custom: properties.some((p) => p.startsWith('--')) };
      kinds.set(animation, known);
    }
    return known;
  };
  const changesPictures = (animation: Animation): boolean => kindOf(animation).pictures;
  const running = (el: Element) =>
    el.isConnected && el.getAnimations({ subtree: true }).some((a) => a.playState === 'running' && changesPictures(a));

  let requested = false;
  const onFrame = () => {
    requested = false;
    if (signal.aborted) return;
    const elements = [...animating];
    // A custom property can change the pictures of the element's descendants.
    const lists: ArrayLike<Element>[] = [elements];
    for (const el of elements) {
      if (el.getAnimations().some((a) => kindOf(a).custom)) lists.push(el.querySelectorAll('*'));
      // Looked at once more in the frame the animation ends (its last or its base value shows).
      if (!running(el)) animating.delete(el);
    }
    restyler.look(lists);
    if (animating.size > 0) request();
  };
  const request = () => {
    if (requested || signal.aborted) return;
    requested = true;
    view.requestAnimationFrame(onFrame);
  };
  const add = (el: Element) => {
    if (animating.has(el) || !running(el)) return;
    animating.add(el);
    request();
  };
  const onEvent = (event: Event) => {
    if (event.target instanceof Element) add(event.target);
  };
  const listen = (target: Document | ShadowRoot) => {
    for (const type of ['animationstart', 'animationiteration', 'transitionrun', 'transitionstart']) {
      target.addEventListener(type, onEvent, { capture: true, passive: true, signal });
    }
  };
  listen(doc);
  // These events are not composed: each shadow root is listened to on its own.
  onShadowRoot(doc, listen, signal);

  return {
    scan() {
      for (const animation of doc.getAnimations()) {
        const target = animation.effect instanceof KeyframeEffect ? animation.effect.target : null;
        if (target && !animating.has(target) && changesPictures(animation)) add(target);
      }
    },
  };
}

/** The properties an animation animates: a transition's one, or its keyframes' keys. */
function animatedProperties(animation: Animation): string[] {
  if ('transitionProperty' in animation && typeof animation.transitionProperty === 'string') return [animation.transitionProperty];
  const effect = animation.effect;
  if (!(effect instanceof KeyframeEffect)) return [];
  const keys = new Set<string>();
  for (const frame of effect.getKeyframes()) for (const key of Object.keys(frame)) keys.add(key);
  return [...keys];
}

/**
 * CSSOM edits, as the page-world hook reports them (a page may send the same event: it only causes a
 * look). Batched in a microtask, which runs after the page's current script and before any paint.
 */
function watchCssom(doc: Document, restyler: Restyler, animations: AnimationWatch, signal: AbortSignal): void {
  const selectors = new Set<string>();
  let everything = false;
  let animate = false;
  let queued = false;
  const flush = () => {
    queued = false;
    if (signal.aborted) return;
    if (animate) animations.scan();
    if (everything) restyler.lookEverywhere();
    else if (selectors.size > 0) restyler.look(selected(doc, restyler.roots(), [...selectors]) ?? everythingLists(doc, restyler));
    selectors.clear();
    everything = false;
    animate = false;
  };
  const onEvent = (event: Event) => {
    const detail = parseCssomDetail(event instanceof CustomEvent ? event.detail : null);
    if (detail === 'animations') animate = true;
    else if (detail === 'everything') everything = true;
    else for (const selector of detail) selectors.add(selector);
    if (queued) return;
    queued = true;
    queueMicrotask(flush);
  };
  // On the window, capturing, registered before any page script: the page cannot stop the event first.
  doc.defaultView?.addEventListener(CSSOM_EVENT, onEvent, { capture: true, signal });
}

/** Every element, for a selector that cannot be queried: precover's whole-tree pass does the same. */
function everythingLists(doc: Document, restyler: Restyler): ArrayLike<Element>[] {
  return [doc.querySelectorAll('body *'), ...restyler.roots().map((root) => root.querySelectorAll('*'))];
}

/**
 * The elements the edited rules select, then their subtrees (inherited custom properties), in the
 * document and every shadow root; undefined when a selector cannot be queried (a nested `&` rule).
 * Pseudo-elements are dropped: their element carries their pictures.
 */
function selected(doc: Document, roots: ShadowRoot[], selectors: string[]): ArrayLike<Element>[] | undefined {
  const matched: ArrayLike<Element>[] = [];
  const subtrees: ArrayLike<Element>[] = [];
  for (const raw of selectors) {
    const selector = raw.replace(/::?(before|after|marker|first-line|first-letter|placeholder|backdrop|selection)\b/gi, '');
    for (const scope of [doc, ...roots]) {
      let found: NodeListOf<Element>;
      try {
        found = scope.querySelectorAll(selector);
      } catch {
        return undefined;
      }
      matched.push(found);
      for (const el of found) subtrees.push(el.querySelectorAll('*'));
    }
  }
  return [...matched, ...subtrees];
}
