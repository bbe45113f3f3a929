import { raiseCanvasFlag } from '../src/content/canvas-flag';

// Registered by the background only while "Check drawings on canvas" is on (src/background/
// canvas-script.ts): says so to the content script before the settings load (src/content/canvas-flag.ts).
export default defineContentScript({
  registration: 'runtime',
  matches: ['<all_urls>'],
  main() {
    raiseCanvasFlag();
  },
});
