// A DevTools session on the extension's offscreen document (or its model workers), which Playwright
// lists as no page: reached through the browser's target list and spoken to with
// Target.sendMessageToTarget.
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
  const session = relayedSession(
    (message) => cdp.send('Target.sendMessageToTarget', { sessionId, message }),
    (listener) => cdp.on('Target.receivedMessageFromTarget', (event) => event.sessionId === sessionId && listener(event.message)),
    () => cdp.detach().catch(() => {}),
  );
  return session;
}

/**
 * DevTools sessions on the offscreen document and its model workers (inference-worker.js), which the
 * browser's own target list does not let us speak to: attached through the document's session
 * (auto-attach to its workers) and spoken to through it. `close` ends them all. (Runtime.queryObjects
 * on the document itself never answered here with its model workers running; in a worker it does.)
 */
export async function modelWorkerSessions(
  browser: ExtensionBrowser,
  page: Page,
): Promise<{ document: OffscreenSession; workers: OffscreenSession[]; close(): Promise<void> }> {
  const cdp = await browser.context.newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const document = targetInfos.find((t) => t.url === browser.extensionUrl('offscreen.html'));
  if (!document) throw new Error('no offscreen document');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: document.targetId, flatten: false });
  const workerIds: string[] = [];
  const listeners: ((message: { method?: string; params?: Record<string, unknown> }) => void)[] = [];
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { method?: string; params?: Record<string, unknown> };
    if (message.method === 'Target.attachedToTarget') {
      const { sessionId: id, targetInfo } = message.params as { sessionId: string; targetInfo: { url: string } };
      if (targetInfo.url === browser.extensionUrl('inference-worker.js')) workerIds.push(id);
    }
    for (const listener of listeners) listener(message);
  });
  const documentSession = relayedSession(
    (message) => cdp.send('Target.sendMessageToTarget', { sessionId, message }),
    (listener) => listeners.push((message) => listener(JSON.stringify(message))),
    () => cdp.detach().catch(() => {}),
  );
  // The workers already running are announced before this answers.
  await documentSession.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const workers = workerIds.map((workerId) =>
    relayedSession(
      (message) => documentSession.send('Target.sendMessageToTarget', { sessionId: workerId, message }),
      (listener) =>
        listeners.push(({ method, params }) => {
          if (method === 'Target.receivedMessageFromTarget' && params?.sessionId === workerId) listener(params.message as string);
        }),
      async () => {},
    ),
  );
  return { document: documentSession, workers, close: documentSession.close };
}

/** A DevTools session whose messages travel inside another's (Target.sendMessageToTarget), as JSON strings. */
function relayedSession(
  post: (message: string) => Promise<unknown>,
  subscribe: (listener: (message: string) => void) => void,
  close: () => Promise<void>,
): OffscreenSession {
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  subscribe((text) => {
    const message = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string } };
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
        post(JSON.stringify({ id, method, params })).catch(reject);
      });
    },
    close,
  };
}
