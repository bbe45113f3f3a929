// Picks the TensorFlow.js backend from what the browser reports. Pure, so every rule is table-tested;
// probe-backends.ts gathers the facts, setup-backend.ts acts on the answer.
//
// The one rule that matters most: a GPU API backed by a *software* rasteriser is worse than WASM.
// Measured on this project's CI machine (no GPU): WebGPU on SwiftShader ~4 s/image, WebGL on
// SwiftShader ~0.5 s/image, WASM with SIMD ~70 ms/image. So "WebGPU exists" is not enough; the adapter
// or renderer must be real hardware.
import { type Words, words } from '../messaging/words';
import type { Backend, BackendChoice } from './backends';

/** What the browser says about each backend's prerequisites; null/false = not available here. */
export interface BackendProbe {
  webgpu: null | { isFallbackAdapter: boolean; vendor: string; architecture: string; description: string };
  webgl: null | { renderer: string; vendor: string };
  wasm: boolean;
  wasmSimd: boolean;
}

export interface BackendDecision {
  backend: Backend;
  /**
   * One sentence for the popup/status: why this backend. Named messages (the offscreen document, where
   * this runs, reads none): the service worker says them.
   */
  reason: Words;
}

/**
 * Names of software rasterisers as they appear in WebGL renderer strings and WebGPU adapter info:
 * SwiftShader (Chrome's CPU fallback, also "Subzero"), Mesa llvmpipe/softpipe/lavapipe,
 * "Microsoft Basic Render Driver" (Windows WARP), "Apple Software Renderer", and Firefox's generic
 * "Software" renderer name.
 */
const SOFTWARE_RENDERER = /swiftshader|subzero|llvmpipe|softpipe|lavapipe|software|microsoft basic render/i;

export function isSoftwareRenderer(...names: readonly string[]): boolean {
  return names.some((name) => SOFTWARE_RENDERER.test(name));
}

/** Short human label of a WebGPU adapter, e.g. "nvidia ampere", falling back to the description. */
function adapterLabel(info: NonNullable<BackendProbe['webgpu']>): Words {
  return [info.vendor, info.architecture].filter(Boolean).join(' ') || info.description || words('background.backend.unnamedAdapter');
}

export function isAvailable(probe: BackendProbe, backend: Backend): boolean {
  switch (backend) {
    case 'webgpu':
      return probe.webgpu !== null;
    case 'webgl':
      return probe.webgl !== null;
    case 'wasm':
      return probe.wasm;
    case 'cpu':
      return true;
  }
}

/** The probe with one backend marked unavailable: used to pick the next one when a backend fails to start. */
export function withoutBackend(probe: BackendProbe, backend: Backend): BackendProbe {
  switch (backend) {
    case 'webgpu':
      return { ...probe, webgpu: null };
    case 'webgl':
      return { ...probe, webgl: null };
    case 'wasm':
      return { ...probe, wasm: false, wasmSimd: false };
    case 'cpu':
      return probe;
  }
}

/** Why each GPU backend was passed over, e.g. "WebGL renderer is software (llvmpipe ...)". */
function gpuVerdict(probe: BackendProbe): Words {
  const gpu = probe.webgpu;
  const webgpu =
    gpu === null
      ? words('background.backend.noWebgpu')
      : gpu.isFallbackAdapter
        ? words('background.backend.webgpuFallback')
        : words('background.backend.webgpuSoftware', adapterLabel(gpu));
  const webgl =
    probe.webgl === null ? words('background.backend.noWebgl') : words('background.backend.webglSoftware', probe.webgl.renderer);
  return words('background.backend.gpuVerdict', webgpu, webgl);
}

function autoChoice(probe: BackendProbe): BackendDecision {
  const gpu = probe.webgpu;
  if (gpu !== null && !gpu.isFallbackAdapter && !isSoftwareRenderer(gpu.vendor, gpu.architecture, gpu.description)) {
    return { backend: 'webgpu', reason: words('background.backend.webgpuHardware', adapterLabel(gpu)) };
  }
  const gl = probe.webgl;
  if (gl !== null && !isSoftwareRenderer(gl.renderer, gl.vendor)) {
    return { backend: 'webgl', reason: words('background.backend.webglHardware', gl.renderer) };
  }
  // Only software GPUs (or none) are left here.
  const noGpu = gpu === null && gl === null;
  if (probe.wasm) {
    const simd = probe.wasmSimd ? words('background.backend.wasmSimd') : words('background.backend.wasmNoSimd');
    return {
      backend: 'wasm',
      reason: noGpu ? words('background.backend.wasmNoGpu', simd) : words('background.backend.wasmSoftwareGpu', simd, gpuVerdict(probe)),
    };
  }
  return {
    backend: 'cpu',
    reason: noGpu ? words('background.backend.cpuNoGpu') : words('background.backend.cpuSoftwareGpu', gpuVerdict(probe)),
  };
}

const LABEL: Record<Backend, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/**
 * The backend to use. `auto`: WebGPU on a real adapter, else WebGL on a hardware renderer, else WASM,
 * else CPU. A specific choice is honoured whenever that backend exists at all (even on a software
 * adapter: the user asked), otherwise the auto rules pick and the reason says the choice was unavailable.
 */
export function chooseBackend(probe: BackendProbe, override: BackendChoice): BackendDecision {
  if (override === 'auto') return autoChoice(probe);
  if (isAvailable(probe, override)) return { backend: override, reason: words('background.backend.chosenInSettings') };
  const fallback = autoChoice(probe);
  return {
    backend: fallback.backend,
    reason: words('background.backend.unavailableChoice', LABEL[override], fallback.reason),
  };
}
