#!/usr/bin/env node
// `npm run bench`: benchmarks the model host inside headless Chromium with the real extension.
//
//   node scripts/bench.mjs [--all-models] [--backends=wasm,cpu] [--no-build]
//   MEGANE_BENCH_ALL_MODELS=1 npm run bench      (same as --all-models)
//
// Builds Megane with MEGANE_BENCH=1 (adds the bench page, output in .output/bench/chrome-mv3, the normal
// build is untouched), serves the gallery over HTTP with the demo server, and opens the bench page in a
// fresh browser per backend and model (tfjs backends are global to a page; a slow model timing out loses
// only its own page). Each page publishes its numbers on window.__benchResult;
// this script prints them as markdown on stdout and writes them as JSON to docs/bench/model-host.json,
// from which `npm run docs` renders the tables in docs/. Build output and progress go to stderr.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { formatReport } from './bench-report.mjs';
import { startDemoServer } from './demo-server.mjs';
import { extensionArgs, findChrome, notFoundMessage } from './find-chrome.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSION_DIR = join(ROOT, '.output/bench/chrome-mv3');
/** The raw results, committed: docs/benchmark.md's tables are rendered from it (npm run docs). */
const JSON_OUT = join(ROOT, 'docs/bench/model-host.json');
const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];
const DEFAULT_MODEL = 'mobilenet_v2_mid';
const ALL_MODELS = ['mobilenet_v2', 'mobilenet_v2_mid', 'inception_v3'];
/**
 * Longest one bench page (one backend, one model) may take before it counts as timed out and keeps only
 * what finished; the iterations themselves are capped per backend in src/bench/plan.ts.
 */
const PAGE_TIMEOUT_S = {
  webgpu: { mobilenet_v2: 240, mobilenet_v2_mid: 240, inception_v3: 300 },
  webgl: { mobilenet_v2: 180, mobilenet_v2_mid: 180, inception_v3: 300 },
  // WASM also runs the agreement check (6 passes over the gallery): ~10x the work with Inception.
  wasm: { mobilenet_v2: 180, mobilenet_v2_mid: 180, inception_v3: 900 },
  cpu: { mobilenet_v2: 180, mobilenet_v2_mid: 180, inception_v3: 420 },
};

function parseArgs(argv, env) {
  // The env switch also works through `npm run bench`, whose extra arguments go to the script's last command.
  const args = { models: env.MEGANE_BENCH_ALL_MODELS === '1' ? ALL_MODELS : [DEFAULT_MODEL], backends: BACKENDS, build: true };
  for (const arg of argv) {
    if (arg === '--all-models') args.models = ALL_MODELS;
    else if (arg === '--no-build') args.build = false;
    else if (arg.startsWith('--backends=')) {
      args.backends = arg.slice('--backends='.length).split(',');
      const bad = args.backends.filter((b) => !BACKENDS.includes(b));
      if (bad.length > 0) throw new Error(`unknown backend(s) ${bad.join(', ')}; known: ${BACKENDS.join(', ')}`);
    } else throw new Error(`unknown option ${arg}; usage: node scripts/bench.mjs [--all-models] [--backends=wasm,cpu] [--no-build]`);
  }
  return args;
}

