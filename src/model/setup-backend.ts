// Makes TensorFlow.js run on the backend chooseBackend picks, and keeps going down the list when one
// fails to start (a GPU can be listed yet refuse to create a device). Browser code: the default WASM
// location is the extension's own /wasm/ folder (copied there by scripts/extract-models.mjs).
import * as tf from '@tensorflow/tfjs';
// Side-effect imports register the backends with tfjs-core ('@tensorflow/tfjs' brings webgl and cpu).
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { type Words, WordsError, words } from '../messaging/words';
import type { Backend, BackendChoice } from './backends';
import { chooseBackend, withoutBackend, type BackendDecision, type BackendProbe } from './choose-backend';
import { probeBackends } from './probe-backends';
import { errorText } from '../util/checks';
import { extensionUrl } from '../util/extension-url';

export interface SetupOptions {
  /** Defaults to probing the real browser. */
  probe?: () => Promise<BackendProbe>;
  /** Folder (URL or, in Node, path) holding tfjs-backend-wasm*.wasm, with trailing slash. */
  wasmPath?: string;
  /** Backends not to start even when chosen (the model host's list of backends that were lost twice). */
  avoid?: readonly Backend[];
  /**
   * Starts one backend where the models will run; null on success, else why it failed. Defaults to
   * this realm's tfjs (`startHere`); the offscreen document starts a GPU backend in a model worker.
   */
  start?: (backend: Backend) => Promise<Words | null>;
}

const LABEL: Record<Backend, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

let wasmConfigured = false;

/**
 * Must run before the WASM backend first initialises (tfjs reads both settings only then).
 * Threads off: extension pages are not cross-origin isolated, so there is no SharedArrayBuffer, and we
 * only ship the single-threaded binaries. Paths: the default is a CDN URL, which an extension must not
 * (and, under its CSP, cannot) load from.
 */
function configureWasm(path: string): void {
  if (wasmConfigured) return;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(path);
  wasmConfigured = true;
}

function defaultWasmPath(): string {
  return extensionUrl('/wasm/');
}

/** Starts one backend in this realm's tfjs; null on success, else why it failed. */
export async function startHere(backend: Backend, wasmPath: string = defaultWasmPath()): Promise<Words | null> {
  try {
    if (backend === 'wasm') configureWasm(wasmPath);
    // setBackend resolves false (after logging) when the backend's factory fails, and throws when the
    // backend was never registered (e.g. WebGPU in a browser without navigator.gpu).
    if (!(await tf.setBackend(backend))) return words('background.backend.didNotInitialise');
    await tf.ready();
    return null;
  } catch (err) {
    return errorText(err);
  }
}

async function setup(choice: BackendChoice, options: SetupOptions): Promise<BackendDecision> {
  let probe = await (options.probe ?? probeBackends)();
  for (const backend of options.avoid ?? []) probe = withoutBackend(probe, backend);
  let decision = chooseBackend(probe, choice);
  /** Why each backend tried so far did not start, one after the other. */
  let failures: Words | null = null;
  for (;;) {
    const error = await (options.start ?? ((backend) => startHere(backend, options.wasmPath)))(decision.backend);
    if (error === null) {
      return failures === null
        ? decision
        : { backend: decision.backend, reason: words('background.backend.usingAfterFailures', failures, decision.reason) };
    }
    const failure = words('background.backend.failedToStart', LABEL[decision.backend], error);
    failures = failures === null ? failure : words('background.backend.failures', failures, failure);
    if (decision.backend === 'cpu') throw new WordsError(words('background.backend.noneCouldStart', failures));
    // Next candidate by the auto rules, so a failed WebGPU does not land on a software WebGL.
    probe = withoutBackend(probe, decision.backend);
    decision = chooseBackend(probe, 'auto');
  }
}

/**
 * Starts `backend` and nothing else, or throws why it could not: a model worker
 * (inference-worker.ts) runs the backend the offscreen document chose, which probed the machine already.
 */
export async function startOnly(backend: Backend, wasmPath?: string): Promise<void> {
  const error = await startHere(backend, wasmPath);
  if (error !== null) throw new WordsError(words('background.backend.failedToStart', LABEL[backend], error));
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Switches TensorFlow.js to the best backend for `choice` ('auto' or a backend from settings) and says
 * which one runs and why. Calls are serialised: tfjs has one global backend, and two overlapping
 * switches would race. Models loaded on the previous backend should be reloaded by the caller.
 */
export function setupBackend(choice: BackendChoice, options: SetupOptions = {}): Promise<BackendDecision> {
  const run = queue.then(() => setup(choice, options));
  queue = run.catch(() => undefined);
  return run;
}
