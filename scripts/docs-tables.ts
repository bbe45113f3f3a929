// The benchmark tables in docs/ (and README.md), rendered from the benches' JSON output in docs/bench/
// with the same formatters the benches print with, so prose and numbers cannot drift apart. Pure but for
// reading files; `npm run docs` (scripts/update-docs.ts) writes what this renders.
//
// A generated section sits between two markers, named after its JSON file:
//   <!-- generated from docs/bench/tags.json by `npm run docs`: edit the bench, not this -->
//   ...
//   <!-- end of generated docs/bench/tags.json -->
// test/unit/docs-tables.test.ts fails when a committed section differs from what its JSON renders.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CanvasBench, formatCanvasReport } from './bench-canvas/canvas-report';
import { type ContentBench, formatContentReport } from './bench-content/content-report';
import { formatPeersReport, type PeersBench } from './bench-peers/peers-report';
import { formatTagsReport, type TagsBench } from './bench-tags/tags-report';
import { type BenchRun, formatReport } from './bench-report.mjs';
import { formatHeadsReport, type HeadsJson } from './heads/heads-report';
import { formatTagAccuracy, type TagAccuracy } from './heads/tag-accuracy';
import { formatTrainReport, type TrainBench } from './train/train-report';

export const ROOT = resolve(import.meta.dirname, '..');

/** Each bench's JSON (path from the repository root) and how it is shown (docs/benchmark.md shows them all). */
export const BENCHES: Record<string, (json: unknown) => string> = {
  'docs/bench/model-host.json': (json) => formatReport(json as BenchRun),
  'docs/bench/tags.json': (json) => formatTagsReport(json as TagsBench),
  'docs/bench/train.json': (json) => formatTrainReport(json as TrainBench),
  'docs/bench/canvas.json': (json) => formatCanvasReport(json as CanvasBench),
  'docs/bench/content.json': (json) => formatContentReport(json as ContentBench),
  'bench/peers.json': (json) => formatPeersReport(json as PeersBench),
};

/** Measurements that are not timings: the tags on the test fixtures (written by their unit test) and the
 * heads' held-out operating points (written by `npm run train:heads`). */
export const MEASUREMENTS: Record<string, (json: unknown) => string> = {
  'docs/bench/tag-accuracy.json': (json) => formatTagAccuracy(json as TagAccuracy),
  'public/heads/mobilenet_v2_mid.json': (json) => formatHeadsReport(json as HeadsJson),
};

export const RENDERERS: Record<string, (json: unknown) => string> = { ...BENCHES, ...MEASUREMENTS };

const BEGIN = /^<!-- generated from (\S+) by `npm run docs`: edit the bench, not this -->$/;
const endMarker = (source: string) => `<!-- end of generated ${source} -->`;
export const beginMarker = (source: string) => `<!-- generated from ${source} by \`npm run docs\`: edit the bench, not this -->`;

const HEADING = /^(#{1,6}) /;

/**
 * `markdown` with its headings moved so the highest one sits at `level` (a report's "## Title" under a
 * doc's "### Speed" becomes "####"), keeping the report's own nesting.
 */
export function nestHeadings(markdown: string, level: number): string {
  const lines = markdown.split('\n');
  const levels = lines.flatMap((l) => HEADING.exec(l)?.[1]?.length ?? []);
  if (levels.length === 0) return markdown;
  const shift = level - Math.min(...levels);
  return lines.map((l) => l.replace(HEADING, (_, hashes: string) => `${'#'.repeat(Math.min(6, hashes.length + shift))} `)).join('\n');
}

/**
 * `text` with every generated section's body replaced by `render(source)`, its headings nested one
 * level below the doc heading the section sits under. Throws on a begin marker without its end
 * marker, so a broken doc is never silently half-rewritten.
 */
export function fillGenerated(text: string, render: (source: string) => string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let docLevel = 0;
  let inCode = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    out.push(line);
    if (line.startsWith('```')) inCode = !inCode;
    if (!inCode) docLevel = HEADING.exec(line)?.[1]?.length ?? docLevel;
    const source = BEGIN.exec(line)?.[1];
    if (source === undefined) continue;
    const end = lines.indexOf(endMarker(source), i + 1);
    if (end === -1) throw new Error(`"${line}" has no "${endMarker(source)}" after it`);
    out.push('', nestHeadings(render(source).trimEnd(), docLevel + 1), '', endMarker(source));
    i = end;
  }
  return out.join('\n');
}

/** The JSON sources a text's generated sections name, in order. */
export function generatedSources(text: string): string[] {
  return text.split('\n').flatMap((line) => BEGIN.exec(line)?.[1] ?? []);
}

/** Renders one source from its committed JSON file. */
export function renderSource(source: string, root = ROOT): string {
  const render = RENDERERS[source];
  if (render === undefined) throw new Error(`no renderer for ${source}; known: ${Object.keys(RENDERERS).join(', ')}`);
  return render(JSON.parse(readFileSync(join(root, source), 'utf8')));
}

/** Every markdown file that may hold generated sections: README.md and docs/*.md. */
export function docFiles(root = ROOT): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs.sort()];
}
