// `npm run bench` (content-script part): what Megane costs a page's main thread, with the built
// extension (.output/chrome-mv3, `npx wxt build`) in headless Chromium, against the same page with
// Megane switched off in its settings:
// - 1,000 image elements (<img> and CSS backgrounds, two fifths in open and closed shadow roots) from
//   another origin: longest task, main-thread time, time until every element has its verdict;
// - 20 autoplaying muted clips (WebM made with ffmpeg, half files, half played from blob: URLs so
//   both the offscreen scan and the content script's sampler run): the same, per second of playback,
//   and frames checked per second;
// - the cost per minute of playback: the scan of a 60 s file, and one sample of a stream in the page.
// Run alone: `npx wxt build`, then `npx vite-node scripts/bench-content/bench-content.ts` (about 3
// minutes; needs ffmpeg and ffprobe).
// Prints markdown and writes the raw numbers to docs/bench/content.json (`npm run docs` renders them).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import sharp from 'sharp';
import { MODELS } from '../../src/model/catalog';
import { DEFAULT_SETTINGS } from '../../src/settings/schema';
import { VIDEO_STEP_S, pickVideoTimes } from '../../src/offscreen/video-times';
import { launchWithExtension, type ExtensionBrowser } from '../../test/e2e/helpers/browser';
import { patchSettings } from '../../test/e2e/helpers/extension';
import { machineFacts } from '../bench-machine';
import type { BenchRun } from '../bench-report.mjs';
import { type ContentBench, formatContentReport, type PageRun } from './content-report';
import { type ProfileSplit, splitProfile } from './cpu-profile';
import { clipsPage, imagesPage, sampleCostInPage } from './pages';

const ROOT = resolve(import.meta.dirname, '..', '..');
const JSON_OUT = resolve(ROOT, 'docs', 'bench', 'content.json');
const GALLERY_DIR = resolve(ROOT, 'test', 'fixtures', 'gallery');

const ELEMENTS = 1000;
/** Distinct image URLs on the 1,000-element page: each is one model run; more would mostly time the model. */
const DISTINCT = 250;
const CLIPS = 20;
const SCENE_S = 4;
/** Scenes per short clip: 2 x SCENE_S seconds. */
const CLIP_SCENES = 2;
/** Playback window of the clips page at least, ms. */
const CLIP_WINDOW_MS = 30_000;
const LONG_CLIP_S = 60;
const SAMPLE_REPS = 30;
/** CPU profile sampling interval for the pages with Megane on, µs. */
const PROFILE_INTERVAL_US = 1000;

/** Records the page's long tasks from the start of every document. */
const LONGTASK_SCRIPT = `(() => {
  const t = (window.__longTasks = { longest: 0, count: 0 });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) { t.count++; t.longest = Math.max(t.longest, e.duration); }
  }).observe({ type: 'longtask', buffered: true });
})();`;

interface BenchState {
  shown: number;
  covered: number;
  lastChange: number;
  allShownAt: number;
  loadAt: number;
  tracked: number;
  now: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, host: string) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, host, r));
  return { server, origin: `http://${host}:${(server.address() as AddressInfo).port}` };
}

/** A WebM of `pictures` (gallery photos), SCENE_S seconds each, 320 px at 10 frames per second. */
function clip(dir: string, pictures: string[], out: string): string {
  const size = 320;
  const inputs = pictures.flatMap((p) => ['-loop', '1', '-t', String(SCENE_S), '-i', join(GALLERY_DIR, p)]);
  const scaled = pictures
    .map(
      (_, i) =>
        `[${i}]scale=${size}:${size}:force_original_aspect_ratio=increase,crop=${size}:${size},setsar=1,fps=10,format=yuv420p[v${i}]`,
    )
    .join(';');
  const concat = `${pictures.map((_, i) => `[v${i}]`).join('')}concat=n=${pictures.length}:v=1[out]`;
  const path = join(dir, out);
  execFileSync(
    'ffmpeg',
    ['-v', 'error', '-y', ...inputs, '-filter_complex', `${scaled};${concat}`, '-map', '[out]'].concat([
      '-c:v',
      'libvpx',
      '-b:v',
      '400k',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      path,
    ]),
  );
  return path;
}

