// Where the time of one gallery run goes (default Megane, 300 images): CPU seconds per browser process
// over the run, when the verdicts came (first, 10%, 50%, 90%, last), and CPU profiles of the offscreen
// document and of the page's main thread summarised by self time (written to /tmp/*.cpuprofile for
// DevTools). Run `npx wxt build` first; `npm run bench:profile`, with PROFILE_COUNT and
// PROFILE_CONTENDER (megane | reference-wasm, which needs the reference built by `npm run bench`) and
// PROFILE_WORKERS (Megane's `modelWorkers` setting); PROFILE_SCROLL=1 scrolls the page to its middle; PROFILE_EXTENSION_DIR runs another build of Megane
// (for an A/B of two commits).
// This is how the offscreen document's blob reads (8 ms per image) were found.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { launchWithExtension } from '../../test/e2e/helpers/browser';
import { patchSettings } from '../../test/e2e/helpers/extension';
import { extensionTargetSession, offscreenSession } from '../../test/e2e/helpers/offscreen';
import { chromeProcesses } from './chrome-processes';
import { galleryPage, type PageSummary } from './gallery-page';

type Progress = { found: number; done: number };
const progressOf = (page: Page) => page.evaluate(() => (window as unknown as { __progress(): Progress }).__progress());
const summaryOf = (page: Page) => page.evaluate(() => (window as unknown as { __summary(): PageSummary }).__summary());

const ROOT = resolve(import.meta.dirname, '..', '..');
const GALLERY_DIR = resolve(ROOT, 'test', 'fixtures', 'gallery');
const COUNT = Number(process.env.PROFILE_COUNT ?? 300);
const CONTENDER = process.env.PROFILE_CONTENDER ?? 'megane';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

function summarise(name: string, p: Profile): void {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (!n) return;
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    const url = n.callFrame.url.replace(/^.*\//, '');
    const key = `${n.callFrame.functionName || '(anon)'} ${url}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  console.log(`\n== ${name}: ${(total / 1e6).toFixed(1)} s sampled`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(v / 1e3).toFixed(0).padStart(7)} ms  ${k}`);
}

function cpuTicks(): Map<string, { ticks: number; kind: string }> {
  return new Map(chromeProcesses().map((p) => [p.pid, { ticks: p.ticks, kind: p.kind }]));
}

