// TensorFlow.js backends Megane can run on, most capable first.
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | Backend;

export function isBackendChoice(value: unknown): value is BackendChoice {
  return value === 'auto' || (typeof value === 'string' && (BACKENDS as readonly string[]).includes(value));
}
