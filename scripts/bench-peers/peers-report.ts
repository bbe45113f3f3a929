// What the end-to-end benchmark against the peers' pipeline measured (bench/peers.json), its summary
// per page, the Markdown table, the issue's targets beside the measured ratios, and the SVG chart.
// Pure: bench-peers.ts runs the browsers and prints and writes what this returns.
import { machineLine, type MachineFacts } from '../bench-machine';
import type { PageSummary } from './gallery-page';

export const CONTENDERS = ['megane', 'megane-every-core', 'reference-wasm', 'reference-webgl', 'none'] as const;
export type Contender = (typeof CONTENDERS)[number];

export const CONTENDER_LABEL: Record<Contender, string> = {
  megane: 'Megane (WASM)',
  'megane-every-core': 'Megane (WASM, a worker on every core)',
  'reference-wasm': 'reference, WASM',
  'reference-webgl': 'reference, WebGL (as peers ship)',
  none: 'no extension',
};

/** One gallery page in one browser with one contender. */
export interface PageResult {
  contender: Contender;
  /** Images on the page. */
  images: number;
  /** Images with a verdict when the run stopped. */
  verdicts: number;
  /** The run stopped at its time budget before every image had a verdict. */
  capped: boolean;
  /** From the first image entering the page to the last verdict (or the budget's end), ms. */
  windowMs: number;
  /** Verdicts per second over that window. */
  imagesPerSecond: number;
  /** From navigation to the last verdict, ms; null when capped. */
  settleMs: number | null;
  /** Images in the viewport (the largest page scrolls to its middle): their earliest and mean time from entering the page to verdict, ms. */
  viewportImages: number;
  viewportFirstMs: number | null;
  viewportMeanMs: number | null;
  /** Mean time from entering the page to verdict over every image with one, ms. */
  pageMeanMs: number | null;
  /** Long tasks (50 ms or more) on the page's main thread, and the longest, ms. */
  longTasks: number;
  longestTaskMs: number;
  /** Navigation to the load event, ms. */
  loadMs: number;
  /** Offscreen document's used JS heap after the page, MB (null: no offscreen document). */
  heapMB: number | null;
  /** The tfjs backend the offscreen document ran on (tf.getBackend()). */
  backend: string | null;
  /** tf.memory().numTensors in the offscreen document after warm-up and after the page. */
  tensorsBefore: number | null;
  tensorsAfter: number | null;
  /** Image requests made by the extension (fetch(), not the page's <img>) at the image server. */
  extensionFetches: number;
}

/** Megane only: the same page again, and a slider change on it; neither may run the model. */
export interface RevisitResult {
  images: number;
  firstVisitFetches: number;
  repeatFetches: number;
  /** From navigation to every image having its verdict on the repeat visit, ms (null: not all in time). */
  repeatSettleMs: number | null;
  sliderFrom: number;
  sliderTo: number;
  sliderFetches: number;
  /** Images whose verdict attribute changed after the slider moved (the new threshold applied). */
  sliderChanged: number;
}

/**
 * Megane only, after its smallest page: the model freed as an idle close frees it, and a new image
 * then. Memory is the extension's renderer processes' own (anonymous) memory (Linux /proc; null
 * elsewhere), where the offscreen document and its workers run beside the service worker: their
 * resident size also counts pages of Chromium's binary that running the model touched, which all
 * Chromium processes share and the kernel drops when it needs them.
 */
export interface IdleResult {
  /** Before the first image (model never loaded), with the model loaded (after the page), and 30 s after the close, MB. */
  baselineMB: number | null;
  loadedMB: number | null;
  closedMB: number | null;
  /** A new image's time from entering its page to verdict with the model loaded, and right after the close, ms. */
  warmVerdictMs: number | null;
  coldVerdictMs: number | null;
}

