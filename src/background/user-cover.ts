// The cover stylesheet as user-origin CSS in one frame's document. The content script's own <style>
// is author CSS, which the page's CSS can beat (`!important`, `@layer`, an inline `!important`); a
// user `!important` declaration beats every author one, so with this sheet in, no page CSS takes the
// blur off. The content script's <style> still covers the first paint, before this arrives.
import { browser } from 'wxt/browser';
import { coverCss } from '../content/cover-style';
import type { CoverStyle } from '../settings/schema';
import { errorText } from '../util/checks';
import type { FrameTarget } from './router';

/** Puts the cover in `style` into the frame as user CSS, or takes that sheet out (removeCSS needs the same text). */
export async function setUserCover(frame: FrameTarget, on: boolean, style: CoverStyle = 'blur'): Promise<boolean> {
  // The exact document where Chromium names it (a frame that navigated meanwhile gets nothing);
  // the frame otherwise (Firefox).
  const target = frame.documentId
    ? { tabId: frame.tabId, documentIds: [frame.documentId] }
    : { tabId: frame.tabId, frameIds: [frame.frameId] };
  const injection = { target, css: coverCss(style), origin: 'USER' as const };
  try {
    await (on ? browser.scripting.insertCSS(injection) : browser.scripting.removeCSS(injection));
    return true;
  } catch (error) {
    console.warn(`[Megane] couldn't ${on ? 'insert' : 'remove'} the cover stylesheet: ${errorText(error)}`);
    return false;
  }
}
