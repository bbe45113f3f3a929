// Talks to the model host wherever it runs (host-link.ts: Chrome's offscreen document, Firefox's
// background page), starting it when needed and recovering once when it (or this service worker) was
// stopped between two calls.
import { i18n } from '#i18n';
import {
  CANCELLED,
  type BackgroundToOffscreen,
  type BackgroundToOffscreenReplies,
  type CaptureResult,
  type ImageJob,
  type JobWhere,
  type TabsActiveChanges,
  type ModelConfig,
  type ModelStatus,
  type ScoresResult,
  type TrainResult,
} from '../messaging/background-offscreen';
import type { ModelId } from '../model/catalog';
import type { HostLink } from './host-link';
import { sayStatus, sayTrainResult } from './say';

/** The offscreen page registers its listener only once its scripts have loaded (tfjs is large). */
const READY_WAIT_MS = 10_000;
const RETRY_MS = 100;

/** The background's calls into the model host, through `link`. */
export function createHostClient(link: HostLink) {
  async function call<M extends BackgroundToOffscreen>(message: M): Promise<BackgroundToOffscreenReplies[M['type']]> {
    const giveUp = Date.now() + READY_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      await link.start();
      try {
        const answer = await link.send(message);
        if (answer !== undefined) return answer;
        throw new Error('the model host closed before answering');
      } catch (error) {
        // Chrome's "Receiving end does not exist": the document is still loading, or was closed and must
        // be created again. Anything else gets one more try.
        const notThereYet = link.notThereYet(error);
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
  function scoreInHost(
    url: string,
    config: ModelConfig,
    signal?: AbortSignal,
    where: JobWhere & Pick<ImageJob, 'anonymous'> = {},
  ): Promise<ScoresResult> {
    if (!signal) return call({ channel: 'background->offscreen', type: 'classify', config, job: { url } });
    if (signal.aborted) return Promise.resolve({ ok: false, error: CANCELLED });
    const id = `${Date.now().toString(36)}-${(++jobs).toString(36)}`;
    return new Promise<ScoresResult>((resolve, reject) => {
      const onAbort = () => {
        resolve({ ok: false, error: CANCELLED });
        // Only a host that is there can have the job; a cancel never starts the document.
        void link
          .running()
          .then((there) => (there ? link.send({ channel: 'background->offscreen', type: 'cancel', id }) : undefined))
          .catch(() => {});
      };
      signal.addEventListener('abort', onAbort, { once: true });
      call({ channel: 'background->offscreen', type: 'classify', config, job: { url, id, ...where } })
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Scores an image for a new mark and makes its thumbnail. */
  function captureInHost(url: string, config: ModelConfig): Promise<CaptureResult> {
    return call({ channel: 'background->offscreen', type: 'capture', config, job: { url } });
  }

  /** Trains the personal model for `model` from the stored marks; a failure says why in the user's language. */
  async function trainInHost(model: ModelId): Promise<TrainResult> {
    return sayTrainResult(await call({ channel: 'background->offscreen', type: 'train-personal', model }));
  }

  /** The model host's status, in the user's language (the host names messages; say.ts says them). */
  async function hostStatus(config: Pick<ModelConfig, 'model'>): Promise<ModelStatus> {
    if (!(await link.running())) {
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
  async function tellTabsActive(changes: TabsActiveChanges): Promise<void> {
    if (!(await link.running())) return;
    await link.send({ channel: 'background->offscreen', type: 'tabs-active', changes }).catch(() => {});
  }

  return { scoreInHost, captureInHost, trainInHost, hostStatus, tellTabsActive, stop: link.stop };
}
