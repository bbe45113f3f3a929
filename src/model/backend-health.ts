// The browser side of model health: noticing that the device under a GPU backend went away, and
// resetting a backend so the next setBackend starts it afresh. tfjs gives no event for either.
import * as tf from '@tensorflow/tfjs';
import { type Words, words } from '../messaging/words';
import type { Backend } from './backends';

/** What the watch reads off tfjs's backend object: the WebGL context or the WebGPU device. */
export interface BackendDevice {
  gpgpu?: { gl?: { canvas?: EventTarget | null; isContextLost?: () => boolean } };
  device?: { lost?: Promise<{ reason?: string; message?: string }> };
}

/**
 * Calls `onLost` once when `backend`'s device is lost: a WebGL context fires `webglcontextlost` on
 * its canvas (an OffscreenCanvas too), a WebGPU device resolves `device.lost`. CPU and WASM lose
 * nothing. Returns the function that stops watching (a reset disposes the device on purpose).
 */
export function watchDevice(backend: Backend, instance: BackendDevice, onLost: (why: Words) => void): () => void {
  let watching = true;
  const fire = (why: Words) => {
    if (!watching) return;
    watching = false;
    onLost(why);
  };
  if (backend === 'webgl') {
    const canvas = instance.gpgpu?.gl?.canvas;
    const listener = () => fire(words('background.recovery.webglLost'));
    canvas?.addEventListener('webglcontextlost', listener);
    // Lost before anyone listened: told at once.
    if (instance.gpgpu?.gl?.isContextLost?.()) listener();
    return () => {
      watching = false;
      canvas?.removeEventListener('webglcontextlost', listener);
    };
  }
  if (backend === 'webgpu') {
    void instance.device?.lost?.then((info) =>
      fire(words('background.recovery.webgpuLost', `${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''}`)),
    );
  }
  return () => {
    watching = false;
  };
}

/** watchDevice on tfjs's running backend. */
export function watchBackend(backend: Backend, onLost: (why: Words) => void): () => void {
  return watchDevice(backend, tf.backend() as unknown as BackendDevice, onLost);
}

/**
 * Drops tfjs's instance of `backend` (its tensors, its GPU context or WASM memory) and registers its
 * factory again, so the next tf.setBackend builds a new one: tfjs's removeBackend also forgets the
 * factory. A lost WebGL context is replaced: tfjs makes a new one when the cached one is lost.
 */
export function resetBackend(backend: Backend): void {
  const factory = tf.findBackendFactory(backend);
  if (factory === null || factory === undefined) return;
  // Kept so tfjs's own choice of a default backend stays what it was (registerBackend defaults to 1).
  const priority = (tf.engine() as unknown as { registryFactory: Record<string, { priority?: number }> }).registryFactory[backend]
    ?.priority;
  try {
    tf.removeBackend(backend);
  } catch (error) {
    // Disposing a backend whose device is gone can throw; the instance is dropped all the same.
    console.warn(`[Megane] disposing the ${backend} backend failed:`, error);
  }
  tf.registerBackend(backend, factory, priority);
}
