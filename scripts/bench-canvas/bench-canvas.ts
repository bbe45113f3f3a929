// `npm run bench` (canvas part): what watching canvases costs the page's main thread, in headless
// Chromium: canvas-watch.ts's read of one canvas (drawn down to its fingerprint, hashed) for canvases
// from a thumbnail to a large comic page, and what a redraw adds in the page (the model-size PNG).
// Run alone: `npx vite-node scripts/bench-canvas/bench-canvas.ts`. Prints markdown and writes the raw
// numbers to docs/bench/canvas.json (`npm run docs` renders them into docs/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { HIDDEN_SAMPLE_MS, INPUT_SAMPLE_MS, VISIBLE_SAMPLE_MS } from '../../src/content/canvas-fingerprint';
import { machineFacts } from '../bench-machine';
import { findChrome, notFoundMessage } from '../find-chrome.mjs';
import { formatCanvasReport, type CanvasBench } from './canvas-report';
import type { SizeTiming } from './page-entry';

const ROOT = resolve(import.meta.dirname, '..', '..');
const JSON_OUT = resolve(ROOT, 'docs', 'bench', 'canvas.json');
const SIZES: [number, number][] = [
  [320, 320],
  [1000, 1400],
  [2000, 2800],
];
const REPS = 60;

async function main(): Promise<void> {
  const machine = machineFacts();
  const bundle = await build({
    entryPoints: [resolve(import.meta.dirname, 'page-entry.ts')],
    bundle: true,
    format: 'iife',
    write: false,
    // wxt/browser reads the extension API at import; the bench page has none and needs none.
    alias: { 'wxt/browser': resolve(import.meta.dirname, 'no-browser.ts') },
  });
  const { path: executablePath, tried } = findChrome();
  if (!executablePath) throw new Error(notFoundMessage(tried));
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><body></body>');
    await page.addScriptTag({ content: bundle.outputFiles[0]?.text ?? '' });
    const sizes = await page.evaluate(
      ([s, reps]) =>
        (window as unknown as { runCanvasBench: (s: [number, number][], r: number) => Promise<SizeTiming[]> }).runCanvasBench(s, reps),
      [SIZES, REPS] as const,
    );
    const bench: CanvasBench = {
      ...machine,
      chromium: browser.version(),
      visibleSampleMs: VISIBLE_SAMPLE_MS,
      inputSampleMs: INPUT_SAMPLE_MS,
      hiddenSampleMs: HIDDEN_SAMPLE_MS,
      sizes,
    };
    mkdirSync(dirname(JSON_OUT), { recursive: true });
    writeFileSync(JSON_OUT, `${JSON.stringify(bench, null, 2)}\n`);
    console.log(formatCanvasReport(bench));
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
