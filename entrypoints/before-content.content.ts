import { installCssomHook } from '../src/content/cssom-hook';
import { loadObjectsInPageWorld } from '../src/content/object-loader';
import { installShadowRootHook } from '../src/content/shadow-root-hook';

// Megane's part in the page's own world, at document_start before the page's scripts:
// - CSSOM edits and Web Animations announce themselves to Megane's content script
//   (src/content/cssom-hook.ts says what and why);
// - a shadow root attached to an element already on the page announces itself at once
//   (src/content/shadow-root-hook.ts);
// - <object>/<embed> loads start here, under the page's policy (src/content/object-loader.ts).
// It must run before Megane's content script, so that its observer sees an <object> first: WXT lists
// content scripts by entrypoint name, hence this file's. Firefox runs MAIN-world scripts from 128.
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  world: 'MAIN',
  main() {
    installCssomHook(window);
    installShadowRootHook(window);
    loadObjectsInPageWorld(document);
  },
});