export interface PeersBench extends MachineFacts {
  chromium: string;
  loadAtEnd: string;
  pages: number[];
  /** Time budget of one page per contender, ms: a run stops there and reports what it measured. */
  budgetMs: Record<Contender, number>;
  /** Warm-up (launch to the first verdict on a one-image page: model load) per contender, ms. */
  warmMs: Partial<Record<Contender, number>>;
  runs: PageResult[];
  revisit: RevisitResult | null;
  idle?: IdleResult | null;
  /** Megane's batch size measured at load and its curve, where its backend was a GPU (null on WASM). */
  batch?: BatchCurve | null;
}

/** The batch size the model host measured at load on a GPU backend (src/offscreen/batch-tuning.ts). */
export interface BatchCurve {
  backend: string;
  size: number;
  curve: { size: number; msPerImage: number }[];
}

/** The batch line under the table: the measured curve, or why there is none. */
export function batchLine(batch: BatchCurve | null | undefined): string {
  if (!batch) {
    return 'Batch size: 1 per model worker (the backend was WASM, where one image per call was measured fastest; on WebGPU or WebGL the host measures the size at load and this line shows the curve).';
  }
  const curve = batch.curve.map((t) => `${t.size}: ${t.msPerImage.toFixed(1)}`).join(', ');
  return `Batch size measured at load on ${batch.backend}: ${batch.size} (ms per image by batch size: ${curve}).`;
}

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/** A page's summary into its result (the fields the page can tell). */
export function summarizePage(
  contender: Contender,
  s: PageSummary,
  extra: Pick<PageResult, 'heapMB' | 'backend' | 'tensorsBefore' | 'tensorsAfter' | 'extensionFetches'>,
): PageResult {
  const checked = s.images.filter((i): i is { found: number; done: number; inView: boolean } => i.done !== null);
  const capped = checked.length < s.images.length;
  const firstFound = Math.min(...s.images.map((i) => i.found));
  const lastDone = Math.max(0, ...checked.map((i) => i.done));
  const windowMs = s.images.length === 0 ? 0 : (capped ? s.now : lastDone) - firstFound;
  const waits = (list: typeof checked) => list.map((i) => i.done - i.found);
  const view = s.images.filter((i) => i.inView);
  const viewChecked = checked.filter((i) => i.inView);
  return {
    contender,
    images: s.images.length,
    verdicts: checked.length,
    capped,
    windowMs,
    imagesPerSecond: windowMs > 0 ? checked.length / (windowMs / 1000) : 0,
    settleMs: capped ? null : lastDone,
    viewportImages: view.length,
    viewportFirstMs: viewChecked.length === 0 ? null : Math.min(...waits(viewChecked)),
    viewportMeanMs: mean(waits(viewChecked)),
    pageMeanMs: mean(waits(checked)),
    longTasks: s.longTasks.count,
    longestTaskMs: s.longTasks.longest,
    loadMs: s.loadAt,
    ...extra,
  };
}

export interface Target {
  target: string;
  measured: string;
  met: boolean | null;
}

const find = (b: PeersBench, contender: Contender, images: number) => b.runs.find((r) => r.contender === contender && r.images === images);
const fmt = (n: number | null | undefined, digits = 0) => (n === null || n === undefined ? '—' : n.toFixed(digits));

/** The issue's targets, each beside the measured ratio ("met" or by how much missed). */
/** Of the memory loading the model took, the share the idle close gave back; null without readings. */
export function returnedShare(i: IdleResult): number | null {
  if (i.baselineMB === null || i.loadedMB === null || i.closedMB === null || i.loadedMB <= i.baselineMB) return null;
  return Math.min(1, (i.loadedMB - i.closedMB) / (i.loadedMB - i.baselineMB));
}

