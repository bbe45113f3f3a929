// Asks the background to put the cover stylesheet into this frame's document as user-origin CSS (see
// src/background/user-cover.ts), or to take it out when Megane is switched off here. Requests go out
// one after the other, so a quick off-on-off ends where the user left it.
import { sendContentToBackground } from '../messaging/content-background';

export interface UserCover {
  /** Resolves once the background answered (or could not be reached). */
  set(on: boolean): Promise<void>;
}

export function createUserCover(send: typeof sendContentToBackground = sendContentToBackground): UserCover {
  let wanted = false;
  let queue: Promise<void> = Promise.resolve();
  return {
    set(on) {
      if (on === wanted) return queue;
      wanted = on;
      // A frame the background cannot reach still has the <style> cover.
      queue = queue.then(() =>
        send({ channel: 'content->background', type: 'user-cover', on }).then(
          () => undefined,
          () => undefined,
        ),
      );
      return queue;
    },
  };
}
