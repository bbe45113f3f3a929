// `npm run bench` (end-to-end part, issue 12's "The benchmark"): Megane beside a reference extension
// built in the same run that does what the peers do (NSFW Filter, HaramBlur: each image URL to the
// service worker, on to nsfwjs's classify() in an offscreen document, one image at a time), on WebGL
// as the peers ship it and on WASM (Megane's backend here), and beside no extension, on gallery pages
// of 50, 300 and 1,000 real photos (test/fixtures/gallery, each at its own URL on another origin).
// Every contender and page gets a fresh browser; a one-image page loads the model first.
// Run alone: `npx wxt build`, then `npx vite-node scripts/bench-peers/bench-peers.ts` (about 10
// minutes on 2 cores). Writes bench/peers.json, bench/peers.md and bench/peers.svg.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { launchWithExtension, type ExtensionBrowser } from '../../test/e2e/helpers/browser';
import { patchSettings } from '../../test/e2e/helpers/extension';
import { offscreenSession } from '../../test/e2e/helpers/offscreen';
import { findChrome, runningAsRoot } from '../find-chrome.mjs';
import { machineFacts } from '../bench-machine';
import { buildReference } from './build-reference';
import { chromeProcesses } from './chrome-processes';
import { galleryPage, type PageSummary } from './gallery-page';
import {
  type BatchCurve,
  type Contender,
  formatPeersReport,
  type IdleResult,
  type PageResult,
  type PeersBench,
  type RevisitResult,
  summarizePage,
  throughputSvg,
} from './peers-report';

const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT_DIR = resolve(ROOT, 'bench');
const GALLERY_DIR = resolve(ROOT, 'test', 'fixtures', 'gallery');

const PAGES = (process.env.PEERS_PAGES ?? '50,300,1000').split(',').map(Number);
/** Per page, from navigation: a run stops there and reports the throughput it measured. */
const BUDGET_MS: Record<Contender, number> = {
  megane: 100_000,
  'megane-every-core': 100_000,
  'reference-wasm': 100_000,
  // nsfwjs on SwiftShader's WebGL runs about one image a second: 1,000 would take a quarter of an hour.
  'reference-webgl': 40_000,
  none: 30_000,
};
const WARM_TIMEOUT_MS = 180_000;
/** Photos as a feed serves them: 480 px wide JPEGs (the reference decodes them at full size, as nsfwjs does). */
const PHOTO_WIDTH = 480;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, host: string) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, host, r));
  return { server, origin: `http://${host}:${(server.address() as AddressInfo).port}` };
}

function photos(): string[] {
  const index = JSON.parse(readFileSync(join(GALLERY_DIR, 'index.json'), 'utf8')) as { file: string; kind: string }[];
  return index.filter((i) => i.kind === 'photo').map((i) => i.file);
}

interface Launched {
  context: BrowserContext;
  extension: ExtensionBrowser | null;
  close(): Promise<void>;
}