export function targets(b: PeersBench): Target[] {
  const out: Target[] = [];
  const mid = b.pages.includes(300) ? 300 : (b.pages[1] ?? b.pages[0] ?? 0);
  const big = Math.max(...b.pages);
  const m = find(b, 'megane', mid);
  for (const [contender, goal] of [
    ['reference-wasm', 1.8],
    ['reference-webgl', 8],
  ] as const) {
    const r = find(b, contender, mid);
    const ratio = m && r && r.imagesPerSecond > 0 ? m.imagesPerSecond / r.imagesPerSecond : null;
    out.push({
      target: `throughput at ${mid} images ≥ ${goal}× ${CONTENDER_LABEL[contender]}`,
      measured:
        ratio === null ? 'not measured' : `${ratio.toFixed(2)}×${ratio >= goal ? '' : ` (missed by ${(goal / ratio).toFixed(2)}×)`}`,
      met: ratio === null ? null : ratio >= goal,
    });
  }
  const every = find(b, 'megane-every-core', mid);
  if (m && every && m.imagesPerSecond > 0) {
    out.push({
      target: `what a worker on every core adds at ${mid} images (automatic keeps one core for the page)`,
      measured: `${every.imagesPerSecond.toFixed(2)} / ${m.imagesPerSecond.toFixed(2)} img/s = ${(every.imagesPerSecond / m.imagesPerSecond).toFixed(2)}×; page load ${fmt(every.loadMs)} / ${fmt(m.loadMs)} ms`,
      met: null,
    });
  }
  const mb = find(b, 'megane', big);
  const nb = find(b, 'none', big);
  const rb = find(b, 'reference-wasm', big);
  const viewRatio = (r: PageResult | undefined) => (r?.viewportMeanMs != null && r.pageMeanMs ? r.viewportMeanMs / r.pageMeanMs : null);
  const loadRatio = (r: PageResult | undefined) => (r && nb && nb.loadMs > 0 ? r.loadMs / nb.loadMs : null);
  const vr = viewRatio(mb);
  const rvr = viewRatio(rb);
  const rlr = loadRatio(rb);
  out.push({
    target: `in-viewport verdicts (mean) ≤ 1/3 of the page-wide mean time to verdict at ${big} images (scrolled to its middle)`,
    measured:
      vr === null
        ? 'not measured'
        : `${fmt(mb?.viewportMeanMs)} ms / ${fmt(mb?.pageMeanMs)} ms = ${vr.toFixed(2)}${vr <= 1 / 3 ? '' : ` (missed by ${(vr * 3).toFixed(1)}×)`}` +
          (rvr === null ? '' : ` (reference, WASM: ${rvr.toFixed(2)})`),
    met: vr === null ? null : vr <= 1 / 3,
  });
  out.push({
    target: `no task over 50 ms on the ${big}-image page (page-wide: content script and page alike)`,
    measured: mb
      ? `${mb.longTasks} long tasks, longest ${fmt(mb.longestTaskMs)} ms (no extension: ${nb ? `${nb.longTasks}, ${fmt(nb.longestTaskMs)} ms` : '—'})`
      : 'not measured',
    met: mb ? mb.longTasks === 0 : null,
  });
  const lr = loadRatio(mb);
  out.push({
    target: `page load ≤ 1.15× without the extension at ${big} images`,
    measured:
      lr === null
        ? 'not measured'
        : `${fmt(mb?.loadMs)} ms / ${fmt(nb?.loadMs)} ms = ${lr.toFixed(2)}×${lr <= 1.15 ? '' : ` (missed by ${(lr / 1.15).toFixed(2)}×)`}` +
          (rlr === null ? '' : ` (reference, WASM: ${rlr.toFixed(2)}×)`),
    met: lr === null ? null : lr <= 1.15,
  });
  out.push({
    target: `numTensors unchanged after ${big} images`,
    measured: mb?.tensorsAfter == null ? 'not reachable' : `${mb.tensorsBefore} → ${mb.tensorsAfter}`,
    met: mb?.tensorsAfter == null ? null : mb.tensorsAfter === mb.tensorsBefore,
  });
  const heaps = b.runs.filter((r) => r.contender === 'megane' && r.heapMB !== null).map((r) => r.heapMB as number);
  out.push({
    target: 'offscreen heap bounded',
    measured:
      heaps.length === 0
        ? 'not measured'
        : `at most ${Math.max(...heaps).toFixed(1)} MB after any page (${heaps.map((h) => h.toFixed(1)).join(', ')} MB)`,
    met: null,
  });
  if (b.revisit) {
    const v = b.revisit;
    out.push({
      target: 'a repeat visit and a slider change run no model',
      measured: `${v.repeatFetches} and ${v.sliderFetches} image fetches by Megane (first visit: ${v.firstVisitFetches} for ${v.images} images)`,
      met: v.repeatFetches === 0 && v.sliderFetches === 0,
    });
  }
  if (b.idle) {
    const i = b.idle;
    const returned = returnedShare(i);
    out.push({
      target: 'memory after an idle close returns to the baseline (extension processes, private)',
      measured:
        `${fmt(i.baselineMB)} MB before the first image, ${fmt(i.loadedMB)} MB loaded, ${fmt(i.closedMB)} MB 30 s after the close` +
        (returned === null ? '' : ` (${(returned * 100).toFixed(0)}% of what loading took given back)`),
      // At least 90% of what loading took: the service worker keeps what it learnt (its score cache) meanwhile.
      met: returned === null ? null : returned >= 0.9,
    });
    out.push({
      target: 'reopen after an idle close (a new image, model loaded again)',
      measured: `${fmt(i.coldVerdictMs)} ms to its verdict (with the model loaded: ${fmt(i.warmVerdictMs)} ms)`,
      met: null,
    });
  }
  return out;
}

