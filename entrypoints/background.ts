import browser, { type Runtime } from 'webextension-polyfill';
import { createClassifyService } from '../src/background/classify-service';
import { createFrameStatsStore } from '../src/background/frame-stats-store';
import { markModelUsed, watchIdle } from '../src/background/idle-close';
import { hostStatus, scoreInHost } from '../src/background/model-host-client';
import { handleMessage } from '../src/background/router';
import { createScoreCache } from '../src/background/score-cache';
import { loadSettings, watchSettings } from '../src/settings/store';

export default defineBackground(() => {
  const session = browser.storage.session;
  const cache = createScoreCache(session, { maxEntries: 5000, failureTtlMs: 60_000 });
  const stats = createFrameStatsStore(session);
  // Settings are read once and then kept current by the storage watcher, not read per image.
  let settings = loadSettings();
  watchSettings((next) => (settings = Promise.resolve(next)), new AbortController().signal);
  const config = async () => {
    const { model, backend } = await settings;
    return { model, backend };
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

  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
    handleMessage(
      {
        classify,
        reportStats: stats.report,
        tabStats: stats.total,
        modelStatus: async () => hostStatus(await config()),
      },
      message,
      sender,
    ),
  );
  browser.tabs.onRemoved.addListener((tabId) => void stats.forgetTab(tabId));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === 'loading') void stats.forgetTab(tabId);
  });
});
