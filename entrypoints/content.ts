import { runContent } from '../src/content/run-content';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  main(ctx) {
    runContent(document, ctx.signal).catch((error) => console.warn('[Megane] content script failed', error));
  },
});