function duration(path: string): number {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  return Number.parseFloat(out);
}

async function metrics(session: CDPSession): Promise<{ task: number; script: number; style: number; layout: number }> {
  const { metrics: list } = await session.send('Performance.getMetrics');
  const get = (name: string) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { task: get('TaskDuration'), script: get('ScriptDuration'), style: get('RecalcStyleDuration'), layout: get('LayoutDuration') };
}

const state = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __bench: Omit<BenchState, 'tracked' | 'now'>; __tracked: Element[] };
    return { ...w.__bench, tracked: w.__tracked.length, now: performance.now() };
  });

/**
 * Opens `url` in a new page and waits until `done` says so (polled once a second, which costs the
 * page next to nothing); returns the page's run and its last state. The page stays open for more.
 */
async function run(
  browser: ExtensionBrowser,
  url: string,
  done: (s: BenchState) => boolean,
  timeoutMs: number,
  profile = false,
): Promise<{ page: Page; session: CDPSession; run: PageRun; state: BenchState; split?: ProfileSplit }> {
  const page = await browser.context.newPage();
  await page.addInitScript(LONGTASK_SCRIPT);
  const session = await browser.context.newCDPSession(page);
  await session.send('Performance.enable');
  const before = await metrics(session);
  await page.goto(url);
  if (profile) {
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: PROFILE_INTERVAL_US });
    await session.send('Profiler.start');
  }
  let last = await state(page);
  const deadline = Date.now() + timeoutMs;
  while (!done(last)) {
    if (Date.now() > deadline) {
      console.warn(`${url}: gave up after ${timeoutMs / 1000} s: ${JSON.stringify(last)}`);
      break;
    }
    await sleep(1000);
    last = await state(page);
  }
  const after = await metrics(session);
  const split = profile ? splitProfile((await session.send('Profiler.stop')).profile) : undefined;
  const tasks = await page.evaluate(() => (window as unknown as { __longTasks: { longest: number; count: number } }).__longTasks);
  return {
    page,
    session,
    split,
    state: last,
    run: {
      longestTaskMs: tasks.longest,
      longTasks: tasks.count,
      taskMs: after.task - before.task,
      scriptMs: after.script - before.script,
      styleMs: after.style - before.style,
      layoutMs: after.layout - before.layout,
      windowMs: last.now,
    },
  };
}

async function close(page: Page): Promise<void> {
  await page.close().catch(() => {});
}

/** Sets Megane on or off for every site (the off run: its content script reads that and stops). */
const megane = (browser: ExtensionBrowser, enabled: boolean) => patchSettings(browser.serviceWorker, { enabled });

/** Starts counting the classify requests the service worker receives, by type. */
async function countRequests(browser: ExtensionBrowser): Promise<() => Promise<Record<string, number>>> {
  await browser.serviceWorker.evaluate(() => {
    const g = globalThis as unknown as { __benchCounts?: Record<string, number> };
    if (g.__benchCounts === undefined) {
      chrome.runtime.onMessage.addListener((message: { type?: string }) => {
        const counts = g.__benchCounts as Record<string, number>;
        const type = String(message?.type);
        counts[type] = (counts[type] ?? 0) + 1;
      });
    }
    g.__benchCounts = {};
  });
  return () =>
    browser.serviceWorker.evaluate(() => ({ ...(globalThis as unknown as { __benchCounts: Record<string, number> }).__benchCounts }));
}

