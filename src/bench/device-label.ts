// What a backend runs on, in a few words for the bench report. Pure.
import type { Backend } from '../model/backends';
import type { BackendProbe } from '../model/choose-backend';

/**
 * The GPU part of a WebGL renderer string: "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)
 * (0x0000C0DE)), SwiftShader driver)" -> "Vulkan 1.3.0 (SwiftShader Device (Subzero))".
 */
export function shortRenderer(renderer: string): string {
  const angle = /^ANGLE \((.*)\)$/.exec(renderer.trim());
  const parts = angle?.[1]?.split(', ') ?? [];
  const gpu = parts.length >= 3 ? parts.slice(1, -1).join(', ') : renderer;
  return gpu.replace(/\s*\(0x[0-9a-f]+\)/gi, '').trim();
}

/** What the backend runs on, for the report: the WebGPU adapter, the WebGL renderer, WASM's SIMD. */
export function deviceLabel(probe: BackendProbe, backend: Backend): string {
  if (backend === 'webgpu' && probe.webgpu !== null) {
    const { description, vendor, architecture, isFallbackAdapter } = probe.webgpu;
    const name = description || [vendor, architecture].filter(Boolean).join(' ') || 'unnamed adapter';
    return isFallbackAdapter ? `${name} (fallback adapter)` : name;
  }
  if (backend === 'webgl' && probe.webgl !== null) return shortRenderer(probe.webgl.renderer);
  if (backend === 'wasm') return `${probe.wasmSimd ? 'SIMD' : 'no SIMD'}, 1 thread`;
  return 'plain JS';
}
