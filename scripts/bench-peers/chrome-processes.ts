// Chromium's processes as Linux's /proc lists them, for the benches' CPU and memory readings (empty
// where there is no /proc). A zygote-forked process rewrites its command line into one string with
// spaces, so arguments are split on both NUL and space.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ChromeProcess {
  pid: string;
  /** browser, renderer, gpu-process, utility:<sub-type>; " (extension)" for an extension's renderer. */
  kind: string;
  extension: boolean;
  /** User + system CPU time so far, in clock ticks (1/100 s). */
  ticks: number;
  /** Resident memory, KB. */
  rssKb: number;
  /**
   * Of it, the process's own (anonymous) memory, KB: what it allocated, as opposed to pages of
   * Chromium's binary and other files it mapped, which every Chromium process shares and the kernel
   * may drop at any time. Null where /proc has no smaps_rollup.
   */
  privateKb: number | null;
}

function anonymousKb(pid: string): number | null {
  try {
    const match = /^Anonymous:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export function chromeProcesses(): ChromeProcess[] {
  if (!existsSync('/proc')) return [];
  const out: ChromeProcess[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      if (!/chrom/.test(args[0] ?? '')) continue;
      const stat = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      const type = args.find((a) => a.startsWith('--type='))?.slice(7) ?? 'browser';
      const sub = args.find((a) => a.startsWith('--utility-sub-type='))?.slice(19) ?? '';
      const extension = args.includes('--extension-process');
      out.push({
        pid,
        kind: `${type}${sub ? `:${sub}` : ''}${extension ? ' (extension)' : ''}`,
        extension,
        ticks: Number(stat[11]) + Number(stat[12]),
        rssKb: Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0),
        privateKb: anonymousKb(pid),
      });
    } catch {
      // The process ended while we read it.
    }
  }
  return out;
}
