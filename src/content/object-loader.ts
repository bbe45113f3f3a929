// Chromium applies the isolated world's CSP (`object-src 'self'`, which every extension gets) to an
// <object> or <embed> whose load starts while Megane's content script lays the page out: the page's
// picture is then blocked for good ("Loading plugin data ... violates ... object-src 'self'") and the
// element stays empty. This runs in the page's own world (the MAIN-world content script) at
// document_start: each <object>/<embed> is laid out here as soon as it is inserted or pointed
// elsewhere, so its load starts under the page's own policy, before any slice of Megane's looks at it.

const PLUGIN_ELEMENTS = 'object, embed';

export function loadObjectsInPageWorld(doc: Document): void {
  // Taken now, before the page's scripts run: a page that replaces the method later cannot stop this.
  const rectOf = doc.defaultView?.Element.prototype.getBoundingClientRect;
  if (!rectOf) return;
  const layOut = (el: Element) => void rectOf.call(el);
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') {
        if (record.target instanceof Element && record.target.matches(PLUGIN_ELEMENTS)) layOut(record.target);
        continue;
      }
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches(PLUGIN_ELEMENTS)) layOut(node);
        // Only when the subtree holds one: most insertions lay nothing out here.
        const inside = node.querySelector(PLUGIN_ELEMENTS);
        if (inside) for (const el of node.querySelectorAll(PLUGIN_ELEMENTS)) layOut(el);
      }
    }
  });
  observer.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: ['data', 'src', 'type'] });
}
