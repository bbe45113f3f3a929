// The toolbar button's face on each tab: how many images are covered there (the badge, unless the user
// turned it off), and a dimmed icon with a tooltip that says so where Megane is not filtering (switched
// off, or off on the tab's site). Set per tab, so each tab shows its own.
import { i18n } from '#i18n';
import type { FrameStats } from '../messaging/content-background';
import type { Settings } from '../settings/schema';
import { isPaused } from '../settings/pause';
import { isFilteredOn } from '../settings/site-rules';
import { timeText } from '../util/time-text';

/** Why Megane is or is not filtering a tab. */
export type Filtering = 'on' | 'off' | 'paused' | 'off-on-site';

export interface ButtonFace {
  /** The badge's text; '' shows none. */
  badge: string;
  /** The tooltip, in the user's language. */
  title: string;
  /** The dimmed icon. */
  dimmed: boolean;
}

/** Largest count the badge spells out (it has room for about four characters). */
const MAX_SHOWN = 999;

export function filteringOf(
  url: string | undefined,
  settings: Pick<Settings, 'enabled' | 'siteRules' | 'pausedUntil'>,
  now = Date.now(),
): Filtering {
  if (!settings.enabled) return 'off';
  if (isPaused(settings, now)) return 'paused';
  return url === undefined || isFilteredOn(url, settings, now) ? 'on' : 'off-on-site';
}

/** Whether a settings change can change any tab's face (the slider or a tag's threshold cannot). */
export function faceSettingsChanged(before: Settings, next: Settings): boolean {
  return (
    before.enabled !== next.enabled ||
    before.showBadge !== next.showBadge ||
    before.pausedUntil !== next.pausedUntil ||
    JSON.stringify(before.siteRules) !== JSON.stringify(next.siteRules)
  );
}

export function buttonFace(filtering: Filtering, stats: FrameStats | null, showBadge: boolean, pausedUntil = 0): ButtonFace {
  if (filtering === 'off') return { badge: '', title: i18n.t('background.toolbar.off'), dimmed: true };
  if (filtering === 'paused') return { badge: '', title: i18n.t('background.toolbar.paused', [timeText(pausedUntil)]), dimmed: true };
  if (filtering === 'off-on-site') return { badge: '', title: i18n.t('background.toolbar.offOnSite'), dimmed: true };
  const covered = stats?.covered ?? 0;
  const count = covered > MAX_SHOWN ? `${MAX_SHOWN}+` : String(covered);
  return {
    badge: showBadge && covered > 0 ? count : '',
    title: covered === 0 ? i18n.t('background.toolbar.noneCovered') : i18n.t('background.toolbar.covered', covered, [count]),
    dimmed: false,
  };
}

/** The parts of `browser.action` the button uses. */
export interface ActionApi {
  setBadgeText(details: { tabId: number; text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setTitle(details: { tabId: number; title: string }): Promise<void>;
  setIcon(details: { tabId: number; path: Record<string, string> }): Promise<void>;
}

const ICON_SIZES = [16, 32, 48, 128] as const;
const iconPaths = (folder: 'icon' | 'icon-off'): Record<string, string> =>
  Object.fromEntries(ICON_SIZES.map((size) => [String(size), `/${folder}/${size}.png`]));

export interface ToolbarButtonDeps {
  action: ActionApi;
  settings(): Promise<Settings>;
  tabStats(tabId: number): Promise<FrameStats | null>;
  /** The tab's URL, undefined when the tab is gone or has none. */
  tabUrl(tabId: number): Promise<string | undefined>;
}

export function createToolbarButton(deps: ToolbarButtonDeps) {
  /** What each tab shows now, so an unchanged face costs no call into the browser. */
  const shown = new Map<number, string>();
  // One colour for every tab's badge, set once for the whole button.
  deps.action.setBadgeBackgroundColor({ color: '#3a4ec4' }).catch(() => {});
  return {
    /** Shows `tabId`'s face as its counts and the settings are now. Never throws (the tab may be gone). */
    async refresh(tabId: number): Promise<void> {
      try {
        const settings = await deps.settings();
        const face = buttonFace(
          filteringOf(await deps.tabUrl(tabId), settings),
          await deps.tabStats(tabId),
          settings.showBadge,
          settings.pausedUntil,
        );
        const key = JSON.stringify(face);
        if (shown.get(tabId) === key) return;
        shown.set(tabId, key);
        await Promise.all([
          deps.action.setBadgeText({ tabId, text: face.badge }),
          deps.action.setTitle({ tabId, title: face.title }),
          deps.action.setIcon({ tabId, path: iconPaths(face.dimmed ? 'icon-off' : 'icon') }),
        ]);
      } catch {
        shown.delete(tabId);
      }
    },
    /** The browser resets a tab's button when it navigates: the next refresh sets it again. */
    forget(tabId: number): void {
      shown.delete(tabId);
    },
  };
}
