// Wiring only: the background's parts live in src/background/.
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import { syncCanvasScript } from '../src/background/canvas-script';
import { createClassifyService, fetchesAnonymously, ofTab } from '../src/background/classify-service';
import { installContextMenu } from '../src/background/context-menu';
import { createDailyStatsStore } from '../src/background/daily-stats-store';
import { STATS_KEY } from '../src/stats/daily-stats';
import { watchLocalKey } from '../src/util/watch-local-key';
import { createFrameStatsStore } from '../src/background/frame-stats-store';
import { markModelUsed, watchIdle } from '../src/background/idle-close';
import { createLiveSettings } from '../src/background/live-settings';
import { createMarkService } from '../src/background/mark-service';
import { markFromContextMenu } from '../src/background/mark-from-context-menu';
import { createHostClient } from '../src/background/model-host-client';
import { inPageHostLink, offscreenHostLink } from '../src/background/host-link';
import { createActiveTabTracker } from '../src/background/active-tab-tracker';
import { openOnce } from '../src/background/open-once';
import { downloadWithReferer } from '../src/background/referer-rules';
import { personalDirtyFlag } from '../src/background/personal-dirty-flag';
import { handleMessage, type RouterDeps } from '../src/background/router';
import { createScoreCache } from '../src/background/score-cache';
import { createTrainingScheduler } from '../src/background/training-scheduler';
import { setUserCover } from '../src/background/user-cover';
import { createToolbarButton, faceSettingsChanged } from '../src/background/toolbar-button';
import { openWelcomeOnce, WELCOME_PAGE } from '../src/background/first-run';
import { REVEAL_UNDER_POINTER, TOGGLE_PAUSE, TOGGLE_SITE, toggleSite } from '../src/background/shortcuts';
import { sendBackgroundToContent } from '../src/messaging/background-content';
import { isPaused, RESUME, togglePause } from '../src/settings/pause';
import { PAUSE_END_ALARM, schedulePauseEnd } from '../src/background/pause-end';
import { forgetIfLastPrivateClosed, NOTHING_KEPT } from '../src/background/private-windows';
import { updateSettings } from '../src/settings/store';
import { lockGuard } from '../src/lock/locked-write';
import { watchPendingChanges } from '../src/background/pending-changes';
import { hostOf } from '../src/settings/site-rules';
import { openMarkStore } from '../src/marks/mark-store';
import { FETCH_REFUSED } from '../src/messaging/background-offscreen';
import type { MarkReply } from '../src/messaging/content-background';
import type { MarkAction } from '../src/marks/mark-types';
import { answeringListener } from '../src/messaging/protocol';

/** Quiet time after the last mark before the personal model retrains. */
const TRAIN_DELAY_MS = 3_000;