async function main() {
  const index = JSON.parse(readFileSync(join(GALLERY_DIR, 'index.json'), 'utf8')) as { file: string; kind: string }[];
  const jpegs = await Promise.all(
    index
      .filter((i) => i.kind === 'photo')
      .map((i) => sharp(join(GALLERY_DIR, i.file)).resize({ width: 480 }).jpeg({ quality: 80 }).toBuffer()),
  );
  const media = createServer((req, res) => {
    const m = /^\/img\/(\d+)\.jpg/.exec(req.url ?? '');
    if (!m) return void res.writeHead(404).end();
    res
      .writeHead(200, { 'content-type': 'image/jpeg', 'access-control-allow-origin': '*', 'cache-control': 'no-store' })
      .end(jpegs[Number(m[1]) % jpegs.length]);
  });
  await new Promise<void>((r) => media.listen(0, 'localhost', r));
  const mediaOrigin = `http://localhost:${(media.address() as AddressInfo).port}`;
  const pages = new Map<string, string>();
  const site = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(pages.get(req.url ?? '') ?? ''));
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  const siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  pages.set(
    '/warm',
    galleryPage(1, () => `${mediaOrigin}/img/0.jpg?warm`),
  );
  pages.set(
    '/run',
    galleryPage(COUNT, (i) => `${mediaOrigin}/img/${i}.jpg?n=${i}`, process.env.PROFILE_SCROLL === '1'),
  );
  const extensionDir = CONTENDER === 'megane' ? process.env.PROFILE_EXTENSION_DIR : resolve(ROOT, '.output', 'bench-reference');
  const ext = await launchWithExtension(extensionDir ? { extensionDir } : {});
  if (CONTENDER === 'megane' && process.env.PROFILE_WORKERS)
    await patchSettings(ext.serviceWorker, { modelWorkers: Number(process.env.PROFILE_WORKERS) });
  if (CONTENDER !== 'megane') await ext.serviceWorker.evaluate(() => chrome.storage.local.set({ backend: 'wasm' }));
  try {
    const warm = await ext.context.newPage();
    await warm.goto(`${siteOrigin}/warm`);
    for (;;) {
      const p = await progressOf(warm).catch(() => null);
      if (p && p.done === 1) break;
      await sleep(300);
    }
    const off = await offscreenSession(ext, warm);
    await off.send('Profiler.enable');
    await off.send('Profiler.setSamplingInterval', { interval: 1000 });
    const sw = await extensionTargetSession(ext, warm, 'background.js');
    await sw.send('Profiler.enable');
    await sw.send('Profiler.setSamplingInterval', { interval: 1000 });
    await sw.send('Profiler.start');
    const page = await ext.context.newPage();
    const cdp = await ext.context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    const cpu0 = cpuTicks();
    await off.send('Profiler.start');
    await cdp.send('Profiler.start');
    const t0 = Date.now();
    await page.goto(`${siteOrigin}/run`, { waitUntil: 'commit' });
    for (;;) {
      const p = await progressOf(page).catch(() => null);
      if (p && p.found === COUNT && p.done === COUNT) break;
      if (Date.now() - t0 > 120_000) break;
      await sleep(300);
    }
    const s = await summaryOf(page);
    const ms = Math.max(...s.images.map((i) => i.done ?? 0)) - Math.min(...s.images.map((i) => i.found));
    console.log(
      `${CONTENDER} ${COUNT}: settled ${(ms / 1000).toFixed(1)} s, ${(COUNT / (ms / 1000)).toFixed(2)} img/s, load ${s.loadAt.toFixed(0)} ms, long tasks ${JSON.stringify(s.longTasks)}`,
    );
    const inView = s.images.filter((i) => i.inView && i.done !== null).map((i) => (i.done ?? 0) - i.found);
    if (inView.length > 0) {
      console.log(
        `viewport: ${inView.length} images, first ${Math.min(...inView).toFixed(0)} ms, mean ${(inView.reduce((a, b) => a + b, 0) / inView.length).toFixed(0)} ms`,
      );
    }
    const cpu1 = cpuTicks();
    for (const [pid, { ticks, kind }] of [...cpu1].sort(
      (a, b) => b[1].ticks - (cpu0.get(b[0])?.ticks ?? 0) - (a[1].ticks - (cpu0.get(a[0])?.ticks ?? 0)),
    )) {
      const d = (ticks - (cpu0.get(pid)?.ticks ?? 0)) / 100;
      if (d > 0.2) console.log(`cpu ${d.toFixed(1)} s  ${pid} ${kind}`);
    }
    const found = s.images.map((i) => i.found).sort((a: number, b: number) => a - b);
    const done = s.images.map((i) => i.done ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
    const at = (q: number) => ((done[Math.min(done.length - 1, Math.floor(q * done.length))] ?? 0) / 1000).toFixed(1);
    console.log(
      `found ${((found[0] ?? 0) / 1000).toFixed(1)}–${((found[found.length - 1] ?? 0) / 1000).toFixed(1)} s; verdicts first ${at(0)}, 10% ${at(0.1)}, 50% ${at(0.5)}, 90% ${at(0.9)}, last ${at(1)} s`,
    );
    const offProfile = ((await off.send('Profiler.stop')) as { profile: Profile }).profile;
    const pageProfile = ((await cdp.send('Profiler.stop')) as unknown as { profile: Profile }).profile;
    writeFileSync(`/tmp/${CONTENDER}-offscreen.cpuprofile`, JSON.stringify(offProfile));
    writeFileSync(`/tmp/${CONTENDER}-page.cpuprofile`, JSON.stringify(pageProfile));
    const swProfile = ((await sw.send('Profiler.stop')) as { profile: Profile }).profile;
    await sw.close();
    summarise('offscreen', offProfile);
    summarise('service worker', swProfile);
    summarise('page', pageProfile);
    await off.close();
  } finally {
    await ext.close();
    media.close();
    site.close();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