export function formatTable(b: PeersBench): string {
  const head =
    '| images | contender | verdicts | img/s | settled s | viewport: first / mean ms | page mean ms | long tasks (longest ms) | load ms | offscreen heap MB | numTensors | fetches by extension |';
  const rows = b.pages.flatMap((n) =>
    CONTENDERS.map((c) => find(b, c, n))
      .filter((r): r is PageResult => r !== undefined)
      .map((r) =>
        r.contender === 'none'
          ? `| ${n} | ${CONTENDER_LABEL.none} | — | — | — | — | — | ${r.longTasks} (${fmt(r.longestTaskMs)}) | ${fmt(r.loadMs)} | — | — | — |`
          : `| ${n} | ${CONTENDER_LABEL[r.contender]} | ${r.verdicts}${r.capped ? ` (budget ${b.budgetMs[r.contender] / 1000} s)` : ''} | ${fmt(r.imagesPerSecond, 2)} | ${r.settleMs === null ? '—' : fmt(r.settleMs / 1000, 1)} | ${fmt(r.viewportFirstMs)} / ${fmt(r.viewportMeanMs)} | ${fmt(r.pageMeanMs)} | ${r.longTasks} (${fmt(r.longestTaskMs)}) | ${fmt(r.loadMs)} | ${fmt(r.heapMB, 1)} | ${r.tensorsBefore ?? '—'} → ${r.tensorsAfter ?? '—'} | ${r.extensionFetches} |`,
      ),
  );
  return [head, `|${'---|'.repeat(12)}`, ...rows].join('\n');
}

