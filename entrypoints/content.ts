import { runContent } from '../src/content/run-content';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  // about:blank and srcdoc frames, and (as the fallback to their creator's origin) data: and blob:
  // frames, which <all_urls> does not match.
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  // WXT's `ctx.signal` is deliberately unused: any page script can abort it (WXT posts the name of its
  // content-script-started event to the page, and a foreign messageId in that event aborts the
  // context). Megane runs for the document's whole life instead. When the extension itself goes away
  // (reload, update, removal) its requests fail, so images found afterwards end covered as "couldn't
  // check"; nothing is ever uncovered except by the user's settings or clicks.
  main() {
    runContent(document, new AbortController().signal).catch((error) => console.warn('[Megane] content script failed', error));
  },
});
