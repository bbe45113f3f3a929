import { browser } from 'wxt/browser';
import { createClassifyService } from '../src/background/classify-service';
import { actionForMenuId, installContextMenu } from '../src/background/context-menu';
import { createFrameStatsStore } from '../src/background/frame-stats-store';
import { markModelUsed, watchIdle } from '../src/background/idle-close';
import { createMarkService } from '../src/background/mark-service';
import { captureInHost, hostStatus, scoreInHost, trainInHost } from '../src/background/model-host-client';
import { handleMessage } from '../src/background/router';
import { createScoreCache } from '../src/background/score-cache';
import { createTrainingScheduler } from '../src/background/training-scheduler';
import { openMarkStore, type MarkStore } from '../src/marks/mark-store';
import { sendBackgroundToContent } from '../src/messaging/background-content';
import { answeringListener } from '../src/messaging/protocol';
import { loadPersonalStatuses, recordTrainResult, watchPersonalStatuses } from '../src/personal/personal-status';
import { loadSettings, watchSettings } from '../src/settings/store';

const DIRTY_KEY = 'personalDirty';
/** Quiet time after the last mark before the personal model retrains. */
const TRAIN_DELAY_MS = 3_000;

export default defineBackground(() => {
  const session = browser.storage.session;
  const cache = createScoreCache(session, { maxEntries: 5000, failureTtlMs: 60_000 });
  const stats = createFrameStatsStore(session);
  // Settings are read once and then kept current by the storage watcher, not read per image.
  let settings = loadSettings();
  watchSettings((next) => {
    void settings.then((before) => {
      // The menu lists the user's own tags.
      if (JSON.stringify(before.customTags) !== JSON.stringify(next.customTags)) void installContextMenu(next.customTags);
    });
    settings = Promise.resolve(next);
  }, new AbortController().signal);
  // The personal model's version (cache keys and the host's reload) is kept current the same way.
  let personalStatuses = loadPersonalStatuses();
  watchPersonalStatuses((next) => (personalStatuses = Promise.resolve(next)), new AbortController().signal);
  const config = async () => {
    const { model, backend, trainedModel } = await settings;
    const personal = (await personalStatuses)[model]?.version ?? null;
    return { model, backend, personal, trained: trainedModel };
  };
  const classify = createClassifyService({
    cache,
    config,
    score: (url, current) => {
      markModelUsed();
      return scoreInHost(url, current);
    },
  });
  watchIdle();

  let store: Promise<MarkStore> | null = null;
  const marksStore = () => (store ??= openMarkStore().catch((error: unknown) => ((store = null), Promise.reject(error))));
  const training = createTrainingScheduler({
    delayMs: TRAIN_DELAY_MS,
    dirty: {
      get: async () => (await browser.storage.local.get(DIRTY_KEY))[DIRTY_KEY] === true,
      set: (dirty) => browser.storage.local.set({ [DIRTY_KEY]: dirty }),
    },
    train: async () => {
      const { model } = await settings;
      markModelUsed();
      // Known here before the storage watcher hears of it, so pages that ask again at once get the new model.
      personalStatuses = Promise.resolve(await recordTrainResult(model, await trainInHost(model)));
    },
  });
  void training.resume();
  const marks = createMarkService({
    store: marksStore,
    capture: async (url) => {
      markModelUsed();
      // Faces too: their boxes become the annotation regions of the exported dataset.
      return captureInHost(url, { ...(await config()), detectors: ['faces'] });
    },
    changed: () => training.schedule(),
  });

  browser.runtime.onMessage.addListener(answeringListener((message, sender) =>
    handleMessage(
      {
        classify,
        reportStats: stats.report,
        tabStats: stats.total,
        modelStatus: async () => hostStatus(await config()),
        mark: marks.mark,
        marksFor: marks.marksFor,
        marksChanged: () => training.schedule(),
        trainNow: async () => {
          training.schedule();
          await training.settled();
        },
      },
      message,
      sender,
    ),
  ));
  browser.tabs.onRemoved.addListener((tabId) => void stats.forgetTab(tabId));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading') void stats.forgetTab(tabId);
  });

  browser.runtime.onInstalled.addListener(() => void settings.then((s) => installContextMenu(s.customTags)));
  browser.contextMenus.onClicked.addListener(async (info, tab) => {
    const action = actionForMenuId(info.menuItemId);
    if (!action || !info.srcUrl || tab?.id === undefined) return;
    const reply = await marks.mark(info.srcUrl, info.pageUrl ?? tab.url ?? '', action);
    if (!reply.ok) {
      console.warn(`[Megane] ${reply.error}`);
      return;
    }
    // The frame applies a correction at once, as it does for its own hover controls.
    await sendBackgroundToContent(
      { tabId: tab.id, frameId: info.frameId ?? 0 },
      { channel: 'background->content', type: 'marks-changed', url: info.srcUrl, marks: reply.marks },
    ).catch(() => {});
  });
});
