// Types for scripts/bench-report.mjs, so scripts/docs-tables.ts and its test can import the plain-JS report.
import type { BackendResult } from '../src/bench/result';

/** What scripts/bench.mjs gathers (and writes to docs/bench/model-host.json). */
export interface BenchRun {
  date: string;
  chromium: string;
  cpu: string;
  cores: number;
  node: string;
  loadAtStart: string;
  models: string[];
  results: BackendResult[];
}

export function formatReport(run: BenchRun): string;
export function num(n: number): string;
export function delta(n: number): string;
