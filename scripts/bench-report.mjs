// Markdown report for `npm run bench` from the bench pages' results (shapes: src/bench/result.ts).
// Pure: scripts/bench.mjs gathers the results and machine facts and prints what this returns.

const LABEL = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };
const CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

/** Two to three significant figures, no exponent for the sizes a bench sees. */
export function num(n) {
  if (!Number.isFinite(n)) return String(n);
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  if (n >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

/** |Δ| of probabilities: four decimals, exponent below that so a control row's ~1e-7 still shows. */
export function delta(n) {
  return n === 0 || n >= 5e-5 ? n.toFixed(4) : n.toExponential(0);
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const escapePipes = (text) => text.replace(/\|/g, '/');
/** Match NOT_REACHED and SKIPPED in src/bench/bench-model.ts. */
const NOT_REACHED = 'not reached';
const SKIPPED = 'skipped';

/** Formats a section of model result `m`: its value, 'timed out' for parts its page never reached, or the error. */
function cellFor(m) {
  return (section, show) => {
    if (section.ok) return show(section.value);
    if (section.error === NOT_REACHED) return m.timedOut ? 'timed out' : NOT_REACHED;
    if (section.error.startsWith(SKIPPED)) return escapePipes(section.error);
    return `error: ${escapePipes(section.error)}`;
  };
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const SPEED_HEADER = [
  'backend',
  'runs on',
  'load ms (incl. warm-up)',
  'warm latency ms (median)',
  'img/s batch 1',
  'img/s batch 8',
  'img/s batch 32',
  'nsfwjs classify() img/s',
  'decode ms/img ours',
  'decode ms/img nsfwjs',
];

function speedRow(result, modelId) {
  const name = LABEL[result.backend];
  if (result.status !== 'ok') {
    const what = result.status === 'absent' ? 'absent' : 'failed';
    return [name, result.device || '—', `${what}: ${escapePipes(result.reason)}`, ...SPEED_HEADER.slice(3).map(() => '—')];
  }
  const m = result.models.find((x) => x.model === modelId);
  if (m === undefined) return [name, result.device, 'not measured', ...SPEED_HEADER.slice(3).map(() => '—')];
  const cell = cellFor(m);
  const batch = (size) =>
    cell(m.throughput, (rows) => {
      const r = rows.find((x) => x.batch === size);
      if (r === undefined) return m.timedOut ? 'timed out' : '—';
      if (r.skippedEstimateMs !== undefined) return `skipped (~${num(r.skippedEstimateMs / 1000)} s per call)`;
      return `${num(r.imagesPerSecond)} (${plural(r.calls, 'call')})`;
    });
  return [
    name,
    result.device || 'CPU',
    cell(m.load, (v) => num(v.ms)),
    cell(m.latency, (v) => `${num(v.medianMs)} (of ${v.runs})`),
    batch(1),
    batch(8),
    batch(32),
    cell(m.nsfwjs, (v) => `${num(v.imagesPerSecond)} (${v.images} img)`),
    cell(m.decode, (v) => `${num(v.oursMs)} (${v.images} img)`),
    cell(m.decode, (v) => num(v.nsfwjsMs)),
  ];
}

function planLine(result) {
  const p = result.plan;
  if (result.status !== 'ok' || p === null || p === undefined) return null;
  const images = (n) => (n === 'all' ? 'all gallery images' : plural(n, 'image'));
  return (
    `${LABEL[result.backend]}: latency median of ≤${plural(p.latencyRuns, 'call')}, ≤${plural(p.imagesPerBatchSize, 'image')} per batch size (at least 1 call), ` +
    `${p.warmEachBatch ? 'one untimed call before each batch size' : 'no untimed call before batch 8/32 (their first call includes any kernel compilation)'}, ` +
    `a batch size is skipped if measuring it would take > ${p.maxBatchSizeMs / 1000} s, nsfwjs on ${images(p.nsfwjsImages)}, ` +
    `decode on ${images(p.decodeImages)}, each timed loop stops after ${p.loopBudgetMs / 1000} s` +
    result.models
      .filter((m) => m.timedOut)
      .map((m) => `; ${m.model} ${m.timedOut}`)
      .join('')
  );
}

function agreementSection(modelId, results) {
  const source = results.find((r) => r.status === 'ok' && r.models.some((m) => m.model === modelId && m.agreement !== null));
  const m = source?.models.find((x) => x.model === modelId);
  if (source === undefined || m === undefined || m.agreement === null)
    return [`### Agreement with nsfwjs: ${modelId}`, '', 'not measured (no backend ran it).'];
  const title = `### Agreement with nsfwjs: ${modelId} on ${LABEL[source.backend]}`;
  if (!m.agreement.ok) return [title, '', cellFor(m)(m.agreement, () => '')];
  const { images, rows } = m.agreement.value;
  const header = [
    'our preprocessing',
    'NSFW score mean Δ',
    'NSFW score max Δ',
    ...CLASSES.map((c) => `${c} mean / max Δ`),
    'worst image (max NSFW Δ)',
  ];
  const body = rows.map((r) => [
    r.variant,
    delta(r.nsfw.mean),
    delta(r.nsfw.max),
    ...CLASSES.map((c) => `${delta(r.classes[c].mean)} / ${delta(r.classes[c].max)}`),
    r.worstImage || '—',
  ]);
  const candidates = rows.filter((r) => r.variant.startsWith('createImageBitmap'));
  const best = [...candidates].sort((a, b) => a.nsfw.mean - b.nsfw.mean || a.nsfw.max - b.nsfw.max)[0];
  // Qualities can give identical pixels (Chrome's 'medium' only differs from 'low' when it can use a mipmap).
  const same = (a, b) => a.nsfw.mean === b.nsfw.mean && a.nsfw.max === b.nsfw.max;
  const quality = (r) => `'${r.variant.replace(/^createImageBitmap (\w+).*$/, '$1')}'`;
  const winners = best === undefined ? [] : candidates.filter((r) => same(r, best)).map(quality);
  return [
    title,
    '',
    `Reference: nsfwjs 4.3.0 classify() on the full-size image (tf bilinear resize, alignCorners), ${images} gallery images; ` +
      `Δ = absolute difference of a probability, NSFW score = Hentai + Porn + Sexy. Ours: createImageBitmap straight to the model's input size with each resizeQuality, through our loader.`,
    '',
    table(header, body),
    '',
    best === undefined
      ? 'No createImageBitmap variant ran.'
      : `Best agreement with nsfwjs: resizeQuality ${winners.join(' and ')}${winners.length > 1 ? ' (tied: identical scores)' : ''} ` +
        `(NSFW score mean Δ ${delta(best.nsfw.mean)}, max Δ ${delta(best.nsfw.max)}).`,
  ];
}

/**
 * @param {{ date: string, chromium: string, cpu: string, cores: number, node: string, loadAtStart: string,
 *   models: string[], results: object[] }} run
 */
export function formatReport(run) {
  const lines = [
    '## Megane model bench',
    '',
    `${run.date} · ${run.chromium}, headless · CPU: ${run.cpu} · ${plural(run.cores, 'core')} · Node ${run.node} · ` +
      `1-min load average at start ${run.loadAtStart} (other work on the machine slows every row)`,
    '',
  ];
  for (const modelId of run.models) {
    lines.push(
      `### ${modelId}`,
      '',
      table(
        SPEED_HEADER,
        run.results.map((r) => speedRow(r, modelId)),
      ),
      '',
    );
  }
  lines.push(
    'Columns: load = loadNsfwModel (fetch weights from the extension, build, warm-up predict). Latency (after one untimed call) ' +
      'and img/s time only predict on images decoded beforehand; "calls" = timed predict calls. ' +
      'nsfwjs = nsfwjs 4.3.0 loading the same model files, classify() on one full-size <img> per call, timed from the first call (its load() already runs the model once). ' +
      'Decode = fetch (HTTP cache) + decode to the model-ready input: ours createImageBitmap at model size, nsfwjs full-size <img> + tf.image.resizeBilinear; both include fromPixels and /255.',
    '',
    'Iterations are capped on slow backends:',
    ...run.results
      .map(planLine)
      .filter((l) => l !== null)
      .map((l) => `- ${l}`),
    '',
  );
  for (const modelId of run.models) lines.push(...agreementSection(modelId, run.results), '');
  return lines.join('\n');
}
