// The demo's kinds page (test/fixtures/demo/kinds.html) as the Chromium and Firefox tests see it.

/** Elements on kinds.html that show an ordinary image and must end up shown. */
export const SAFE_KINDS = [
  'plain',
  'srcset',
  'picture',
  'bg',
  'bg-pseudo',
  'bg-inline',
  'poster',
  'svg-image',
  'input-image',
  'link-img',
  'data-url',
  'blob',
  'dynamic',
  'changes',
];

/** Page-world check that the page's late images are in (dynamic, changed, blob): the page is complete. */
export const kindsReady = (): boolean => {
  const demo = (window as unknown as { meganeDemo?: Record<string, boolean> }).meganeDemo;
  return Boolean(demo?.dynamicAdded && demo.changed && demo.blobReady);
};
