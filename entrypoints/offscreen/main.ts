// Chrome's offscreen document: it holds the model host (src/offscreen/local-model-host.ts) and
// answers the background. Only the runtime API exists here.
import { browser } from 'wxt/browser';
import { answeringListener } from '../../src/messaging/protocol';
import { createLocalModelHost } from '../../src/offscreen/local-model-host';
import { handleOffscreenMessage } from '../../src/offscreen/offscreen-handlers';

const { handlers } = createLocalModelHost();
browser.runtime.onMessage.addListener(answeringListener((message, sender) => handleOffscreenMessage(handlers, message, sender)));
