// The content script's life in one frame: cover at once, read settings, then either run the scanner
// or take everything back out (switched off, or the site is allow-listed). Only the user's settings
// take the cover off: `signal` ends Megane's work in the frame (its scanner and watchers) and leaves
// the cover and every state where they are, so an abort, whoever causes it, uncovers nothing. Settings changes apply
// live: on/off and site rules start or stop the scanner, a threshold change re-decides from cached
// scores, a model or size change re-checks, and a newly trained personal model re-scores the page's
// images in place while a learned tag is hidden.
import { isPaused } from '../settings/pause';
import { isFilteredOn } from '../settings/site-rules';
import { loadPersonalStatuses, watchPersonalStatuses, type PersonalStatuses } from '../personal/personal-status';
import { hidesLearnedTags, neededDetectors } from '../tags/tag-rules';
import type { Settings } from '../settings/schema';
import { loadSettings, watchSettings } from '../settings/store';
import { createClassifyClient } from './classify-client';
import { clearStates } from './cover-style';
import { installCoverStyleKept, type KeptCover } from './frames';
import { startPrecover } from './precover';
import { watchAttachedRoots } from './shadow-roots';
import { startScanner, type Scanner } from './scanner';
import { createUserCover } from './user-cover';

export async function runContent(doc: Document, signal: AbortSignal): Promise<void> {
  // Installed before anything else so no image paints uncovered while settings load.
  let cover: KeptCover | null = installCoverStyleKept(doc);
  let precover: AbortController | null = startPrecoverUntil(doc, signal);
  // Roots attached while Megane is off here (paused, a site allowed) are still noted (with an empty
  // sheet), so they are covered the moment it is back on.
  watchAttachedRoots(doc, signal);
  const client = createClassifyClient();
  const userCover = createUserCover();
  const pageUrl = topLevelUrl(doc);
  /** `scoredVersion`: the personal model version the page's scores were asked for with. */
  let session: { controller: AbortController; scanner: Scanner; settings: Settings; scoredVersion: number | null } | null = null;
  let statuses: PersonalStatuses = {};
  const personalVersion = (settings: Settings) => statuses[settings.model]?.version ?? null;

  /** Scores made before the current personal model miss what it learned: ask again, if it matters here. */
  const refreshIfStale = () => {
    if (!session || !hidesLearnedTags(session.settings)) return;
    const current = personalVersion(session.settings);
    if (current === session.scoredVersion) return;
    session.scoredVersion = current;
    session.scanner.refresh(session.settings);
  };

  /** The end of a pause: nothing in storage changes then, so the frame looks again by itself. */
  let pauseEnd: ReturnType<typeof setTimeout> | undefined;
  const apply = (settings: Settings) => {
    clearTimeout(pauseEnd);
    if (isPaused(settings)) pauseEnd = setTimeout(() => !signal.aborted && apply(settings), settings.pausedUntil - Date.now() + 20);
    const on = isFilteredOn(pageUrl, settings);
    if (!on) {
      session?.controller.abort();
      session = null;
      precover?.abort();
      precover = null;
      // The user sheet goes first: while it is in, an image without a state stays covered.
      void userCover.set(false).then(() => {
        if (session) return;
        cover?.remove();
        cover = null;
        clearStates(doc);
      });
      return;
    }
    if (!session) {
      cover ??= installCoverStyleKept(doc);
      cover.setStyle(settings.coverStyle);
      void userCover.set(true, settings.coverStyle);
      precover ??= startPrecoverUntil(doc, signal);
      const controller = new AbortController();
      signal.addEventListener('abort', () => controller.abort(), { once: true, signal: controller.signal });
      session = {
        controller,
        settings,
        scoredVersion: personalVersion(settings),
        scanner: startScanner(doc, settings, client, controller.signal),
      };
      return;
    }
    // The cover's look follows the setting at once (the <style>, the shadow roots, the user sheet).
    cover?.setStyle(settings.coverStyle);
    void userCover.set(true, settings.coverStyle);
    const before = session.settings;
    session.settings = settings;
    const rescan =
      before.model !== settings.model ||
      before.minImageSize !== settings.minImageSize ||
      neededDetectors(before).join() !== neededDetectors(settings).join();
    if (rescan) {
      session.scoredVersion = personalVersion(settings);
      session.scanner.rescan(settings);
    } else session.scanner.reapply(settings);
    refreshIfStale();
  };

  // Unreadable statuses read as "nothing trained": the page is still filtered.
  const [settings, stored] = await Promise.all([loadSettings(), loadPersonalStatuses().catch(() => ({}))]);
  statuses = stored;
  apply(settings);
  if (signal.aborted) return;
  watchSettings(apply, signal);
  watchPersonalStatuses((next) => {
    statuses = next;
    refreshIfStale();
  }, signal);
}

function startPrecoverUntil(doc: Document, signal: AbortSignal): AbortController {
  const controller = new AbortController();
  signal.addEventListener('abort', () => controller.abort(), { once: true, signal: controller.signal });
  startPrecover(doc, controller.signal);
  return controller;
}

/** Site rules follow the page the user is on, so frames use the top-level page's origin. */
function topLevelUrl(doc: Document): string {
  const ancestors = doc.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[ancestors.length - 1] ?? doc.location.href;
  return doc.location.href;
}
