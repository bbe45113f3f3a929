// Where the model host runs, and how the background reaches it. Chrome: an offscreen document, created
// on demand and messaged over the runtime. Firefox: the background page itself has a DOM, so the host
// runs right here, started with the first request and called directly (no hidden tab, no message).
// The background picks one at build time (entrypoints/background.ts, `import.meta.env.FIREFOX`).
import type { BackgroundToOffscreen, BackgroundToOffscreenReplies } from '../messaging/background-offscreen';
import { sendBackgroundToOffscreen } from '../messaging/background-offscreen';
import { dispatch } from '../messaging/protocol';
import type { LocalModelHost } from '../offscreen/local-model-host';
import { closeOffscreenDocument, ensureOffscreenDocument, hasOffscreenDocument } from './offscreen-document';

/** A host running in this page (Firefox): its handlers, and a way to free its models while the page stays. */
export type InPageHost = LocalModelHost;
export type HostHandlers = LocalModelHost['handlers'];

export interface HostLink {
  /** Starts the host when it is not running. */
  start(): Promise<void>;
  /** Whether the host runs now; never starts it. */
  running(): Promise<boolean>;
  /** A request to the host; undefined when no host answered. */
  send<M extends BackgroundToOffscreen>(message: M): Promise<BackgroundToOffscreenReplies[M['type']] | undefined>;
  /** Frees the host's memory (the model is loaded again with the next image), where the browser lets it. */
  stop(): Promise<void>;
  /** What "the host is not there yet" looks like from `send` (Chrome: the document is still loading). */
  notThereYet(error: unknown): boolean;
}

/** Chrome: the host lives in the offscreen document. */
export const offscreenHostLink = (): HostLink => ({
  start: ensureOffscreenDocument,
  running: hasOffscreenDocument,
  send: (message) => sendBackgroundToOffscreen(message),
  stop: closeOffscreenDocument,
  notThereYet: (error) => String(error).includes('Receiving end does not exist'),
});

/**
 * Firefox: the host lives in this page, made by `create` on the first request and called directly.
 * `stop` (the "Keep the model loaded" time running out) frees its models, which load again with the
 * next image; the page itself stays.
 */
export function inPageHostLink(create: () => Promise<InPageHost>): HostLink {
  let host: ReturnType<typeof create> | null = null;
  const started = () => {
    host ??= create().catch((error: unknown) => {
      host = null;
      throw error;
    });
    return host;
  };
  return {
    start: async () => void (await started()),
    running: async () => host !== null,
    send: async (message) => dispatch((await started()).handlers, message),
    stop: async () => {
      (await host?.catch(() => null))?.unload();
    },
    notThereYet: () => false,
  };
}
