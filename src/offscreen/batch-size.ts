// How many images go into one predict, per backend, from `npm run bench` (mobilenet_v2_mid, headless
// Chromium, 2 cores). On WASM with one thread batch 1 was fastest (11.2 img/s, against 7.9 at batch
// 8 and 32), so there images queue together but run one by one. The other backends gained from
// batching or at least lost nothing (CPU 0.37 -> 0.40 img/s at batch 8; a real GPU amortises the
// upload and dispatch).
import type { Backend } from '../model/backends';

export function batchSizeFor(backend: Backend): number {
  if (backend === 'wasm') return 1;
  // A GPU's size is measured at load (batch-tuning.ts) up to this cap; the CPU backend is not measured.
  return backend === 'cpu' ? 16 : 32;
}
