// The content bench charges main-thread time to Megane from a CPU profile (scripts/bench-content/
// cpu-profile.ts): a sample counts for the content script when any function above it is the content
// script's, browser work it calls included, and for the sampler when classifyVideoFrame is above it.
import { describe, expect, it } from 'vitest';
import { type CpuProfile, splitProfile } from '../../scripts/bench-content/cpu-profile';

const EXT = 'chrome-extension://abc/content-scripts/content.js';
const frame = (functionName: string, url = '') => ({ functionName, url });

// root ─┬─ (program)
//       ├─ content script (anonymous) ── classifyVideoFrame ── toDataURL (native, no URL)
//       └─ page script
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 6] },
    { id: 2, callFrame: frame('(program)') },
    { id: 3, callFrame: frame('', EXT), children: [4] },
    { id: 4, callFrame: frame('classifyVideoFrame', EXT), children: [5] },
    { id: 5, callFrame: frame('toDataURL') },
    { id: 6, callFrame: frame('onLoad', 'http://127.0.0.1/page') },
  ],
  startTime: 0,
  endTime: 10_000,
  // Each sample lasts until the next one: 1, 2, 3 and 4 ms; the last one has no end.
  samples: [2, 5, 3, 6, 5],
  timeDeltas: [0, 1000, 2000, 3000, 4000],
};

describe('splitProfile', () => {
  it('charges the content script for its own code and the native calls under it', () => {
    expect(splitProfile(profile)).toEqual({ meganeMs: 5, samplerMs: 2, profiledMs: 10 });
  });

  it('charges nothing to Megane on a page without its content script', () => {
    const page = { ...profile, nodes: profile.nodes.map((n) => ({ ...n, callFrame: { ...n.callFrame, url: '' } })) };
    expect(splitProfile(page)).toMatchObject({ meganeMs: 0 });
  });
});
