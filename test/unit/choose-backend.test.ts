import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { say } from '../../src/background/say';
import type { Backend, BackendChoice } from '../../src/model/backends';
import { chooseBackend, isAvailable, isSoftwareRenderer, withoutBackend, type BackendProbe } from '../../src/model/choose-backend';
import { probeBackends, probeWasm, probeWebGl, probeWebGpu, type GpuLike, type ProbeEnvironment } from '../../src/model/probe-backends';
import { setupBackend } from '../../src/model/setup-backend';

// Adapter/renderer strings as real browsers report them.
const NVIDIA_GPU = { isFallbackAdapter: false, vendor: 'nvidia', architecture: 'ampere', description: '' };
const SWIFTSHADER_GPU = {
  isFallbackAdapter: false,
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader Device (Subzero)',
};
const FALLBACK_GPU = { isFallbackAdapter: true, vendor: '', architecture: '', description: '' };
const LAVAPIPE_GPU = { isFallbackAdapter: false, vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' };
const INTEL_GL = { vendor: 'Google Inc. (Intel)', renderer: 'ANGLE (Intel, Intel(R) UHD Graphics 620 Direct3D11 vs_5_0 ps_5_0, D3D11)' };
const SWIFTSHADER_GL = {
  vendor: 'Google Inc. (Google)',
  renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
};
const LLVMPIPE_GL = { vendor: 'Mesa', renderer: 'llvmpipe (LLVM 15.0.6, 256 bits)' };
const WARP_GL = { vendor: 'Microsoft', renderer: 'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)' };
const FIREFOX_SOFTWARE_GL = { vendor: 'Mozilla', renderer: 'Software' };

const probe = (over: Partial<BackendProbe>): BackendProbe => ({ webgpu: null, webgl: null, wasm: true, wasmSimd: true, ...over });

describe('chooseBackend: auto', () => {
  const cases: Array<[string, BackendProbe, Backend, RegExp]> = [
    ['hardware WebGPU wins', probe({ webgpu: NVIDIA_GPU, webgl: INTEL_GL }), 'webgpu', /WebGPU on a hardware adapter \(nvidia ampere\)/],
    [
      'SwiftShader WebGPU -> hardware WebGL',
      probe({ webgpu: SWIFTSHADER_GPU, webgl: INTEL_GL }),
      'webgl',
      /WebGL on a hardware renderer \(ANGLE \(Intel/,
    ],
    ['fallback WebGPU adapter -> hardware WebGL', probe({ webgpu: FALLBACK_GPU, webgl: INTEL_GL }), 'webgl', /hardware renderer/],
    ['lavapipe WebGPU -> hardware WebGL', probe({ webgpu: LAVAPIPE_GPU, webgl: INTEL_GL }), 'webgl', /hardware renderer/],
    ['no WebGPU -> hardware WebGL', probe({ webgl: INTEL_GL }), 'webgl', /hardware renderer/],
    ['no GPU APIs at all -> WASM', probe({}), 'wasm', /^WASM with SIMD, no WebGPU or WebGL here$/],
    [
      'both GPUs software -> WASM SIMD',
      probe({ webgpu: SWIFTSHADER_GPU, webgl: SWIFTSHADER_GL }),
      'wasm',
      /^WASM with SIMD, faster than a software GPU \(WebGPU adapter is software \(google swiftshader\); WebGL renderer is software \(ANGLE \(Google, Vulkan/,
    ],
    ['llvmpipe WebGL -> WASM', probe({ webgl: LLVMPIPE_GL }), 'wasm', /no WebGPU; WebGL renderer is software \(llvmpipe/],
    ['WARP WebGL -> WASM', probe({ webgl: WARP_GL }), 'wasm', /Microsoft Basic Render/],
    ['Firefox "Software" WebGL -> WASM', probe({ webgl: FIREFOX_SOFTWARE_GL }), 'wasm', /software \(Software\)/],
    [
      'fallback adapter named in reason',
      probe({ webgpu: FALLBACK_GPU }),
      'wasm',
      /WebGPU only has a fallback \(software\) adapter; no WebGL/,
    ],
    ['WASM without SIMD says so', probe({ wasmSimd: false }), 'wasm', /^WASM without SIMD \(slower/],
    [
      'nothing but JS -> CPU',
      probe({ wasm: false, wasmSimd: false }),
      'cpu',
      /^plain JavaScript CPU backend \(slow\): no WebAssembly, no WebGPU or WebGL here$/,
    ],
    [
      'software GPUs, no WASM -> CPU (not a software GPU)',
      probe({ webgpu: SWIFTSHADER_GPU, webgl: SWIFTSHADER_GL, wasm: false }),
      'cpu',
      /^plain JavaScript CPU backend \(slow\): no WebAssembly, WebGPU adapter is software \(google swiftshader\); WebGL renderer is software/,
    ],
    [
      'WebGPU adapter with empty info is trusted',
      probe({ webgpu: { ...FALLBACK_GPU, isFallbackAdapter: false } }),
      'webgpu',
      /unnamed adapter/,
    ],
  ];
  it.each(cases)('%s', (_label, p, backend, reason) => {
    const decision = chooseBackend(p, 'auto');
    expect(decision.backend).toBe(backend);
    expect(say(decision.reason)).toMatch(reason);
  });
});

describe('chooseBackend: choice in settings', () => {
  const cases: Array<[string, BackendProbe, BackendChoice, Backend, RegExp]> = [
    ['WebGPU forced even on SwiftShader', probe({ webgpu: SWIFTSHADER_GPU, webgl: INTEL_GL }), 'webgpu', 'webgpu', /^chosen in settings$/],
    [
      'WebGL forced even when WebGPU is better',
      probe({ webgpu: NVIDIA_GPU, webgl: LLVMPIPE_GL }),
      'webgl',
      'webgl',
      /^chosen in settings$/,
    ],
    ['WASM forced over hardware WebGPU', probe({ webgpu: NVIDIA_GPU }), 'wasm', 'wasm', /^chosen in settings$/],
    ['CPU is always available', probe({ wasm: false, wasmSimd: false }), 'cpu', 'cpu', /^chosen in settings$/],
    [
      'missing WebGPU falls back by auto rules',
      probe({ webgl: INTEL_GL }),
      'webgpu',
      'webgl',
      /^WebGPU was chosen in settings but is not available here; using WebGL on a hardware renderer/,
    ],
    [
      'missing WebGL, software WebGPU -> WASM',
      probe({ webgpu: SWIFTSHADER_GPU }),
      'webgl',
      'wasm',
      /^WebGL was chosen in settings but is not available here; using WASM with SIMD/,
    ],
    [
      'missing WASM -> CPU',
      probe({ wasm: false, wasmSimd: false }),
      'wasm',
      'cpu',
      /^WASM was chosen in settings but is not available here; using plain JavaScript CPU/,
    ],
  ];
  it.each(cases)('%s', (_label, p, choice, backend, reason) => {
    const decision = chooseBackend(p, choice);
    expect(decision.backend).toBe(backend);
    expect(say(decision.reason)).toMatch(reason);
  });
});

describe('isSoftwareRenderer', () => {
  it.each([
    [SWIFTSHADER_GL.renderer, true],
    [LLVMPIPE_GL.renderer, true],
    ['softpipe', true],
    ['Apple Software Renderer', true],
    [WARP_GL.renderer, true],
    [INTEL_GL.renderer, false],
    ['ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)', false],
    ['Apple M1', false],
    ['Mali-G78', false],
    ['', false],
  ])('%j -> %s', (name, software) => {
    expect(isSoftwareRenderer(name)).toBe(software);
  });
});

describe('isAvailable / withoutBackend', () => {
  const full = probe({ webgpu: NVIDIA_GPU, webgl: INTEL_GL });
  it.each([
    ['webgpu', { webgpu: null }],
    ['webgl', { webgl: null }],
    ['wasm', { wasm: false, wasmSimd: false }],
    ['cpu', {}],
  ] as Array<[Backend, Partial<BackendProbe>]>)('withoutBackend(%s)', (backend, change) => {
    expect(withoutBackend(full, backend)).toEqual({ ...full, ...change });
    expect(isAvailable(withoutBackend(full, backend), backend)).toBe(backend === 'cpu');
  });

  it('walks down the auto order as backends fail to start', () => {
    let p = full;
    const order: Backend[] = [];
    for (let i = 0; i < 4; i++) {
      const { backend } = chooseBackend(p, 'auto');
      order.push(backend);
      p = withoutBackend(p, backend);
    }
    expect(order).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });
});

// ---- probe-backends with fake browser objects

describe('probeBackends', () => {
  const gl = (renderer: string, vendor: string, withDebugInfo = true) => {
    let lost = false;
    return {
      RENDERER: 0x1f01,
      VENDOR: 0x1f00,
      getParameter: (p: number) => ({ 7937: 'WebKit WebGL', 7936: 'WebKit', 37446: renderer, 37445: vendor })[p] ?? null,
      getExtension: (name: string) =>
        name === 'WEBGL_debug_renderer_info' && withDebugInfo
          ? {}
          : name === 'WEBGL_lose_context'
            ? { loseContext: () => (lost = true) }
            : null,
      lost: () => lost,
    };
  };
  const gpu = (info: object | null, extra: object = {}): GpuLike => ({
    requestAdapter: async () => (info === null ? null : { info, ...extra }),
  });
  const env = (over: Partial<ProbeEnvironment>): ProbeEnvironment => ({
    gpu: undefined,
    createCanvas: undefined,
    webAssembly: WebAssembly,
    timeoutMs: 50,
    ...over,
  });

  it('reads WebGPU adapter info, WebGL2 unmasked renderer, and WASM SIMD (Node has both)', async () => {
    const context = gl(SWIFTSHADER_GL.renderer, SWIFTSHADER_GL.vendor);
    const asked: string[] = [];
    const probe = await probeBackends(
      env({
        gpu: gpu({ vendor: 'nvidia', architecture: 'ampere', description: 'RTX', isFallbackAdapter: false }),
        createCanvas: () => ({
          getContext: (id) => {
            asked.push(id);
            return id === 'webgl2' ? context : null;
          },
        }),
      }),
    );
    expect(probe).toEqual({
      webgpu: { isFallbackAdapter: false, vendor: 'nvidia', architecture: 'ampere', description: 'RTX' },
      webgl: { renderer: SWIFTSHADER_GL.renderer, vendor: SWIFTSHADER_GL.vendor },
      wasm: true,
      wasmSimd: true,
    });
    expect(asked[0]).toBe('webgl2');
    expect(context.lost()).toBe(true);
  });

  it('falls back to WebGL1, masked renderer names, and adapter-level isFallbackAdapter', async () => {
    const probe = await probeBackends(
      env({
        gpu: gpu({}, { isFallbackAdapter: true }),
        createCanvas: () => ({ getContext: (id) => (id === 'webgl' ? gl('x', 'y', false) : null) }),
      }),
    );
    expect(probe.webgpu).toEqual({ isFallbackAdapter: true, vendor: '', architecture: '', description: '' });
    expect(probe.webgl).toEqual({ renderer: 'WebKit WebGL', vendor: 'WebKit' });
  });

  it('treats missing, null, hanging or throwing APIs as unavailable', async () => {
    const hanging: GpuLike = { requestAdapter: () => new Promise(() => {}) };
    const throwing: GpuLike = { requestAdapter: async () => Promise.reject(new Error('blocked')) };
    expect(await probeWebGpu(undefined, 50)).toBeNull();
    expect(await probeWebGpu(gpu(null), 50)).toBeNull();
    expect(await probeWebGpu(hanging, 20)).toBeNull();
    expect(await probeWebGpu(throwing, 50)).toBeNull();
    expect(probeWebGl(undefined)).toBeNull();
    expect(probeWebGl(() => ({ getContext: () => null }))).toBeNull();
    expect(
      probeWebGl(() => {
        throw new Error('no canvas');
      }),
    ).toBeNull();
    expect(probeWasm(undefined)).toEqual({ wasm: false, wasmSimd: false });
    // A browser whose validator rejects the SIMD opcode (pre-SIMD Safari).
    const noSimd = { validate: (bytes: BufferSource) => (bytes as Uint8Array).length === 8 };
    expect(probeWasm(noSimd)).toEqual({ wasm: true, wasmSimd: false });
  });
});

// ---- setup-backend in Node: real tfjs, fake probe

describe('setupBackend', () => {
  const WASM_DIR = `${resolve(import.meta.dirname, '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')}/`;
  const options = (p: BackendProbe) => ({ probe: async () => p, wasmPath: WASM_DIR });

  it('starts the chosen backend', async () => {
    const cpu = await setupBackend('cpu', options(probe({})));
    expect({ ...cpu, reason: say(cpu.reason) }).toEqual({ backend: 'cpu', reason: 'chosen in settings' });
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await setupBackend('auto', options(probe({ webgl: LLVMPIPE_GL })));
    expect(wasm.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // Threads stay off whatever the platform offers.
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(tf.sum(tf.tensor([1, 2, 3])).arraySync()).toBe(6);
  });

  it('walks down by the auto rules when a backend cannot start (no WebGPU/WebGL in Node)', async () => {
    // The probe claims a real GPU, but Node has neither API: WebGPU throws, WebGL fails to initialise.
    const result = await setupBackend('webgpu', options(probe({ webgpu: NVIDIA_GPU, webgl: INTEL_GL })));
    expect(result.backend).toBe('wasm');
    expect(say(result.reason)).toMatch(
      /^WebGPU failed to start \(.+\); WebGL failed to start \(.+\); using WASM with SIMD, no WebGPU or WebGL here$/,
    );
    expect(tf.getBackend()).toBe('wasm');
  });

  it('serialises overlapping calls; the last one wins', async () => {
    const [a, b] = await Promise.all([setupBackend('wasm', options(probe({}))), setupBackend('cpu', options(probe({})))]);
    expect([a.backend, b.backend]).toEqual(['wasm', 'cpu']);
    expect(tf.getBackend()).toBe('cpu');
  });
});
