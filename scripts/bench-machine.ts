// The machine facts every bench records beside its numbers (a reader compares runs by them): when, which
// CPU and how many cores, which Node, and how busy the machine already was when the bench started.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

export interface MachineFacts {
  /** ISO date and time of the run. */
  date: string;
  cpu: string;
  cores: number;
  node: string;
  /** 1-minute load average when the bench started, two decimals: other work slows every row. */
  loadAtStart: string;
}

export function machineFacts(): MachineFacts {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: fall back to Node's name for the CPU
  }
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  return { date: new Date().toISOString(), cpu, cores: cpus().length, node: process.version, loadAtStart: (loadavg()[0] ?? 0).toFixed(2) };
}

/** One line of machine facts for a report. */
export function machineLine(m: MachineFacts): string {
  return `${m.date} · CPU: ${m.cpu} · ${m.cores} cores · Node ${m.node} · 1-min load average at start ${m.loadAtStart}`;
}
