// The offscreen document's side of the background -> offscreen channel: who may drive the model host,
// and one handler per request, typed by the channel's reply map.
import { browser } from 'wxt/browser';
import {
  isBackgroundToOffscreen,
  type BackgroundToOffscreen,
  type BackgroundToOffscreenReplies,
  type CaptureResult,
  type ImageJob,
  type ModelConfig,
  type ModelStatus,
  type OffscreenResult,
  type ThumbnailData,
  type TrainResult,
} from '../messaging/background-offscreen';
import { dispatch, type Handlers, type MessageSender } from '../messaging/protocol';
import type { ModelId } from '../model/catalog';
import { errorText } from '../util/checks';

export interface OffscreenDeps {
  host: { status: () => ModelStatus; classify: (config: ModelConfig, job: ImageJob) => Promise<OffscreenResult> };
  makeThumbnail: (url: string) => Promise<{ thumbnail: ThumbnailData; imageSize: { width: number; height: number } }>;
  trainPersonal: (model: ModelId) => Promise<TrainResult>;
}

export function createOffscreenHandlers({
  host,
  makeThumbnail,
  trainPersonal,
}: OffscreenDeps): Handlers<BackgroundToOffscreen, BackgroundToOffscreenReplies> {
  return {
    status: async () => host.status(),
    classify: (message) => host.classify(message.config, message.job),
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
