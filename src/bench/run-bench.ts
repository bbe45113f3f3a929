// One bench page = one backend (tfjs backends are global to a page): start it the way the extension
// does (setupBackend, so WASM gets the same paths and single-threaded setting), then bench each model.
import * as tf from '@tensorflow/tfjs';
import { say } from '../background/say';
import { wordsOf } from '../messaging/words';
import { MODELS } from '../model/catalog';
import { isAvailable } from '../model/choose-backend';
import { probeBackends } from '../model/probe-backends';
import { setupBackend } from '../model/setup-backend';
import { benchModel, pendingModelResult } from './bench-model';
import { imageUrl, type BenchConfig } from './config';
import { deviceLabel } from './device-label';
import { fetchBlob } from './decode';
import { PLANS } from './plan';
import type { BackendResult } from './result';

/**
 * Benches every model in `config` on its backend. `publish` gets the result object at once and it is
 * filled in as measurements finish, so whoever drives the page can read partial results after a timeout.
 */
export async function runBench(
  config: BenchConfig,
  log: (line: string) => void,
  publish: (partial: BackendResult) => void,
): Promise<BackendResult> {
  const { backend } = config;
  const result: BackendResult = { backend, status: 'ok', reason: 'starting', plan: PLANS[backend], device: '', models: [] };
  publish(result);
  const fail = (status: 'absent' | 'failed', reason: string) => Object.assign(result, { status, reason });
  const probe = await probeBackends();
  result.device = deviceLabel(probe, backend);
  if (!isAvailable(probe, backend)) return fail('absent', 'not offered by this browser');
  try {
    const decision = await setupBackend(backend);
    // The reason names messages (model/choose-backend.ts); this page, an extension page, can read them.
    const reason = say(decision.reason);
    // setupBackend falls back to another backend when the chosen one fails to start; here that is a failure.
    if (decision.backend !== backend || tf.getBackend() !== backend) return fail('failed', reason);
    result.reason = reason;
    log(`backend ${tf.getBackend()} (${reason}) on ${result.device || 'the CPU'}`);

    const urls = config.files.map((file) => imageUrl(config, file));
    const blobs = await Promise.all(urls.map(fetchBlob));
    const images = { names: config.files, urls, blobs };
    for (const id of config.models) {
      const model = pendingModelResult(id, config.agreement);
      result.models.push(model);
      await benchModel(MODELS[id], { plan: result.plan, images, agreement: config.agreement, log }, model);
    }
    return result;
  } catch (err) {
    return fail('failed', say(wordsOf(err)));
  }
}
