// CSSOM edits fire no event and no mutation: `sheet.insertRule`, `deleteRule`, `replace(Sync)`,
// `adoptedStyleSheets = [...]`, a rule's `style` or `selectorText`, a sheet's media or `disabled`.
// Nor does a Web Animation (`element.animate`). This hook runs in the page's own world (a MAIN-world
// content script, entrypoints/before-content.content.ts) at document_start, wraps those methods and
// setters on the prototypes, and tells Megane's isolated world what changed with one CustomEvent per
// batch (a microtask after the page's call, so before any paint). restyle-watch.ts then looks at the
// elements the edited rules select, or at everything. The event says only which selectors to look
// at: a page that sends it itself gains nothing but a look. The hook reads nothing and changes no
// result; a page can still get unwrapped methods (from a frame the hook has not reached yet, say).

/** The event the hook dispatches at the document (restyle-watch.ts listens on the window, capturing). */
export const CSSOM_EVENT = 'megane:cssom';

/** Most selectors one event lists; more mean "everything". */
const MAX_SELECTORS = 400;

/** What changed: the selectors of the edited rules, every style ('everything'), or new animations. */
export type CssomChange = string[] | 'everything' | 'animations';

/** The event's detail as the isolated world reads it: a string, or anything a page put there. */
export function parseCssomDetail(detail: unknown): CssomChange {
  if (detail === 'animations') return 'animations';
  if (typeof detail !== 'string' || !detail.startsWith('[')) return 'everything';
  try {
    const list: unknown = JSON.parse(detail);
    if (Array.isArray(list) && list.length <= MAX_SELECTORS && list.every((s) => typeof s === 'string')) return list;
  } catch {
    // Not ours: look at everything.
  }
  return 'everything';
}

/** The selectors a rule brings (grouping and nested rules included), or 'everything' for rules that reach further. */
export function selectorsOf(rule: CSSRule | null | undefined): string[] | 'everything' {
  if (!rule) return [];
  const out: string[] = [];
  const visit = (r: CSSRule): boolean => {
    if ('selectorText' in r && typeof r.selectorText === 'string' && r.constructor.name !== 'CSSPageRule') out.push(r.selectorText);
    else if (IGNORED_RULES.has(r.constructor.name)) return true;
    else if (!('cssRules' in r)) return false;
    // Grouping rules (@media, @supports, @container, @layer blocks) and nested style rules.
    if ('cssRules' in r) for (const inner of r.cssRules as CSSRuleList) if (!visit(inner)) return false;
    return true;
  };
  return visit(rule) ? out : 'everything';
}

/**
 * The selectors of a rule's text as passed to insertRule: a style rule's selector (its nested rules
 * select inside it, and its elements' subtrees are looked at), nothing for an at-rule that cannot
 * change a picture, 'everything' for the other at-rules.
 */
