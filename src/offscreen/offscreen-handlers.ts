// The offscreen document's side of the background -> offscreen channel: who may drive the model host,
// and one handler per request, typed by the channel's reply map.
import { browser } from 'wxt/browser';
import {
  CANCELLED,
  isBackgroundToOffscreen,
  type BackgroundToOffscreen,
  type BackgroundToOffscreenReplies,
  type CaptureResult,
  type HostStatus,
  type ImageJob,
  type ModelConfig,
  type OffscreenResult,
  type ThumbnailData,
  type TrainResult,
  withoutEmbedding,
} from '../messaging/background-offscreen';
import { dispatch, type Handlers, type MessageSender } from '../messaging/protocol';
import type { Words } from '../messaging/words';
import type { ModelId } from '../model/catalog';
import { errorText } from '../util/checks';
import type { ActiveTabs } from './active-tabs';

export interface OffscreenDeps {
  host: {
    status: () => HostStatus;
    classify: (config: ModelConfig, job: ImageJob, signal?: AbortSignal) => Promise<OffscreenResult>;
  };
  activeTabs: Pick<ActiveTabs, 'update'>;
  makeThumbnail: (url: string) => Promise<{ thumbnail: ThumbnailData; imageSize: { width: number; height: number } }>;
  trainPersonal: (model: ModelId) => Promise<TrainResult<Words>>;
}

/** How long a cancel that came before its job is remembered. */
const EARLY_CANCEL_MS = 60_000;

export function createOffscreenHandlers({
  host,
  activeTabs,
  makeThumbnail,
  trainPersonal,
}: OffscreenDeps): Handlers<BackgroundToOffscreen, BackgroundToOffscreenReplies> {
  /** Jobs running under an id, so a 'cancel' can stop them. */
  const running = new Map<string, AbortController>();
  /**
   * Ids cancelled before their job arrived (the two messages can cross while this document starts),
   * kept a short while so the job, when it comes, does not run.
   */
  const cancelledEarly = new Set<string>();
  const classify = async (config: ModelConfig, job: ImageJob): Promise<OffscreenResult> => {
    const { id } = job;
    if (id === undefined) return host.classify(config, job);
    if (cancelledEarly.delete(id)) return { ok: false, error: CANCELLED };
    const controller = new AbortController();
    running.set(id, controller);
    try {
      return await host.classify(config, job, controller.signal);
    } finally {
      if (running.get(id) === controller) running.delete(id);
    }
  };
  return {
    status: async () => host.status(),
    classify: async (message) => withoutEmbedding(await classify(message.config, message.job)),
    cancel: async ({ id }) => {
      const controller = running.get(id);
      if (controller) {
        running.delete(id);
        controller.abort();
        return true;
      }
      cancelledEarly.add(id);
      setTimeout(() => cancelledEarly.delete(id), EARLY_CANCEL_MS);
      return false;
    },
    capture: async (message) => {
      const thumbnail = makeThumbnail(message.job.url).then(
        (made) => made,
        (error: unknown) => ({ error: errorText(error) }),
      );
      const [result, made] = await Promise.all([host.classify(message.config, message.job), thumbnail]);
      const answer: CaptureResult =
        'error' in made ? { result, thumbnail: null, imageSize: null, thumbnailError: made.error } : { result, ...made };
      return answer;
    },
    'train-personal': (message) => trainPersonal(message.model),
    'tabs-active': async ({ changes }) => {
      activeTabs.update(changes);
      return true;
    },
  };
}

/**
 * Answers a request from the service worker, or undefined for anything else: only the service worker
 * (no tab) may drive the host; content scripts and extension pages reach this listener too.
 */
export function handleOffscreenMessage(
  handlers: Handlers<BackgroundToOffscreen, BackgroundToOffscreenReplies>,
  message: unknown,
  sender: MessageSender,
): Promise<unknown> | undefined {
  if (sender.id !== browser.runtime.id || sender.tab || !isBackgroundToOffscreen(message)) return undefined;
  return dispatch(handlers, message);
}
