// The end-to-end bench's arithmetic (scripts/bench-peers/peers-report.ts): what a page's timings add up
// to, the targets as ratios, and the chart's bars. No browser: the numbers are made up.
import { describe, expect, it } from 'vitest';
import type { PageSummary } from '../../scripts/bench-peers/gallery-page';
import {
  batchLine,
  type PageResult,
  type PeersBench,
  returnedShare,
  summarizePage,
  targets,
  throughputSvg,
} from '../../scripts/bench-peers/peers-report';

const none = { heapMB: null, backend: null, tensorsBefore: null, tensorsAfter: null, extensionFetches: 0 };
const image = (found: number, done: number | null, inView = false) => ({ found, done, inView });
const page = (images: PageSummary['images'], now = 10_000): PageSummary => ({
  loadAt: 500,
  now,
  images,
  longTasks: { count: 0, longest: 0 },
});

describe('summarizePage', () => {
  it('counts verdicts per second from the first image found to the last verdict', () => {
    const r = summarizePage('megane', page([image(100, 600, true), image(100, 1100, true), image(200, 2100)]), none);
    expect(r).toMatchObject({ verdicts: 3, capped: false, windowMs: 2000, imagesPerSecond: 1.5, settleMs: 2100 });
    expect(r).toMatchObject({ viewportImages: 2, viewportFirstMs: 500, viewportMeanMs: 750, pageMeanMs: (500 + 1000 + 1900) / 3 });
  });

  it('a run stopped at its budget counts up to the stop and has no settle time', () => {
    const r = summarizePage('reference-webgl', page([image(0, 1000), image(0, null)], 4000), none);
    expect(r).toMatchObject({ verdicts: 1, capped: true, windowMs: 4000, imagesPerSecond: 0.25, settleMs: null });
  });
});

const run = (contender: PageResult['contender'], images: number, imagesPerSecond: number, more: Partial<PageResult> = {}): PageResult => ({
  ...summarizePage(contender, page([]), none),
  images,
  imagesPerSecond,
  ...more,
});

const bench = (runs: PageResult[]): PeersBench => ({
  date: '2026-12-05T00:00:00.000Z',
  cpu: 'test',
  cores: 2,
  node: 'v20',
  loadAtStart: '1.00',
  chromium: 'Chromium',
  loadAtEnd: '1.00',
  pages: [300],
  budgetMs: { megane: 1, 'megane-every-core': 1, 'reference-wasm': 1, 'reference-webgl': 1, none: 1 },
  warmMs: {},
  runs,
  revisit: null,
});

describe('targets', () => {
  it('states each throughput ratio and by how much it misses', () => {
    const list = targets(bench([run('megane', 300, 10), run('reference-wasm', 300, 8), run('reference-webgl', 300, 1)]));
    expect(list[0]).toMatchObject({ measured: '1.25× (missed by 1.44×)', met: false });
    expect(list[1]).toMatchObject({ measured: '10.00×', met: true });
  });

  it('says what a worker on every core adds, and whether memory came back after the idle close', () => {
    const b = bench([run('megane', 300, 10), run('megane-every-core', 300, 12), run('reference-wasm', 300, 8)]);
    const idle = { baselineMB: 200, loadedMB: 420, closedMB: 215, warmVerdictMs: 300, coldVerdictMs: 3100 };
    const list = targets({ ...b, idle });
    expect(list.find((t) => t.target.startsWith('what a worker on every core adds'))?.measured).toMatch(
      /^12\.00 \/ 10\.00 img\/s = 1\.20×/,
    );
    expect(list.find((t) => t.target.startsWith('memory after an idle close'))).toMatchObject({
      measured: '200 MB before the first image, 420 MB loaded, 215 MB 30 s after the close (93% of what loading took given back)',
      met: true,
    });
    expect(targets({ ...b, idle: { ...idle, closedMB: 300 } }).find((t) => t.target.startsWith('memory after'))?.met).toBe(false);
    expect(list.find((t) => t.target.startsWith('reopen'))?.measured).toBe('3100 ms to its verdict (with the model loaded: 300 ms)');
  });
});

describe('throughputSvg', () => {
  it('draws one labelled bar per contender with an extension, none for the page without one', () => {
    const svg = throughputSvg(bench([run('megane', 300, 10), run('reference-wasm', 300, 8), run('none', 300, 0)]));
    expect(svg).toMatch(/^<svg[^>]*>\n<title>/);
    expect(svg.match(/<rect x="\d+\.\d" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#/g)).toHaveLength(2);
    expect(svg).toContain('>10.0</text>');
    expect(svg).toContain('>8.0</text>');
  });
});

describe('batchLine', () => {
  it('prints the curve measured at load on a GPU', () => {
    const line = batchLine({
      backend: 'webgpu',
      size: 16,
      curve: [
        { size: 1, msPerImage: 12 },
        { size: 4, msPerImage: 4.25 },
        { size: 16, msPerImage: 2 },
      ],
    });
    expect(line).toBe('Batch size measured at load on webgpu: 16 (ms per image by batch size: 1: 12.0, 4: 4.3, 16: 2.0).');
  });

  it('says why there is no curve on WASM', () => {
    expect(batchLine(null)).toMatch(/^Batch size: 1 per model worker \(the backend was WASM.*shows the curve\)\.$/);
  });
});

describe('returnedShare', () => {
  it.each([
    [{ baselineMB: 25, loadedMB: 151, closedMB: 34 }, 0.929],
    [{ baselineMB: 25, loadedMB: 151, closedMB: 151 }, 0],
    [{ baselineMB: 25, loadedMB: 151, closedMB: 20 }, 1],
    [{ baselineMB: 25, loadedMB: 25, closedMB: 25 }, null],
    [{ baselineMB: null, loadedMB: 151, closedMB: 34 }, null],
  ])('%j → %s', (mb, expected) => {
    const share = returnedShare({ ...mb, warmVerdictMs: null, coldVerdictMs: null });
    if (expected === null) expect(share).toBeNull();
    else expect(share).toBeCloseTo(expected, 3);
  });
});