async function launch(contender: Contender): Promise<Launched> {
  if (contender === 'none') {
    const path = findChrome().path;
    if (!path) throw new Error('no Chromium found');
    const browser = await chromium.launch({ executablePath: path, headless: true, args: runningAsRoot() ? ['--no-sandbox'] : [] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    return { context, extension: null, close: () => browser.close() };
  }
  const megane = contender === 'megane' || contender === 'megane-every-core';
  const extension = await launchWithExtension(megane ? {} : { extensionDir: resolve(ROOT, '.output', 'bench-reference') });
  if (contender === 'megane-every-core') await patchSettings(extension.serviceWorker, { modelWorkers: cpus().length });
  if (!megane) {
    const backend = contender === 'reference-wasm' ? 'wasm' : 'webgl';
    await extension.serviceWorker.evaluate((b) => chrome.storage.local.set({ backend: b }), backend);
  }
  return { context: extension.context, extension, close: () => extension.close() };
}

type Progress = { found: number; done: number; loadAt: number; now: number };
const progress = (page: Page) => page.evaluate(() => (window as unknown as { __progress(): Progress }).__progress());
const summary = (page: Page) => page.evaluate(() => (window as unknown as { __summary(): PageSummary }).__summary());

/** Opens `url`; waits until every image has its verdict (or, `loadOnly`, a second after load), or the budget ends. */
async function visit(context: BrowserContext, url: string, count: number, budgetMs: number, loadOnly = false): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  for (;;) {
    const p = await progress(page).catch(() => null);
    if (p) {
      if (loadOnly ? p.loadAt > 0 && p.now > p.loadAt + 1000 : p.found === count && p.done === count && p.loadAt > 0) break;
      if (p.now > budgetMs) break;
    }
    await sleep(500);
  }
  return page;
}

interface OffscreenFacts {
  heapMB: number | null;
  tensors: number | null;
  backend: string | null;
  /** Megane's batch size measured at load, on a GPU backend (its status's `batch`). */
  batch: BatchCurve | null;
}

async function offscreenFacts(extension: ExtensionBrowser | null, page: Page): Promise<OffscreenFacts> {
  if (!extension) return { heapMB: null, tensors: null, backend: null, batch: null };
  const session = await offscreenSession(extension, page).catch(() => null);
  if (!session) return { heapMB: null, tensors: null, backend: null, batch: null };
  try {
    const heap = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
    // tfjs-core keeps its engine on the global object (getGlobalNamespace()._tfengine).
    const evaluated = (await session.send('Runtime.evaluate', {
      expression: '[globalThis._tfengine?.state?.numTensors ?? null, globalThis._tfengine?.backendName ?? null]',
      returnByValue: true,
    })) as { result: { value: [number | null, string | null] } };
    const [tensors, backend] = evaluated.result.value;
    // Megane's model workers hold the NSFW model's tensors: its status reports their count, and the
    // batch size it measured at load on a GPU.
    const { workerTensors, batch } = await extension
      .currentWorker()
      .evaluate(async () => {
        const status = await chrome.runtime.sendMessage({ channel: 'background->offscreen', type: 'status' }).catch(() => null);
        return {
          workerTensors: typeof status?.workerTensors === 'number' ? (status.workerTensors as number) : 0,
          batch: (status?.batch ?? null) as { size: number; curve: { size: number; msPerImage: number }[] } | null,
        };
      })
      .catch(() => ({ workerTensors: 0, batch: null }));
    return {
      heapMB: heap.usedSize / 2 ** 20,
      tensors: tensors === null ? null : tensors + workerTensors,
      backend,
      batch: batch && backend ? { backend, ...batch } : null,
    };
  } finally {
    await session.close();
  }
}

async function main(): Promise<void> {
  const machine = machineFacts();
  const started = Date.now();
  console.log('building the reference extension');
  await buildReference();
  const list = photos();
  const jpegs = await Promise.all(
    list.map((p) => sharp(join(GALLERY_DIR, p)).resize({ width: PHOTO_WIDTH }).jpeg({ quality: 80 }).toBuffer()),
  );
  /** Requests per run tag: by the page (<img>) and by the extension (fetch()). */
  const requests = new Map<string, { page: number; extension: number }>();
  const media = await serve((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const match = /^\/img\/(\d+)\.jpg$/.exec(url.pathname);
    if (!match) return void res.writeHead(404).end();
    const tag = url.searchParams.get('run') ?? '';
    const counts = requests.get(tag) ?? { page: 0, extension: 0 };
    if (req.headers['sec-fetch-dest'] === 'image') counts.page++;
    else counts.extension++;
    requests.set(tag, counts);
    res
      .writeHead(200, { 'content-type': 'image/jpeg', 'access-control-allow-origin': '*', 'cache-control': 'no-store' })
      .end(jpegs[Number(match[1]) % jpegs.length]);
  }, 'localhost');
  const pages = new Map<string, string>();
  const site = await serve((req, res) => {
    const body = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  }, '127.0.0.1');
  // The largest page scrolls to its middle: its viewport's images come last in document order.
  const pageUrl = (tag: string, count: number) => {
    const path = `/${tag}`;
    const scroll = count > 1 && count === Math.max(...PAGES);
    pages.set(
      path,
      galleryPage(count, (i) => `${media.origin}/img/${i}.jpg?run=${tag}&n=${i}`, scroll),
    );
    return `${site.origin}${path}`;
  };
  const fetchesOf = (tag: string) => requests.get(tag)?.extension ?? 0;

  const runs: PageResult[] = [];
  const warmMs: PeersBench['warmMs'] = {};
  let batchCurve: BatchCurve | null = null;
  let revisit: RevisitResult | null = null;
  let chromiumVersion = '';
  const order: Contender[] = ['none', 'megane', 'megane-every-core', 'reference-wasm', 'reference-webgl'];
  let idle: IdleResult | null = null;
  try {
    for (const contender of order) {
      // A worker on every core is measured where the throughput target is (300 images and below).
      const pages = contender === 'megane-every-core' ? PAGES.filter((n) => n <= 300) : PAGES;
      for (const count of pages) {
        const t0 = Date.now();
        const browser = await launch(contender);
        try {
          let tensorsBefore: number | null = null;
          const baselineMB = extensionMemoryMB();
          if (browser.extension) {
            const warmStart = Date.now();
            const warm = await visit(browser.context, pageUrl(`${contender}-${count}-warm`, 1), 1, WARM_TIMEOUT_MS);
            warmMs[contender] = Math.max(warmMs[contender] ?? 0, Date.now() - warmStart);
            tensorsBefore = (await offscreenFacts(browser.extension, warm)).tensors;
            await warm.close();
          }
          const tag = `${contender}-${count}`;
          const page = await visit(browser.context, pageUrl(tag, count), count, BUDGET_MS[contender], contender === 'none');
          if (!chromiumVersion) {
            const session = await browser.context.newCDPSession(page);
            chromiumVersion = (await session.send('Browser.getVersion')).product.replace(/^\D*\//, 'Chromium ');
            await session.detach();
          }
          const s = await summary(page);
          const facts = await offscreenFacts(browser.extension, page);
          if (contender === 'megane' && facts.batch) batchCurve ??= facts.batch;
          const result = summarizePage(contender, s, {
            heapMB: facts.heapMB,
            backend: facts.backend,
            tensorsBefore,
            tensorsAfter: facts.tensors,
            extensionFetches: fetchesOf(tag),
          });
          runs.push(result);
          console.log(
            `${contender} ${count}: ${result.verdicts}/${count} verdicts, ${result.imagesPerSecond.toFixed(2)} img/s, load ${result.loadMs.toFixed(0)} ms, ` +
              `${result.longTasks} long tasks, heap ${result.heapMB?.toFixed(1) ?? '—'} MB, tensors ${tensorsBefore} → ${facts.tensors}, ` +
              `requests ${JSON.stringify(requests.get(tag))} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
          );
          if (contender === 'megane' && count === Math.min(...PAGES) && browser.extension) {
            revisit = await repeatAndSlide(browser.extension, page, pageUrl(tag, count), count, fetchesOf, tag);
            console.log(`megane revisit: ${JSON.stringify(revisit)}`);
            idle = await idleCloseAndReopen(browser.extension, baselineMB, (name) => pageUrl(`${tag}-${name}`, 1));
            console.log(`megane idle: ${JSON.stringify(idle)}`);
          }
          await page.close();
        } finally {
          await browser.close();
        }
      }
    }
  } finally {
    await new Promise((r) => site.server.close(r));
    await new Promise((r) => media.server.close(r));
  }
  const bench: PeersBench = {
    ...machine,
    chromium: chromiumVersion,
    loadAtEnd: (loadavg()[0] ?? 0).toFixed(2),
    pages: PAGES,
    budgetMs: BUDGET_MS,
    warmMs,
    runs,
    revisit,
    idle,
    batch: batchCurve,
  };
  mkdirSync(OUT_DIR, { recursive: true });
  const report = formatPeersReport(bench);
  writeFileSync(resolve(OUT_DIR, 'peers.json'), `${JSON.stringify(bench, null, 2)}\n`);
  writeFileSync(resolve(OUT_DIR, 'peers.md'), `${report}\n\n![Images per second](peers.svg)\n`);
  writeFileSync(resolve(OUT_DIR, 'peers.svg'), throughputSvg(bench));
  console.log(report);
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

/**
 * The extension's renderer processes' own memory (offscreen document, its workers, service worker;
 * anonymous pages, not the shared pages of Chromium's binary), MB; null without /proc.
 */
function extensionMemoryMB(): number | null {
  const extension = chromeProcesses().filter((p) => p.extension);
  if (extension.length === 0 || extension.some((p) => p.privateKb === null)) return null;
  return extension.reduce((kb, p) => kb + (p.privateKb ?? 0), 0) / 1024;
}

/** One new image's time from entering its page to its verdict. */
async function oneImageVerdictMs(context: BrowserContext, url: string): Promise<number | null> {
  const page = await visit(context, url, 1, 120_000);
  const s = await summary(page);
  await page.close();
  const image = s.images[0];
  return image?.done == null ? null : image.done - image.found;
}

/** Megane: frees the model as an idle close does (closes the offscreen document), then checks a new image. */
async function idleCloseAndReopen(
  extension: ExtensionBrowser,
  baselineMB: number | null,
  url: (name: string) => string,
): Promise<IdleResult> {
  const warmVerdictMs = await oneImageVerdictMs(extension.context, url('warm-again'));
  const loadedMB = extensionMemoryMB();
  await extension.currentWorker().evaluate(() => chrome.offscreen.closeDocument());
  // Freed pages go back over seconds (sampled, private: 151 MB loaded, +15 s 47, +30 s 34, +3 min 30; baseline 25).
  await sleep(30_000);
  const closedMB = extensionMemoryMB();
  const coldVerdictMs = await oneImageVerdictMs(extension.context, url('after-close'));
  return { baselineMB, loadedMB, closedMB, warmVerdictMs, coldVerdictMs };
}

const verdicts = (page: Page) => page.evaluate(() => [...document.images].map((i) => i.getAttribute('data-megane')));

/** Megane: the same page again in a new tab, then the NSFW slider moved on it; counts the fetches each makes. */
async function repeatAndSlide(
  extension: ExtensionBrowser,
  first: Page,
  url: string,
  count: number,
  fetchesOf: (tag: string) => number,
  tag: string,
): Promise<RevisitResult> {
  const firstVisitFetches = fetchesOf(tag);
  await first.close();
  const page = await visit(extension.context, url, count, 60_000);
  const s = await summary(page);
  const repeatFetches = fetchesOf(tag) - firstVisitFetches;
  const all = s.images.every((i) => i.done !== null);
  const before = await verdicts(page);
  const sliderFrom = 0.7;
  const sliderTo = 0.01;
  const beforeSlider = fetchesOf(tag);
  await patchSettings(extension.currentWorker(), { nsfwThreshold: sliderTo });
  let after = before;
  for (let i = 0; i < 20; i++) {
    await sleep(500);
    after = await verdicts(page);
    if (after.some((v, k) => v !== before[k])) break;
  }
  await sleep(2000);
  after = await verdicts(page);
  await patchSettings(extension.currentWorker(), { nsfwThreshold: sliderFrom });
  await page.close();
  return {
    images: count,
    firstVisitFetches,
    repeatFetches,
    repeatSettleMs: all ? Math.max(...s.images.map((i) => i.done as number)) : null,
    sliderFrom,
    sliderTo,
    sliderFetches: fetchesOf(tag) - beforeSlider,
    sliderChanged: after.filter((v, k) => v !== before[k]).length,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
