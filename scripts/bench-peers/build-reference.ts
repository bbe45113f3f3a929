// Builds the reference extension (scripts/bench-peers/reference/) into .output/bench-reference: the
// service worker and offscreen document bundled from ESM by Vite (tfjs's ES5 bundles break under MV3's
// CSP), the content script as one classic script, and the model and .wasm files Megane ships copied
// from public/ (run `npm run models` first in a fresh clone; `npm install` does it). Nothing comes
// from the web at run time.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SOURCE = resolve(import.meta.dirname, 'reference');
export const REFERENCE_DIR = resolve(ROOT, '.output', 'bench-reference');

export async function buildReference(): Promise<string> {
  rmSync(REFERENCE_DIR, { recursive: true, force: true });
  const common = { configFile: false as const, root: SOURCE, logLevel: 'warn' as const, publicDir: false as const };
  await build({
    ...common,
    base: '/',
    build: {
      outDir: REFERENCE_DIR,
      emptyOutDir: false,
      chunkSizeWarningLimit: 4000,
      rollupOptions: {
        input: { offscreen: resolve(SOURCE, 'offscreen.html'), background: resolve(SOURCE, 'background.ts') },
        output: { entryFileNames: '[name].js' },
      },
    },
  });
  await build({
    ...common,
    build: {
      outDir: REFERENCE_DIR,
      emptyOutDir: false,
      lib: { entry: resolve(SOURCE, 'content.ts'), formats: ['iife'], name: 'peerContent', fileName: () => 'content.js' },
    },
  });
  cpSync(resolve(SOURCE, 'manifest.json'), resolve(REFERENCE_DIR, 'manifest.json'));
  mkdirSync(resolve(REFERENCE_DIR, 'models'), { recursive: true });
  cpSync(resolve(ROOT, 'public', 'models', 'mobilenet_v2_mid'), resolve(REFERENCE_DIR, 'models', 'mobilenet_v2_mid'), {
    recursive: true,
    dereference: true,
  });
  cpSync(resolve(ROOT, 'public', 'wasm'), resolve(REFERENCE_DIR, 'wasm'), { recursive: true, dereference: true });
  return REFERENCE_DIR;
}