function run(command, args, env = process.env) {
  // stdout of the build goes to stderr: stdout is the report only.
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed (exit ${result.status})`);
}

function build() {
  run(process.execPath, [join(ROOT, 'scripts/extract-models.mjs')]);
  run(process.execPath, [join(ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'build'], { ...process.env, MEGANE_BENCH: '1' });
}

function machine(chromePath) {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  let chromiumVersion = 'Chromium (version unknown)';
  try {
    chromiumVersion = execFileSync(chromePath, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // keep the placeholder
  }
  return { date: new Date().toISOString(), chromium: chromiumVersion, cpu, cores: cpus().length, node: process.version };
}

/**
 * Same browser setup as test/e2e/helpers/browser.ts (flags, fresh profile, headless). close() also
 * deletes the profile.
 */
async function launch(chromePath) {
  const profileDir = mkdtempSync(join(tmpdir(), 'megane-bench-'));
  const removeProfile = () => rmSync(profileDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  let context;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromePath,
      headless: true,
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [...extensionArgs(EXTENSION_DIR), '--enable-unsafe-webgpu'],
    });
    const isExtension = (w) => w.url().startsWith('chrome-extension://');
    const worker =
      context.serviceWorkers().find(isExtension) ??
      (await context.waitForEvent('serviceworker', { predicate: isExtension, timeout: 30_000 }));
    const close = () =>
      context
        .close()
        .catch(() => {})
        .then(removeProfile);
    return { context, extensionId: new URL(worker.url()).host, close };
  } catch (err) {
    await context?.close().catch(() => {});
    removeProfile();
    throw err;
  }
}

/** A model row for a page that died without results: every section carries the reason. */
function failedModel(backend, model, reason) {
  const error = { ok: false, error: reason };
  return {
    model,
    load: error,
    latency: error,
    throughput: error,
    nsfwjs: error,
    decode: error,
    agreement: backend === 'wasm' ? error : null,
  };
}

/**
 * One backend's result from its per-model pages: the first page that ran carries the backend facts,
 * a page that failed becomes a row saying why; if none ran, the first failure is the backend's row.
 */
function backendResult(pages) {
  const ran = pages.filter((p) => p.result.status === 'ok');
  if (ran.length === 0) return { ...pages[0].result, models: [] };
  const models = pages.flatMap((p) =>
    p.result.status === 'ok' ? p.result.models : [failedModel(p.result.backend, p.model, `${p.result.status}: ${p.result.reason}`)],
  );
  return { ...ran[0].result, models };
}

const pageFailure = (backend, reason) => ({ backend, status: 'failed', reason, device: '', plan: null, models: [] });

/**
 * Benches one backend and model in a fresh browser (a page still busy after a timeout would otherwise
 * hold up the next one: extension pages share a renderer) and waits for the page's result. After a
 * timeout the partial result (whatever finished) is kept and marked; a crash becomes a failed row.
 */
async function benchPage(chromePath, backend, model, params, timeoutMs) {
  const started = Date.now();
  let browser;
  try {
    browser = await launch(chromePath);
    const page = await browser.context.newPage();
    page.on('console', (msg) => {
      if (msg.text().startsWith('[bench]')) process.stderr.write(`${backend}: ${msg.text().slice(8)}\n`);
    });
    await page.goto(`chrome-extension://${browser.extensionId}/bench.html?${params}`, { waitUntil: 'domcontentloaded' });
    const finished = await page
      .waitForFunction(() => window.__benchResult !== undefined || window.__benchError !== undefined, null, {
        timeout: timeoutMs,
        polling: 1000,
      })
      .then(
        () => true,
        (err) => {
          if (!/Timeout/i.test(String(err))) throw err;
          return false;
        },
      );
    const { result, partial, error } = await page.evaluate(() => ({
      result: window.__benchResult,
      partial: window.__benchPartial,
      error: window.__benchError,
    }));
    if (error !== undefined) throw new Error(error);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (finished) {
      process.stderr.write(`${backend}: ${model}: done in ${seconds} s\n`);
      return result;
    }
    const timedOut = `timed out after ${seconds} s`;
    process.stderr.write(`${backend}: ${model}: ${timedOut}, keeping what finished\n`);
    if (partial === undefined || partial.models.length === 0) return pageFailure(backend, timedOut);
    return { ...partial, models: partial.models.map((m) => ({ ...m, timedOut })) };
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    process.stderr.write(`${backend}: ${model}: ${reason}\n`);
    return pageFailure(backend, reason);
  } finally {
    await browser?.close();
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2), process.env);
  // Before our own build and browser add to it: how busy the machine already was.
  const loadAtStart = loadavg()[0].toFixed(2);
  const { path: chromePath, tried } = findChrome();
  if (!chromePath) throw new Error(notFoundMessage(tried));
  if (args.build) build();

  const files = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/gallery/index.json'), 'utf8')).map((e) => e.file);
  const server = await startDemoServer();
  try {
    const results = [];
    for (const backend of args.backends) {
      const pages = [];
      for (const model of args.models) {
        const params = new URLSearchParams({
          backend,
          models: model,
          images: server.imageOrigin,
          files: files.join(','),
          // Agreement compares preprocessing, not backends, and needs ~6 passes over the gallery: only WASM is fast enough.
          agreement: backend === 'wasm' ? '1' : '0',
        });
        const timeoutMs = PAGE_TIMEOUT_S[backend][model] * 1000;
        process.stderr.write(`${backend}: ${model}: starting (page timeout ${timeoutMs / 1000} s)\n`);
        const result = await benchPage(chromePath, backend, model, params, timeoutMs);
        pages.push({ model, result });
        // Absent stays absent; any other failure may be this model's alone, so the next model still runs.
        if (result.status === 'absent') break;
      }
      results.push(backendResult(pages));
    }
    const run = { ...machine(chromePath), loadAtStart, models: args.models, results };
    mkdirSync(dirname(JSON_OUT), { recursive: true });
    writeFileSync(JSON_OUT, `${JSON.stringify(run, null, 2)}\n`);
    process.stderr.write(`results written to ${JSON_OUT}\n`);
    console.log(formatReport(run));
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
