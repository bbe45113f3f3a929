// Talks to the model host in the offscreen document, creating it when needed and recovering once
// when it (or this service worker) was stopped between two calls.
import { i18n } from '#i18n';
import {
  CANCELLED,
  sendBackgroundToOffscreen,
  type BackgroundToOffscreen,
  type BackgroundToOffscreenReplies,
  type CaptureResult,
  type JobWhere,
  type TabsActiveChanges,
  type ModelConfig,
  type ModelStatus,
  type ScoresResult,
  type TrainResult,
} from '../messaging/background-offscreen';
import type { ModelId } from '../model/catalog';
import { ensureOffscreenDocument, hasOffscreenDocument } from './offscreen-document';
import { sayStatus, sayTrainResult } from './say';

/** The offscreen page registers its listener only once its scripts have loaded (tfjs is large). */
const READY_WAIT_MS = 10_000;
const RETRY_MS = 100;

async function call<M extends BackgroundToOffscreen>(message: M): Promise<BackgroundToOffscreenReplies[M['type']]> {
  const giveUp = Date.now() + READY_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    await ensureOffscreenDocument();
    try {
      const answer = await sendBackgroundToOffscreen(message);
      if (answer !== undefined) return answer;
      throw new Error('the model host closed before answering');
    } catch (error) {
      // "Receiving end does not exist": the document is still loading, or was closed and must be
      // created again. Anything else gets one more try.
      const notThereYet = String(error).includes('Receiving end does not exist');
      if ((notThereYet && Date.now() > giveUp) || (!notThereYet && attempt >= 1)) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

let jobs = 0;

/**
 * Scores an image in the host. When `signal` aborts (no one wants the answer any more), the host is
 * told to stop the job and this answers CANCELLED at once.
 */
export function scoreInHost(url: string, config: ModelConfig, signal?: AbortSignal, where: JobWhere = {}): Promise<ScoresResult> {
  if (!signal) return call({ channel: 'background->offscreen', type: 'classify', config, job: { url } });
  if (signal.aborted) return Promise.resolve({ ok: false, error: CANCELLED });
  const id = `${Date.now().toString(36)}-${(++jobs).toString(36)}`;
  return new Promise<ScoresResult>((resolve, reject) => {
    const onAbort = () => {
      resolve({ ok: false, error: CANCELLED });
      // Only a host that is there can have the job; a cancel never starts the document.
      void hasOffscreenDocument()
        .then((there) => (there ? sendBackgroundToOffscreen({ channel: 'background->offscreen', type: 'cancel', id }) : undefined))
        .catch(() => {});
    };
    signal.addEventListener('abort', onAbort, { once: true });
    call({ channel: 'background->offscreen', type: 'classify', config, job: { url, id, ...where } })
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Scores an image for a new mark and makes its thumbnail. */
export function captureInHost(url: string, config: ModelConfig): Promise<CaptureResult> {
  return call({ channel: 'background->offscreen', type: 'capture', config, job: { url } });
}

/** Trains the personal model for `model` from the stored marks; a failure says why in the user's language. */
export async function trainInHost(model: ModelId): Promise<TrainResult> {
  return sayTrainResult(await call({ channel: 'background->offscreen', type: 'train-personal', model }));
}

/** The model host's status, in the user's language (the host names messages; say.ts says them). */
export async function hostStatus(config: Pick<ModelConfig, 'model'>): Promise<ModelStatus> {
  if (!(await hasOffscreenDocument())) {
    return {
      model: config.model,
      state: 'idle',
      backend: null,
      reason: i18n.t('background.model.startsWithFirstImage'),
      detectors: { faces: { state: 'idle' }, objects: { state: 'idle' } },
    };
  }
  return sayStatus(await call({ channel: 'background->offscreen', type: 'status' }));
}

/** Tells a running host which tabs became active or stopped being (it reorders waiting jobs); never starts one. */
export async function tellTabsActive(changes: TabsActiveChanges): Promise<void> {
  if (!(await hasOffscreenDocument())) return;
  await sendBackgroundToOffscreen({ channel: 'background->offscreen', type: 'tabs-active', changes }).catch(() => {});
}
