// Browser-side facts for chooseBackend: which GPU the WebGPU adapter and the WebGL renderer really are,
// and whether WebAssembly (and its SIMD extension) compile here. Nothing is initialised in TensorFlow.js;
// the probe only looks. The environment is injectable so the logic runs under Node tests with fakes.
import type { BackendProbe } from './choose-backend';

/** The parts of WebGPU we read (lib.dom has no WebGPU types; @webgpu/types is not worth a dependency). */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  /** Chrome 136+ reports it here... */
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  /** ...older browsers on the adapter itself. */
  isFallbackAdapter?: boolean;
  /** Pre-`info` browsers (Chrome < 127). */
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

/** The parts of a WebGL context we read. */
interface GlLike {
  readonly RENDERER: number;
  readonly VENDOR: number;
  getParameter(pname: number): unknown;
  getExtension(name: string): unknown;
}
export interface CanvasLike {
  getContext(contextId: 'webgl2' | 'webgl'): unknown;
}

export interface ProbeEnvironment {
  gpu: GpuLike | undefined;
  createCanvas: (() => CanvasLike) | undefined;
  webAssembly: { validate(bytes: BufferSource): boolean } | undefined;
  /** requestAdapter can hang on broken drivers/headless setups; after this long WebGPU counts as absent. */
  timeoutMs: number;
}

/** Smallest valid module: (module). */
const EMPTY_WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
/** (func i32.const 0 i8x16.splat drop): the same SIMD test tfjs-backend-wasm runs (wasm-feature-detect). */
const SIMD_WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function probeWebGpu(gpu: GpuLike | undefined, timeoutMs: number): Promise<BackendProbe['webgpu']> {
  if (gpu === undefined) return null;
  try {
    // Same preference tfjs-backend-webgpu asks for, so we judge the adapter it will actually get.
    const adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), timeoutMs, null);
    if (adapter === null) return null;
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    return {
      isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      description: info.description ?? '',
    };
  } catch {
    return null;
  }
}

function isGl(value: unknown): value is GlLike {
  return typeof value === 'object' && value !== null && typeof (value as GlLike).getParameter === 'function';
}

const UNMASKED_VENDOR_WEBGL = 0x9245;
const UNMASKED_RENDERER_WEBGL = 0x9246;

export function probeWebGl(createCanvas: (() => CanvasLike) | undefined): BackendProbe['webgl'] {
  if (createCanvas === undefined) return null;
  try {
    const canvas = createCanvas();
    // WebGL2 first: tfjs's WebGL backend prefers it, and the renderer is what it will run on.
    const gl = [canvas.getContext('webgl2'), canvas.getContext('webgl')].find(isGl);
    if (gl === undefined) return null;
    // The masked RENDERER is often just "WebKit WebGL"; the debug extension has the real GPU name.
    // Firefox deprecates the extension but already returns a sanitised real name from RENDERER.
    const debug = gl.getExtension('WEBGL_debug_renderer_info') !== null;
    const renderer = String(gl.getParameter(debug ? UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    const vendor = String(gl.getParameter(debug ? UNMASKED_VENDOR_WEBGL : gl.VENDOR) ?? '');
    // Release the context now: browsers cap live WebGL contexts (~16) and tfjs will want its own.
    const lose = gl.getExtension('WEBGL_lose_context');
    if (typeof lose === 'object' && lose !== null && 'loseContext' in lose && typeof lose.loseContext === 'function') {
      lose.loseContext();
    }
    return { renderer, vendor };
  } catch {
    return null;
  }
}

export function probeWasm(webAssembly: ProbeEnvironment['webAssembly']): Pick<BackendProbe, 'wasm' | 'wasmSimd'> {
  if (webAssembly === undefined) return { wasm: false, wasmSimd: false };
  const valid = (bytes: BufferSource) => {
    try {
      return webAssembly.validate(bytes);
    } catch {
      return false;
    }
  };
  const wasm = valid(EMPTY_WASM);
  return { wasm, wasmSimd: wasm && valid(SIMD_WASM) };
}

/** The real browser environment (offscreen document, extension page or worker). */
export function browserEnvironment(): ProbeEnvironment {
  const nav: (Navigator & { gpu?: GpuLike }) | undefined = typeof navigator === 'undefined' ? undefined : navigator;
  let createCanvas: (() => CanvasLike) | undefined;
  if (typeof OffscreenCanvas !== 'undefined') createCanvas = () => new OffscreenCanvas(1, 1);
  else if (typeof document !== 'undefined') createCanvas = () => document.createElement('canvas');
  return {
    gpu: nav?.gpu,
    createCanvas,
    webAssembly: typeof WebAssembly === 'undefined' ? undefined : WebAssembly,
    timeoutMs: 3000,
  };
}

export async function probeBackends(env: ProbeEnvironment = browserEnvironment()): Promise<BackendProbe> {
  return {
    webgpu: await probeWebGpu(env.gpu, env.timeoutMs),
    webgl: probeWebGl(env.createCanvas),
    ...probeWasm(env.webAssembly),
  };
}
