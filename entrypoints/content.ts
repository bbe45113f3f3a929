import { runContent } from '../src/content/run-content';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  // about:blank and srcdoc frames, and (as the fallback to their creator's origin) data: and blob:
  // frames, which <all_urls> does not match.
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  main(ctx) {
    runContent(document, ctx.signal).catch((error) => console.warn('[Megane] content script failed', error));
  },
});
