import { installCssomHook } from '../src/content/cssom-hook';

// The page's own world, before its scripts: CSSOM edits and Web Animations announce themselves to
// Megane's content script (src/content/cssom-hook.ts says what and why). Firefox runs MAIN-world
// content scripts from version 128.
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  world: 'MAIN',
  main() {
    installCssomHook(window);
  },
});
