// A DevTools session on the extension's offscreen document, which Playwright lists as no page: reached
// through the browser's target list and spoken to with Target.sendMessageToTarget.
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './browser';

export interface OffscreenSession {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

/** `page`: any page of the browser, whose DevTools session lists the targets. */
export function offscreenSession(browser: ExtensionBrowser, page: Page): Promise<OffscreenSession> {
  return extensionTargetSession(browser, page, 'offscreen.html');
}

/** A DevTools session on the extension's target at `path` (offscreen.html, background.js). */
export async function extensionTargetSession(browser: ExtensionBrowser, page: Page, path: string): Promise<OffscreenSession> {
  const cdp = await browser.context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  // The URL may carry a query (the benchmark's reference extension names its backend there).
  const url = browser.extensionUrl(path);
  const target = targetInfos.find((t) => t.url === url || t.url.startsWith(`${url}?`));
  if (!target) throw new Error(`no extension target at ${path}`);
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
    const pending = message.id === undefined ? undefined : waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id as number);
    if (message.error) pending.reject(new Error(message.error.message));
    else pending.resolve(message.result);
  });
  return {
    send(method, params = {}) {
      const id = ++next;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
      });
    },
    close: () => cdp.detach().catch(() => {}),
  };
}
