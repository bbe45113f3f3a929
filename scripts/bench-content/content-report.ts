// What `npm run bench`'s content-script part measured (written to docs/bench/content.json) and its
// markdown table. Pure: bench-content.ts prints what this returns, scripts/docs-tables.ts renders it.
import { machineLine, type MachineFacts } from '../bench-machine';

/** One page load, with Megane on or off. */
export interface PageRun {
  /** Longest task seen in the page (PerformanceObserver 'longtask'), ms; 0 when none passed 50 ms. */
  longestTaskMs: number;
  /** Tasks of 50 ms or more. */
  longTasks: number;
  /** Main-thread time of the page's renderer (CDP Performance.getMetrics TaskDuration) over the window, ms. */
  taskMs: number;
  /** Of which running script (ScriptDuration), ms. */
  scriptMs: number;
  /** Style recalculation (RecalcStyleDuration), ms: the cover is a CSS filter and a state attribute. */
  styleMs: number;
  /** Layout (LayoutDuration), ms. */
  layoutMs: number;
  /** How long the window was, ms. */
  windowMs: number;
}

export interface ContentBench extends MachineFacts {
  chromium: string;
  /** 1-minute load average when the bench ended. */
  loadAtEnd: string;
  images: {
    elements: number;
    /** Of which inside open and closed shadow roots. */
    inShadowRoots: number;
    distinctUrls: number;
    on: PageRun;
    off: PageRun;
    /** From navigation until the last element had its verdict (Megane on), ms. */
    allVerdictsMs: number;
    /** Elements that ended shown (the rest stayed covered: a verdict that hides, or none in time). */
    shown: number;
    /** How long the CPU profile of the page's main thread ran (Megane on, from the page's load), ms. */
    profiledMs: number;
    /** Of which under the content script's own functions (and the browser work they call), ms. */
    meganeMs: number;
  };
  clips: {
    clips: number;
    /** Of which the page plays from blob: URLs (sampled in the content script). */
    blobClips: number;
    clipSeconds: number;
    on: PageRun;
    off: PageRun;
    /** From navigation until all clips had their verdict, ms. */
    allVerdictsMs: number;
    shown: number;
    /** Frames the offscreen document scanned of the file clips (video-times.ts picks them). */
    fileFrames: number;
    /** Frames the content script drew from the blob: clips (classify-pixels requests seen). */
    sampledFrames: number;
    /** How long the CPU profile of the page's main thread ran (Megane on, from the page's load), ms. */
    profiledMs: number;
    /** Of which under the content script's own functions (and the browser work they call), ms. */
    meganeMs: number;
    /** Of which sampling streams: a frame drawn, encoded as PNG and sent (classifyVideoFrame), ms. */
    samplerMs: number;
  };
  perMinute: {
    /** Frames scanned of a 60 s file. */
    fileFrames: number;
    /** From navigation to the verdict of one 60 s clip, ms. */
    fileScanMs: number;
    /** One sample of a stream in the page: drawn at model size and encoded as PNG, median ms. */
    sampleMs: number;
    /** The model's warm latency per image (docs/bench/model-host.json, WASM), ms. */
    modelMs: number;
    model: string;
    /** Samples per minute of playback of a stream. */
    samplesPerMinute: number;
  };
}