export function formatPeersReport(b: PeersBench): string {
  const warm = CONTENDERS.filter((c) => b.warmMs[c] !== undefined)
    .map((c) => `${CONTENDER_LABEL[c]} ${((b.warmMs[c] as number) / 1000).toFixed(1)} s`)
    .join(', ');
  const lines = [
    '### End to end: Megane beside the peers’ pipeline',
    '',
    `${machineLine(b)} · ${b.chromium} headless · 1-min load average at end ${b.loadAtEnd}`,
    '',
    formatTable(b),
    '',
    `Each row: a fresh browser, a one-image page first (model load, not counted: ${warm}), then the gallery. img/s = verdicts from the first image entering the page to the last verdict (or the budget's end). Long tasks and load time are the page's own (content script and page alike).`,
    '',
    '| target (issue 12) | measured | |',
    '|---|---|---|',
    ...targets(b).map((t) => `| ${t.target} | ${t.measured} | ${t.met === null ? '' : t.met ? 'met' : 'missed'} |`),
    '',
    batchLine(b.batch),
  ];
  if (b.revisit) {
    const v = b.revisit;
    lines.push(
      '',
      `Repeat visit (Megane, ${v.images} images): ${v.repeatFetches} fetches, settled in ${v.repeatSettleMs === null ? '—' : `${(v.repeatSettleMs / 1000).toFixed(1)} s`}. Slider ${v.sliderFrom} → ${v.sliderTo}: ${v.sliderFetches} fetches, ${v.sliderChanged} verdicts changed.`,
    );
  }
  return lines.join('\n');
}

const COLORS: Record<Exclude<Contender, 'none'>, string> = {
  megane: '#2b6cb0',
  'megane-every-core': '#63b3ed',
  'reference-wasm': '#dd6b20',
  'reference-webgl': '#9b2c2c',
};

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Grouped bars: images per second per page size, one bar per contender with an extension. */
export function throughputSvg(b: PeersBench): string {
  const contenders = CONTENDERS.filter((c): c is Exclude<Contender, 'none'> => c !== 'none');
  const width = 640;
  const height = 320;
  const left = 50;
  const bottom = 250;
  const top = 40;
  const values = b.runs.filter((r) => r.contender !== 'none').map((r) => r.imagesPerSecond);
  const max = Math.max(1, ...values) * 1.15;
  const groupWidth = (width - left - 20) / Math.max(1, b.pages.length);
  const bar = (groupWidth - 30) / contenders.length;
  const y = (v: number) => bottom - ((bottom - top) * v) / max;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>Images per second from discovery to verdict, per gallery size: Megane beside the peers' pipeline</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">Images per second, discovery to verdict (${escapeXml(b.date.slice(0, 10))}, ${b.cores} cores, load ${b.loadAtStart})</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${width - 10}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333"/>`,
  ];
  const step = max > 20 ? 5 : max > 8 ? 2 : 1;
  for (let v = 0; v <= max; v += step) {
    parts.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`);
    parts.push(`<line x1="${left}" y1="${y(v).toFixed(1)}" x2="${width - 10}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`);
  }
  b.pages.forEach((n, g) => {
    const x0 = left + g * groupWidth + 15;
    contenders.forEach((c, k) => {
      const r = find(b, c, n);
      if (!r) return;
      const x = x0 + k * bar;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(r.imagesPerSecond).toFixed(1)}" width="${(bar - 4).toFixed(1)}" height="${(bottom - y(r.imagesPerSecond)).toFixed(1)}" fill="${COLORS[c]}"/>`,
      );
      parts.push(
        `<text x="${(x + (bar - 4) / 2).toFixed(1)}" y="${(y(r.imagesPerSecond) - 4).toFixed(1)}" text-anchor="middle">${r.imagesPerSecond.toFixed(1)}${r.capped ? '*' : ''}</text>`,
      );
    });
    parts.push(`<text x="${(x0 + (groupWidth - 30) / 2).toFixed(1)}" y="${bottom + 18}" text-anchor="middle">${n} images</text>`);
  });
  contenders.forEach((c, k) => {
    const x = left + (k % 2) * 290;
    const yRow = height - 44 + Math.floor(k / 2) * 16;
    parts.push(`<rect x="${x}" y="${yRow}" width="12" height="12" fill="${COLORS[c]}"/>`);
    parts.push(`<text x="${x + 16}" y="${yRow + 10}">${escapeXml(CONTENDER_LABEL[c])}</text>`);
  });
  parts.push(`<text x="${width - 10}" y="${height - 4}" text-anchor="end" font-size="10">* stopped at its time budget</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
