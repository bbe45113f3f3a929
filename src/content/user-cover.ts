// Asks the background to put the cover stylesheet into this frame's document as user-origin CSS (see
// src/background/user-cover.ts), in the user's cover style, or to take it out when Megane is switched
// off here. Requests go out one after the other, so a quick off-on-off ends where the user left it. A
// new style goes in before the old one comes out, so the frame is never without a user sheet.
import { sendContentToBackground } from '../messaging/content-background';
import type { CoverStyle } from '../settings/schema';

export interface UserCover {
  /** Resolves once the background answered (or could not be reached). */
  set(on: boolean, style?: CoverStyle): Promise<void>;
}

export function createUserCover(send: typeof sendContentToBackground = sendContentToBackground): UserCover {
  /** The style whose sheet is in (or asked for), null when none is. */
  let inserted: CoverStyle | null = null;
  let queue: Promise<void> = Promise.resolve();
  const ask = (on: boolean, style: CoverStyle) => {
    // A frame the background cannot reach still has the <style> cover.
    queue = queue.then(() =>
      send({ channel: 'content->background', type: 'user-cover', on, style }).then(
        () => undefined,
        () => undefined,
      ),
    );
  };
  return {
    set(on, style = inserted ?? 'blur') {
      const before = inserted;
      if (on) {
        if (before === style) return queue;
        inserted = style;
        ask(true, style);
        if (before !== null) ask(false, before);
      } else if (before !== null) {
        inserted = null;
        ask(false, before);
      }
      return queue;
    },
  };
}
