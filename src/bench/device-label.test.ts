import { describe, expect, it } from 'vitest';
import type { BackendProbe } from '../model/choose-backend';
import { deviceLabel, shortRenderer } from './device-label';

describe('shortRenderer', () => {
  it.each([
    [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'Vulkan 1.3.0 (SwiftShader Device (Subzero))',
    ],
    [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0',
    ],
    ['Apple M1', 'Apple M1'],
  ])('%s -> %s', (renderer, expected) => {
    expect(shortRenderer(renderer)).toBe(expected);
  });
});

describe('deviceLabel', () => {
  const probe: BackendProbe = {
    webgpu: { isFallbackAdapter: true, vendor: 'google', architecture: 'swiftshader', description: '' },
    webgl: { renderer: 'Apple M1', vendor: 'Apple' },
    wasm: true,
    wasmSimd: true,
  };

  it('names the adapter, the renderer, WASM SIMD and the JS backend', () => {
    expect(deviceLabel(probe, 'webgpu')).toBe('google swiftshader (fallback adapter)');
    expect(deviceLabel(probe, 'webgl')).toBe('Apple M1');
    expect(deviceLabel(probe, 'wasm')).toBe('SIMD, 1 thread');
    expect(deviceLabel(probe, 'cpu')).toBe('plain JS');
  });
});