export default defineBackground(() => {
  // Read a message before any extension page opens: Chromium 156 launched with --load-extension gave
  // every page and this worker empty messages (getMessage '') in about half of the fresh installs
  // when the first-run page opened before anything had read one; a read here made it 6 of 6.
  i18n.t('extName');
  // Chrome runs the models in an offscreen document; Firefox's background page has a DOM, so they run
  // here (chosen at build time: the other browser's wiring is not in the bundle).
  const { scoreInHost, captureInHost, trainInHost, hostStatus, tellTabsActive, stop } = createHostClient(
    import.meta.env.FIREFOX
      ? inPageHostLink(async () => (await import('../src/offscreen/local-model-host')).createLocalModelHost())
      : offscreenHostLink(),
  );
  // Chromium shares storage.session between the regular and the incognito background: the incognito
  // one keeps its scores and counts in memory only, or it would overwrite (and leak into) the regular one's.
  const session = browser.extension.inIncognitoContext ? NOTHING_KEPT : browser.storage.session;
  const cache = createScoreCache(session, { maxEntries: 5000, failureTtlMs: 60_000 });
  const stats = createFrameStatsStore(session);
  // The statistics keep nothing from private windows: the incognito profile's worker (split mode) has none.
  const daily = browser.extension.inIncognitoContext
    ? null
    : createDailyStatsStore({
        storage: browser.storage.local,
        // Each write wakes every frame's storage watcher (settings): tallies are summed for 5 s.
        delayMs: 5_000,
      });
  void daily?.prune();
  watchLocalKey(STATS_KEY, (value) => value === undefined && daily?.dropWaiting(), new AbortController().signal);
  const live = createLiveSettings({
    onCustomTagsChanged: (tags) => void installContextMenu(tags),
    // The canvas flag script is registered exactly while canvases are checked.
    onCheckCanvases: (on) => void syncCanvasScript(on),
    // The switch, a site's rule or the badge setting changes what every tab's button shows; a slider does not.
    onChanged: (before, next) => {
      // The end of a pause changes nothing in storage: an alarm then shows every tab's button again.
      if (before.pausedUntil !== next.pausedUntil) void schedulePauseEnd(next.pausedUntil);
      if (faceSettingsChanged(before, next)) refreshAll();
    },
    signal: new AbortController().signal,
  });
  const button = createToolbarButton({
    action: browser.action,
    settings: live.settings,
    tabStats: stats.total,
    tabUrl: async (tabId) => (await browser.tabs.get(tabId)).url,
  });
  const classify = createClassifyService({
    cache,
    config: live.hostConfig,
    score: (url, config, scope, signal, where) => {
      markModelUsed();
      // Again with the page's Referer, as its own load had, when the host refused it without (hotlink protection).
      return downloadWithReferer(
        url,
        scope.site,
        () =>
          scoreInHost(url, config, signal, {
            ...where,
            ...(fetchesAnonymously(scope, import.meta.env.FIREFOX) ? { anonymous: true } : {}),
          }),
        (result) => !result.ok && result.error === FETCH_REFUSED,
      );
    },
  });
  watchIdle(async () => (await live.settings()).keepModelMinutes, stop);
  // Changes the lock held back for a cool-down apply when due, also after a restart of this worker.
  watchPendingChanges(new AbortController().signal);

  const training = createTrainingScheduler({
    delayMs: TRAIN_DELAY_MS,
    dirty: personalDirtyFlag,
    train: async () => {
      const { model } = await live.settings();
      markModelUsed();
      await live.recordTraining(model, await trainInHost(model));
    },
  });
  void training.resume();
  const marks = createMarkService({
    store: openOnce(() => openMarkStore()),
    capture: async (url) => {
      markModelUsed();
      // Faces too: their boxes become the annotation regions of the exported dataset.
      return captureInHost(url, { ...(await live.hostConfig()), detectors: ['faces'] });
    },
    changed: () => training.schedule(),
  });

  /**
   * Firefox has no split mode: a private window's mark would go to the regular profile's IndexedDB,
   * on disk. There it is refused, with a reason the mark buttons show. (Chrome's private windows
   * have a Megane of their own, whose storage is in memory.)
   */
  const markUnlessPrivate = (url: string, pageUrl: string, action: MarkAction, incognito: boolean, tabId?: number): Promise<MarkReply> =>
    import.meta.env.FIREFOX && incognito
      ? Promise.resolve({ ok: false, error: i18n.t('background.marks.notInPrivate') })
      : marks.mark(url, pageUrl, action, tabId);
  const deps: RouterDeps = {
    classify: classify.classify,
    release: classify.release,
    reportStats: async (tabId, frameId, frameStats) => {
      await stats.report(tabId, frameId, frameStats);
      void button.refresh(tabId);
    },
    tabStats: stats.total,
    recordTally: (tally) => daily?.add(tally),
    clearStats: async () => {
      if (daily) await daily.clear();
      else await browser.storage.local.remove(STATS_KEY);
    },
    modelStatus: async () => hostStatus(await live.hostConfig()),
    mark: (url, pageUrl, action, tabId, incognito) => markUnlessPrivate(url, pageUrl, action, incognito, tabId),
    marksFor: marks.marksFor,
    marksChanged: () => training.schedule(),
    trainNow: async () => {
      training.schedule();
      await training.settled();
    },
    userCover: setUserCover,
  };
  browser.runtime.onMessage.addListener(answeringListener((message, sender) => handleMessage(deps, message, sender)));
  browser.tabs.onRemoved.addListener((tabId) => {
    // A closed tab's checks stop in the host, unless another tab waits for the same image.
    classify.releaseWhere(ofTab(tabId));
    void stats.forgetTab(tabId);
    button.forget(tabId);
  });
  const activeTabs = createActiveTabTracker((changes) => void tellTabsActive(changes));
  void browser.tabs.query({ active: true }).then(
    (tabs) => activeTabs.seed(tabs),
    () => {},
  );
  browser.tabs.onActivated.addListener(({ tabId, windowId }) => activeTabs.activated(tabId, windowId));
  browser.windows.onRemoved.addListener((windowId) => {
    activeTabs.windowClosed(windowId);
    // What private windows showed is forgotten with the last of them (Firefox keeps one background for both).
    void forgetIfLastPrivateClosed(
      windowId,
      () => browser.windows.getAll(),
      () => cache.dropPrivate(),
    );
  });
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading') {
      // A new page: its counts start again.
      button.forget(tabId);
      void stats.forgetTab(tabId).then(() => button.refresh(tabId));
    } else if (change.status === 'complete') {
      // The browser resets a tab's button when the new page commits, which may be after "loading"
      // (while the tab still showed the old address): set it again for the page now shown.
      button.forget(tabId);
      void button.refresh(tabId);
    }
  });

  browser.runtime.onInstalled.addListener((details) => {
    void live.settings().then((s) => installContextMenu(s.customTags));
    void openWelcomeOnce(details, {
      storage: browser.storage.local,
      open: () => browser.tabs.create({ url: browser.runtime.getURL(WELCOME_PAGE) }),
    }).catch(() => {});
  });
  browser.contextMenus.onClicked.addListener(markFromContextMenu(markUnlessPrivate));
  /** Every tab's toolbar button as the settings are now. */
  function refreshAll(): void {
    void browser.tabs.query({}).then((tabs) => tabs.forEach((tab) => tab.id !== undefined && button.refresh(tab.id)));
  }
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== PAUSE_END_ALARM) return;
    // A pause that ran out is written as over: every frame hears that, even one whose own timer slept
    // (a laptop closed during the pause, a frozen tab).
    void updateSettings((current) => (current.pausedUntil !== 0 && !isPaused(current) ? RESUME : {}))
      .catch(() => {})
      .then(refreshAll);
  });
  browser.commands.onCommand.addListener((command, tab) => {
    if (command === REVEAL_UNDER_POINTER) {
      if (tab?.id !== undefined)
        void sendBackgroundToContent({ tabId: tab.id }, { channel: 'background->content', type: 'reveal-under-pointer' }).catch(() => {});
      return;
    }
    if (command === TOGGLE_PAUSE) {
      // Pausing shows more: while locked it is held back (the shortcut has no place to ask for the PIN).
      void updateSettings((current) => togglePause(current), lockGuard).catch((error: unknown) =>
        console.warn('[Megane] the pause shortcut did not save:', error),
      );
      return;
    }
    // No site (a browser page, a file): nothing to switch, nothing written.
    if (command !== TOGGLE_SITE || hostOf(tab?.url ?? '') === '') return;
    // Computed again from the stored settings at write time, like the popup's switch.
    // While locked, switching a site off is held back: the shortcut has no place to ask for the PIN.
    void updateSettings((current) => toggleSite(tab?.url, current) ?? {}, lockGuard).catch((error: unknown) =>
      console.warn('[Megane] the site shortcut did not save:', error),
    );
  });
});
