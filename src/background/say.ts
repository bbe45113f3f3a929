// Says in the user's language what the model host named (messaging/words.ts): the offscreen document
// cannot read messages, so its status and errors reach the popup and the options page through here.
import { i18n } from '#i18n';
import type { HostStatus, ModelStatus, TrainResult } from '../messaging/background-offscreen';
import { type Words, wordsText } from '../messaging/words';
import { DETECTORS } from '../tags/vocabulary';

const lookUp = i18n.t as (key: string, substitutions?: string[]) => string;

export function say(said: Words): string {
  if (typeof said === 'string') return said;
  // Anything else the host sent (it is this extension's own document, but never trust a shape blindly).
  if (typeof said !== 'object' || said === null || typeof said.message !== 'string') return String(said ?? '');
  const substitutions = Array.isArray(said.with) ? said.with.map(say) : [];
  return lookUp(said.message, substitutions) || wordsText(said);
}

const sayMaybe = <K extends string>(key: K, said: Words | undefined): { [P in K]?: string } =>
  (said === undefined ? {} : { [key]: say(said) }) as { [P in K]?: string };

/** The model host's status in words for people. */
export function sayStatus(status: HostStatus): ModelStatus {
  const { reason, error, recovery, detectors, trained, ...rest } = status;
  return {
    ...rest,
    reason: say(reason),
    ...sayMaybe('error', error),
    ...sayMaybe('recovery', recovery),
    detectors: Object.fromEntries(
      DETECTORS.map((d) => [d, { state: detectors[d]?.state ?? 'idle', ...sayMaybe('error', detectors[d]?.error) }]),
    ) as ModelStatus['detectors'],
    ...(trained ? { trained: { id: trained.id, state: trained.state, ...sayMaybe('error', trained.error) } } : {}),
  };
}

/** A training's outcome in words for people. */
export function sayTrainResult(result: TrainResult<Words>): TrainResult {
  return result.ok ? result : { ok: false, error: say(result.error) };
}
