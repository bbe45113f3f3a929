// What the four channels share. Every message names its channel (the direction it travels) and its
// type; each channel's reply map gives the answer to each type, and both ends are typed by that map:
// the channel's send function computes the reply type from the request, and its handlers must answer
// with that type.
import { type Browser, browser } from 'wxt/browser';

export type Channel = 'content->background' | 'background->offscreen' | 'popup->background' | 'background->content';

/** Any channel's request union: each member has the channel and a `type`. */
export interface Request {
  channel: Channel;
  type: string;
}

/** A reply map: for each request type of a channel, the type of its answer. */
export type Replies<R extends Request> = Record<R['type'], unknown>;

/** One handler per request type, each answering with its type's reply. */
export type Handlers<R extends Request, Map extends Replies<R>> = {
  [T in R['type']]: (message: Extract<R, { type: T }>) => Promise<Map[T]>;
};

/** Runs the handler of a validated message's type. */
export function dispatch<R extends Request, Map extends Replies<R>>(handlers: Handlers<R, Map>, message: R): Promise<Map[R['type']]> {
  // TypeScript cannot correlate the message with its handler through the union; the Handlers type
  // above is what guarantees they match.
  const handler = handlers[message.type as R['type']] as (message: R) => Promise<Map[R['type']]>;
  return handler(message);
}

export type MessageSender = Browser.runtime.MessageSender;

/**
 * A channel's send over runtime.sendMessage: resolves to the reply its map gives the request's type,
 * or undefined when no one answered.
 */
export function runtimeSender<R extends Request, Map extends Replies<R>>() {
  return async <M extends R>(message: M): Promise<Map[M['type']] | undefined> => {
    const reply: unknown = await browser.runtime.sendMessage(message);
    // The one cast of each channel: its receiver's handlers are typed by the same reply map.
    return reply as Map[M['type']] | undefined;
  };
}

/**
 * A runtime.onMessage listener from a function that answers a message with a promise, or with
 * undefined when the message is not its own (another listener may answer it). runtime.onMessage
 * answers through sendResponse, kept open by returning true. A handler that fails answers undefined,
 * which every sender reads as "no answer".
 */
export function answeringListener(handle: (message: unknown, sender: MessageSender) => Promise<unknown> | undefined) {
  return (message: unknown, sender: MessageSender, sendResponse: (reply?: unknown) => void): boolean => {
    const reply = handle(message, sender);
    if (reply === undefined) return false;
    reply.then(sendResponse, (error: unknown) => {
      console.warn('[Megane] a message handler failed:', error);
      sendResponse(undefined);
    });
    return true;
  };
}
