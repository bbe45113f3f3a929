// How many model workers run on WASM (inference-pool.ts): the `modelWorkers` setting, or, when it is
// automatic (0), one per core but one, which stays free for the page (at least one). WASM runs one
// thread per model copy here, so each worker adds one core's worth of checking.
import { MAX_MODEL_WORKERS } from '../settings/schema';

export function modelWorkerCount(setting: number, cores: number): number {
  if (setting > 0) return Math.min(MAX_MODEL_WORKERS, Math.floor(setting));
  return Math.max(1, Math.min(MAX_MODEL_WORKERS, Math.floor(cores) - 1));
}

/** The cores this browser reports (navigator.hardwareConcurrency); 1 where it does not say. */
export function reportedCores(): number {
  return globalThis.navigator?.hardwareConcurrency || 1;
}