function modelLatency(): { model: string; ms: number } {
  const host = JSON.parse(readFileSync(resolve(ROOT, 'docs', 'bench', 'model-host.json'), 'utf8')) as BenchRun;
  const wasm = host.results.find((r) => r.backend === 'wasm');
  const model = wasm?.models?.find((m) => m.model === DEFAULT_SETTINGS.model) ?? wasm?.models?.[0];
  const latency = model?.latency;
  if (!model || !latency?.ok) throw new Error('docs/bench/model-host.json has no WASM latency: run `node scripts/bench.mjs` first');
  return { model: model.model, ms: latency.value.medianMs };
}

async function main(): Promise<void> {
  const machine = machineFacts();
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'megane-bench-content-'));
  const photos = readdirPhotos();
  // Small JPEGs as a feed shows them, made once from the gallery's photos.
  const jpegs = await Promise.all(photos.map((p) => sharp(join(GALLERY_DIR, p)).resize(192, 192).jpeg({ quality: 80 }).toBuffer()));
  const shortClips = [0, 1, 2].map((k) =>
    clip(
      dir,
      Array.from({ length: CLIP_SCENES }, (_, i) => photos[(k * CLIP_SCENES + i) % photos.length] as string),
      `clip-${k}.webm`,
    ),
  );
  const longClip = clip(
    dir,
    Array.from({ length: LONG_CLIP_S / SCENE_S }, (_, i) => photos[i % photos.length] as string),
    'long.webm',
  );
  const files: Record<string, Buffer> = Object.fromEntries([...shortClips, longClip].map((p) => [p.split('/').pop(), readFileSync(p)]));
  const media = await serve((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
    const image = /^img\/(\d+)\.jpg$/.exec(name);
    const body = image ? jpegs[Number(image[1]) % jpegs.length] : files[name];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': image ? 'image/jpeg' : 'video/webm', 'access-control-allow-origin': '*' }).end(body);
  }, 'localhost');
  const pages: Record<string, string> = {};
  // The page from a server of its own, on another origin than the media (playwright's page.route
  // breaks the page's media requests).
  const site = await serve((req, res) => {
    const body = pages[new URL(req.url ?? '/', 'http://x').pathname];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  }, '127.0.0.1');

  // Each run asks for its own URLs, so neither the HTTP cache nor Megane's answers carry over.
  const imageUrl = (runName: string) => (i: number) => `${media.origin}/img/${i}.jpg?run=${runName}&n=${i}`;
  pages['/warm'] = imagesPage(1, 1, imageUrl('warm'));
  pages['/images-on'] = imagesPage(ELEMENTS, DISTINCT, imageUrl('on'));
  pages['/images-off'] = imagesPage(ELEMENTS, DISTINCT, imageUrl('off'));
  const clipUrls = (runName: string, from: number, n: number) =>
    Array.from({ length: n }, (_, i) => `${media.origin}/clip-${(from + i) % shortClips.length}.webm?run=${runName}&n=${from + i}`);
  for (const runName of ['on', 'off']) {
    pages[`/clips-${runName}`] = clipsPage(clipUrls(runName, 0, CLIPS / 2), clipUrls(runName, CLIPS / 2, CLIPS / 2));
  }
  pages['/long'] = clipsPage([`${media.origin}/long.webm?run=long`], []);

  const browser = await launchWithExtension();
  try {
    // The first page loads the model in the offscreen document: not part of any page's cost below.
    const warm = await run(browser, `${site.origin}/warm`, (s) => s.shown === s.tracked, 120_000);
    const { product } = await warm.session.send('Browser.getVersion');
    await close(warm.page);

    console.log('1,000 images');
    const allSettled = (s: BenchState) => s.shown === s.tracked || (s.lastChange > 0 && s.now - s.lastChange > 15_000);
    const imagesOn = await run(browser, `${site.origin}/images-on`, allSettled, 180_000, true);
    await close(imagesOn.page);
    await megane(browser, false);
    // Off: until the page has loaded every image, and a second more.
    const imagesOff = await run(browser, `${site.origin}/images-off`, (s) => s.loadAt > 0 && s.now > s.loadAt + 1000, 60_000);
    await close(imagesOff.page);
    await megane(browser, true);

    console.log(`${CLIPS} clips`);
    const requests = await countRequests(browser);
    // At least CLIP_WINDOW_MS, and 10 s of playback after the last clip's verdict.
    const clipsOn = await run(
      browser,
      `${site.origin}/clips-on`,
      (s) => s.now >= Math.max(CLIP_WINDOW_MS, (s.allShownAt || Number.POSITIVE_INFINITY) + 10_000),
      180_000,
      true,
    );
    const counts = await requests();
    await close(clipsOn.page);
    const windowMs = clipsOn.run.windowMs;
    await megane(browser, false);
    const clipsOff = await run(browser, `${site.origin}/clips-off`, (s) => s.now >= windowMs, 120_000);
    const modelSize = MODELS[DEFAULT_SETTINGS.model].inputSize;
    const sampleMs = await clipsOff.page.evaluate(sampleCostInPage, [modelSize, SAMPLE_REPS] as [number, number]);
    await close(clipsOff.page);
    await megane(browser, true);

    console.log(`one ${LONG_CLIP_S} s clip`);
    const long = await run(browser, `${site.origin}/long`, (s) => s.shown === s.tracked, 180_000);
    await close(long.page);

    const shortFrames = pickVideoTimes(duration(shortClips[0] as string)).length;
    const model = modelLatency();
    const bench: ContentBench = {
      ...machine,
      chromium: product.replace(/^\D*\//, ''),
      loadAtEnd: (loadavg()[0] ?? 0).toFixed(2),
      images: {
        elements: imagesOn.state.tracked,
        inShadowRoots: imagesOn.state.tracked - Math.floor((ELEMENTS * 3) / 5),
        distinctUrls: DISTINCT,
        on: imagesOn.run,
        off: imagesOff.run,
        allVerdictsMs: imagesOn.state.allShownAt || imagesOn.state.lastChange,
        shown: imagesOn.state.shown,
        profiledMs: imagesOn.split?.profiledMs ?? 0,
        meganeMs: imagesOn.split?.meganeMs ?? 0,
      },
      clips: {
        clips: clipsOn.state.tracked,
        blobClips: CLIPS / 2,
        clipSeconds: SCENE_S * CLIP_SCENES,
        on: clipsOn.run,
        off: clipsOff.run,
        allVerdictsMs: clipsOn.state.allShownAt || clipsOn.state.lastChange,
        shown: clipsOn.state.shown,
        fileFrames: (CLIPS / 2) * shortFrames,
        sampledFrames: counts['classify-pixels'] ?? 0,
        profiledMs: clipsOn.split?.profiledMs ?? 0,
        meganeMs: clipsOn.split?.meganeMs ?? 0,
        samplerMs: clipsOn.split?.samplerMs ?? 0,
      },
      perMinute: {
        fileFrames: pickVideoTimes(duration(longClip)).length,
        fileScanMs: long.state.allShownAt || long.state.lastChange,
        sampleMs,
        modelMs: model.ms,
        model: model.model,
        samplesPerMinute: 60 / VIDEO_STEP_S,
      },
    };
    mkdirSync(dirname(JSON_OUT), { recursive: true });
    writeFileSync(JSON_OUT, `${JSON.stringify(bench, null, 2)}\n`);
    console.log(formatContentReport(bench));
    console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s; classify requests during the clips: ${JSON.stringify(counts)})`);
  } finally {
    await browser.close();
    await new Promise((r) => site.server.close(r));
    await new Promise((r) => media.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}

function readdirPhotos(): string[] {
  const index = JSON.parse(readFileSync(join(GALLERY_DIR, 'index.json'), 'utf8')) as { file: string; kind: string }[];
  return index.filter((i) => i.kind === 'photo').map((i) => i.file);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