const ms = (n: number) => (n < 1 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const count = (n: number) => n.toLocaleString('en-US');
const s = (n: number) => (n / 1000).toFixed(1);
const perSecond = (run: PageRun) => ms(run.taskMs / (run.windowMs / 1000));

function rows(label: string, run: PageRun): string {
  return `| ${label} | ${ms(run.longestTaskMs)} | ${run.longTasks} | ${ms(run.taskMs)} | ${ms(run.scriptMs)} | ${ms(run.styleMs)} | ${ms(run.layoutMs)} | ${ms(run.taskMs - run.scriptMs - run.styleMs - run.layoutMs)} | ${s(run.windowMs)} | ${perSecond(run)} |`;
}

export function formatContentReport(bench: ContentBench): string {
  const { images, clips, perMinute } = bench;
  const checked = clips.fileFrames + clips.sampledFrames;
  // One sample as the content script paid for it during the clips (draw, PNG, send), from the profile.
  const sampleInScriptMs = clips.sampledFrames > 0 ? clips.samplerMs / clips.sampledFrames : 0;
  const streamMainMs = perMinute.samplesPerMinute * sampleInScriptMs;
  const streamModelMs = perMinute.samplesPerMinute * perMinute.modelMs;
  return [
    `## Content script and video (headless Chromium ${bench.chromium}, no GPU)`,
    '',
    `${machineLine(bench)} · at end ${bench.loadAtEnd}. Other engineers' tests and benches ran on the same 2 cores: the load average says how busy they were, and every time below is longer for it.`,
    '',
    `**${count(images.elements)} images** (\`<img>\` and CSS backgrounds, ${images.inShadowRoots} of them in open and closed shadow roots; ${images.distinctUrls} distinct URLs on another origin): all had their verdict ${s(images.allVerdictsMs)} s after navigation, ${count(images.shown)} shown. **${clips.clips} autoplaying clips** (muted, looping, ${clips.clipSeconds} s WebM, ${clips.blobClips} of them played from blob: URLs): all had their verdict ${s(clips.allVerdictsMs)} s after navigation, ${clips.shown} shown; ${clips.fileFrames} frames scanned in the offscreen document and ${clips.sampledFrames} sampled in the page, ${(checked / (clips.on.windowMs / 1000)).toFixed(1)} frames checked per second over the window.`,
    '',
    '| page | longest task (ms) | tasks ≥ 50 ms | main thread (ms) | of which script (ms) | style (ms) | layout (ms) | the rest: paint, compositing, GC (ms) | window (s) | main thread per second (ms/s) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    rows(`${count(images.elements)} images, Megane on`, images.on),
    rows(`${count(images.elements)} images, Megane off`, images.off),
    rows(`${clips.clips} clips, Megane on`, clips.on),
    rows(`${clips.clips} clips, Megane off`, clips.off),
    '',
    `CPU profiles of the pages with Megane on (from their load: the content script's work before it is not in them) put ${ms(images.meganeMs)} ms of the images page's ${s(images.profiledMs)} s under the content script's functions and the browser work they call; the rest of the difference from Megane off is style, layout and paint the covers and labels cause, which a profile does not charge to a script.`,
    '',
    `On the clips page (${s(clips.profiledMs)} s profiled) the profile puts ${ms(clips.meganeMs)} ms under the content script's functions (${ms(clips.meganeMs / (clips.profiledMs / 1000))} ms/s), of which ${ms(clips.samplerMs)} ms sampling the streams: ${ms(sampleInScriptMs)} ms per sampled frame (drawn, encoded as a PNG, sent). The rest of the difference from Megane off is not in its script (style, paint and compositing of the covered videos, the offscreen document's decoding on the same cores).`,
    '',
    'Cost per minute of playback:',
    '',
    '| video | frames checked per minute | page main thread per minute (ms) | model time per minute (ms) | wall time to verdict (s) |',
    '|---|---|---|---|---|',
    `| file (offscreen scan of a 60 s clip, before it shows) | ${perMinute.fileFrames} | none: all in the offscreen document | ${ms(perMinute.fileFrames * perMinute.modelMs)} | ${s(perMinute.fileScanMs)} |`,
    `| stream (sampled in the page every 2 s of playback) | ${perMinute.samplesPerMinute} | ${ms(streamMainMs)} (${ms(sampleInScriptMs)} per sample in the content script; draw + PNG alone ${ms(perMinute.sampleMs)} in a quiet page) | ${ms(streamModelMs)} | first frame only |`,
    '',
    `Model time: ${perMinute.model} on WASM, ${ms(perMinute.modelMs)} ms warm per frame (the model-host table above), spent in the offscreen document, not the page.`,
  ].join('\n');
}
