// The order the model host takes checks in, across tabs: each frame's own queue (request-queue.ts)
// already sends the images nearest its viewport first, but twenty tabs share one model. So a job
// carries where its image was when it was asked for and which tab asked (active-tabs.ts follows which
// tabs are active now): the active tab's images in view go first, then near, then far; any other
// tab's wait behind them in the same order. It is worked out each time a queue picks, so a tab the
// user switches to goes first from then on.
import type { Place } from '../messaging/content-background';

/** Lower goes first. */
export type Priority = number;

/** 0–2 for the active tab's images (in view, near, far), 3–5 for another tab's; an unknown place counts as near. */
export function checkPriority(place: Place | undefined, tabActive: boolean): Priority {
  return (place ?? 1) + (tabActive ? 0 : 3);
}
