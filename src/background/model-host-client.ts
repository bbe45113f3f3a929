// Talks to the model host in the offscreen document, creating it when needed and recovering once
// when it (or this service worker) was stopped between two calls.
import type {
  BackgroundToOffscreen,
  ModelConfig,
  ModelStatus,
  OffscreenResult,
} from '../messaging/background-offscreen';
import { ensureOffscreenDocument, hasOffscreenDocument } from './offscreen-document';

async function call<T>(message: BackgroundToOffscreen): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    await ensureOffscreenDocument();
    try {
      const answer = (await chrome.runtime.sendMessage(message)) as T | undefined;
      if (answer !== undefined) return answer;
      throw new Error('the model host closed before answering');
    } catch (error) {
      if (attempt >= 1) throw error;
    }
  }
}

export function scoreInHost(url: string, config: ModelConfig): Promise<OffscreenResult> {
  return call<OffscreenResult>({ target: 'offscreen', type: 'classify', config, job: { url } });
}

export async function hostStatus(config: ModelConfig): Promise<ModelStatus> {
  if (!(await hasOffscreenDocument())) {
    return { model: config.model, state: 'idle', backend: null, reason: 'starts with the first image' };
  }
  return call<ModelStatus>({ target: 'offscreen', type: 'status' });
}