export function selectorsOfText(text: string): string[] | 'everything' {
  const rule = text.trimStart();
  if (rule.startsWith('@')) return IGNORED_AT_RULES.test(rule) ? [] : 'everything';
  const brace = rule.indexOf('{');
  if (brace <= 0) return 'everything';
  const selector = rule.slice(0, brace).trim();
  const body = rule.slice(brace);
  // A rule overrides only what it declares: one without a picture property changes no picture (most
  // rules CSS-in-JS libraries insert set colours, fonts and boxes). `display` matters for a
  // ::before/::after (it can generate one).
  if (!PICTURE_DECLARATION.test(body) && !(/:(before|after)\b/i.test(selector) && /[{;\s]display\s*:/i.test(body))) return [];
  return [selector];
}

/** A declaration of a property that can give a picture (custom properties can feed one through var()). */
const PICTURE_DECLARATION =
  /[{;\s](background[\w-]*|content|border-image[\w-]*|list-style[\w-]*|-webkit-mask[\w-]*|mask[\w-]*|all|--[\w-]*)\s*:/i;

const IGNORED_AT_RULES = /^@(font-face|namespace|page|counter-style|font-feature-values|font-palette-values)\b/i;

/** Rules that cannot change which picture an element paints. */
const IGNORED_RULES = new Set([
  'CSSFontFaceRule',
  'CSSNamespaceRule',
  'CSSPageRule',
  'CSSCounterStyleRule',
  'CSSFontFeatureValuesRule',
  'CSSFontPaletteValuesRule',
]);

type Change = string[] | 'everything' | 'animations';

/** The Array methods that change an array in place. */
const ARRAY_MUTATORS = ['push', 'pop', 'shift', 'unshift', 'splice', 'fill', 'copyWithin', 'reverse', 'sort'] as const;

/** Installs the hook in `win` (the page's world). */
export function installCssomHook(win: typeof globalThis): void {
  const dispatch = win.EventTarget.prototype.dispatchEvent;
  const Custom = win.CustomEvent;
  const selectors = new Set<string>();
  let everything = false;
  let animations = false;
  let queued = false;
  const flush = () => {
    queued = false;
    const send = (detail: string) => dispatch.call(win.document, new Custom(CSSOM_EVENT, { detail }));
    if (animations) send('animations');
    if (everything || selectors.size > MAX_SELECTORS) send('everything');
    else if (selectors.size > 0) send(JSON.stringify([...selectors]));
    selectors.clear();
    everything = false;
    animations = false;
  };
  const tell = (change: Change) => {
    if (change === 'everything') everything = true;
    else if (change === 'animations') animations = true;
    else for (const s of change) selectors.add(s);
    if (queued) return;
    queued = true;
    queueMicrotask(flush);
  };
  // A hook that throws must not break the page's call: it is only a notice.
  const safely = (what: () => Change) => {
    try {
      tell(what());
    } catch {
      tell('everything');
    }
  };

  const quietly = (what: () => void) => {
    try {
      what();
    } catch {
      // Only a notice: the page's call goes on.
    }
  };

  /** Wraps `proto[name]`; `before` runs before the call (a rule about to go), `after` with its result. */
  const method = (
    proto: object | undefined,
    name: string,
    hooks: { before?: (self: never, args: unknown[]) => Change; after?: (self: never, args: unknown[], result: unknown) => Change },
  ) => {
    const descriptor = proto && Object.getOwnPropertyDescriptor(proto, name);
    const original: unknown = descriptor?.value;
    if (!proto || !descriptor || typeof original !== 'function') return;
    const wrapped = {
      [name](this: never, ...args: unknown[]) {
        if (hooks.before) safely(() => hooks.before?.(this, args) ?? []);
        const result: unknown = Reflect.apply(original, this, args);
        if (hooks.after) safely(() => hooks.after?.(this, args, result) ?? []);
        return result;
      },
    }[name];
    Object.defineProperty(proto, name, { ...descriptor, value: wrapped });
  };
  /** Wraps the setter (and, with `onGet`, the getter) of an accessor on `proto`. */
  const accessor = (
    proto: object | undefined,
    name: string,
    onSet: (self: never) => Change,
    onGet?: (self: never) => Change,
    seeValue?: (value: unknown) => void,
  ) => {
    const descriptor = proto && Object.getOwnPropertyDescriptor(proto, name);
    if (!proto || !descriptor?.get) return;
    const { get, set } = descriptor;
    Object.defineProperty(proto, name, {
      ...descriptor,
      get(this: never) {
        if (onGet) safely(() => onGet(this));
        const value: unknown = Reflect.apply(get, this, []);
        if (seeValue) quietly(() => seeValue(value));
        return value;
      },
      set: set
        ? function (this: never, value: unknown) {
            safely(() => onSet(this));
            Reflect.apply(set, this, [value]);
            safely(() => onSet(this));
          }
        : undefined,
    });
  };

  type RuleList = { cssRules: CSSRuleList };
  // Read from the rule's text, not the new CSSRule: CSS-in-JS libraries insert thousands of rules,
  // and reading each one back through the CSSOM made insertRule about ten times slower.
  const inserted = (_self: never, args: unknown[]) => selectorsOfText(String(args[0]));
  const aboutToGo = (self: RuleList, args: unknown[]) => selectorsOf(self.cssRules[Number(args[0] ?? 0)]);
  const everythingChanges = () => 'everything' as const;
  const ruleOf = (declaration: CSSStyleDeclaration): Change => {
    const rule = declaration.parentRule;
    // An element's own style: the attribute changes, and the mutation observers see that.
    if (!rule) return [];
    return rule.constructor.name === 'CSSStyleRule' ? [(rule as CSSStyleRule).selectorText] : 'everything';
  };

  for (const proto of [win.CSSStyleSheet?.prototype, win.CSSGroupingRule?.prototype, win.CSSStyleRule?.prototype]) {
    method(proto, 'insertRule', { after: inserted });
    method(proto, 'deleteRule', { before: aboutToGo });
  }
  const sheet = win.CSSStyleSheet?.prototype;
  method(sheet, 'addRule', { after: (_self, args) => [String(args[0])] });
  method(sheet, 'removeRule', { before: aboutToGo });
  method(sheet, 'replaceSync', { after: everythingChanges });
  method(sheet, 'replace', {
    after: (_self, _args, result) => {
      if (result instanceof win.Promise)
        result.then(
          () => tell('everything'),
          () => {},
        );
      return [];
    },
  });
  accessor(win.StyleSheet?.prototype, 'disabled', everythingChanges);
  // adoptedStyleSheets: assigning it goes through the setter; `push`, `splice` and the other
  // mutators of the array it returns do not, so each such array (one per document or root, the same
  // object on every read) gets its own wrapped mutators when it is first read.
  const watchedArrays = new WeakSet<object>();
  const watchArray = (list: unknown) => {
    if (typeof list !== 'object' || list === null || watchedArrays.has(list)) return;
    watchedArrays.add(list);
    for (const name of ARRAY_MUTATORS) {
      const original: unknown = Reflect.get(win.Array.prototype, name);
      if (typeof original !== 'function') continue;
      Object.defineProperty(list, name, {
        configurable: true,
        writable: true,
        value(this: unknown, ...args: unknown[]) {
          const result: unknown = Reflect.apply(original, this, args);
          tell('everything');
          return result;
        },
      });
    }
  };
  for (const proto of [win.Document?.prototype, win.ShadowRoot?.prototype]) {
    accessor(proto, 'adoptedStyleSheets', everythingChanges, undefined, watchArray);
  }
  if (win.document) quietly(() => watchArray(win.document.adoptedStyleSheets));
  const media = win.MediaList?.prototype;
  accessor(media, 'mediaText', everythingChanges);
  method(media, 'appendMedium', { after: everythingChanges });
  method(media, 'deleteMedium', { after: everythingChanges });
  // A rule's selector, and its declarations: `rule.style.backgroundImage = ...` sets a property that
  // is no accessor of the prototype, so the rule is looked at when its `style` is read (a
  // declaration kept from an earlier read and set later is not seen: see README).
  const styleRule = win.CSSStyleRule?.prototype;
  accessor(styleRule, 'selectorText', (self: CSSStyleRule) => [self.selectorText]);
  accessor(
    styleRule,
    'style',
    (self: CSSStyleRule) => [self.selectorText],
    (self: CSSStyleRule) => [self.selectorText],
  );
  const declaration = win.CSSStyleDeclaration?.prototype;
  method(declaration, 'setProperty', { after: ruleOf });
  method(declaration, 'removeProperty', { after: ruleOf });
  accessor(declaration, 'cssText', ruleOf);
  // Web Animations start without an event: the isolated world looks for them.
  const animationsChange = () => 'animations' as const;
  method(win.Element?.prototype, 'animate', { after: animationsChange });
  method(win.Animation?.prototype, 'play', { after: animationsChange });
  method(win.KeyframeEffect?.prototype, 'setKeyframes', { after: animationsChange });
}
