// Splits a CDP CPU profile of a page's main thread (Profiler.stop) into the time spent under Megane's
// content script and, of that, under its stream sampler. Pure, so test/unit/bench-cpu-profile.test.ts
// can check it on a small hand-made profile.

/** Time in the page spent under Megane's content script, from a CPU profile of its main thread. */
export interface ProfileSplit {
  /** Under any function of the content script (its own code and the browser work it calls), ms. */
  meganeMs: number;
  /** Under classifyVideoFrame: drawing a stream's frame, encoding it, sending it, ms. */
  samplerMs: number;
  /** From profile start to end, ms. */
  profiledMs: number;
}

/** The part of CDP's Profiler.Profile read here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export function splitProfile(profile: CpuProfile): ProfileSplit {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const under = new Map<number, { megane: boolean; sampler: boolean }>();
  const classify = (id: number): { megane: boolean; sampler: boolean } => {
    const known = under.get(id);
    if (known) return known;
    const frame = byId.get(id)?.callFrame;
    const up = parent.get(id);
    const above = up === undefined ? { megane: false, sampler: false } : classify(up);
    const mine = {
      megane: above.megane || (frame?.url.startsWith('chrome-extension://') ?? false),
      sampler: above.sampler || frame?.functionName === 'classifyVideoFrame',
    };
    under.set(id, mine);
    return mine;
  };
  let meganeUs = 0;
  let samplerUs = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // A sample's delta is the time since the one before; it is charged to the sample after it.
    const id = samples[i] as number;
    const us = deltas[i + 1] ?? 0;
    const { megane, sampler } = classify(id);
    if (megane) meganeUs += us;
    if (sampler) samplerUs += us;
  }
  return { meganeMs: meganeUs / 1000, samplerMs: samplerUs / 1000, profiledMs: (profile.endTime - profile.startTime) / 1000 };
}
