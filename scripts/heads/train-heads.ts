// Trains the embedding heads: logistic regressions on the NSFW model's pooled embedding for photo and
// illust and for the content tags face, girl, boy, cat, dog and food, written to
// public/heads/<modelId>.json for src/model/embedding-heads.ts.
//
//   npm run train:heads                        # mobilenet_v2_mid and mobilenet_v2
//   npm run train:heads -- --models=inception_v3 --seed=megane-heads-1
//
// Images come from Debian packages (scripts/heads/sources.ts); none are committed. Run order and every
// random choice hang off the seed, and training is plain full-batch gradient descent for a fixed number
// of steps, so the same packages + seed give the same weights. Embeddings are cached in .cache/heads/.
// The test gallery (test/fixtures/gallery) is kept out: its source files (LICENSES.md) are skipped, and
// any image whose bytes (SHA-256) or picture (dHash) matches a gallery image is dropped and reported.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import sharp from 'sharp';
import { MODELS, isModelId, type ModelId } from '../../src/model/catalog';
import { applyHeads, parseHeads, type HeadsFile } from '../../src/model/embedding-heads';
import { loadNsfwModel, type NsfwModel } from '../../src/model/nsfw-model';
import { fileIOHandler } from '../../test/helpers/file-io-handler';
import { dHash, hammingDistance, SAME_PICTURE_BITS, sha256 } from './image-hash';
import {
  accuracy,
  balancedWeights,
  fitStandardiser,
  foldStandardiser,
  predictProbability,
  roundSignificant,
  standardise,
  trainLogistic,
} from './logistic';
import { CONTENT_TAGS, type ContentLabels } from './labels';
import { bestAtPrecision, operatingPoint, type OperatingPoint } from './operating-points';
import { PACKAGES, SOURCES, type Kind, type Source } from './sources';
import { errorText } from '../../src/util/checks';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FIXTURE_DIRS = ['gallery', 'tags', 'objects', 'drawn'].map((d) => join(ROOT, 'test', 'fixtures', d));
const CACHE = join(ROOT, '.cache', 'heads');
const MANIFEST = join(ROOT, 'scripts', 'heads', 'training-set.json');

/** Bump when decoding changes, so cached embeddings of the old pixels are not reused. */
const PREPARE_VERSION = 1;
const HELD_OUT_FRACTION = 0.2;
const CV_FOLDS = 5;
const LAMBDAS = [0.03, 0.3, 3];
const ITERATIONS = 400;
const SIGNIFICANT_DIGITS = 5;
/** Training images closer than this (dHash bits) to an earlier one are duplicates (same picture twice). */
const DUPLICATE_BITS = 4;
const BATCH = 8;
/** The heads trained here. No comic: no Debian package ships comic pages, so `comic` stays a
 * feedback-learned tag. */
const HEAD_TAGS = ['photo', 'illust', ...CONTENT_TAGS] as const;
type HeadTag = (typeof HEAD_TAGS)[number];
const POSITIVE_KIND: Partial<Record<HeadTag, Kind>> = { photo: 'photo', illust: 'drawing' };
/**
 * A content tag's head is calibrated so that 0.5 is its operating point: the lowest score at which the
 * out-of-fold predictions on the training split are this precise (the bias is shifted by the logit of
 * that score). Held-out figures are measured after, on images the choice never saw.
 */
const CALIBRATION_PRECISION = 0.9;
/**
 * A content head ships only if, out of fold, it finds at least this share of the images with its tag at
 * CALIBRATION_PRECISION: a head that cannot would add misses dressed up as a score. The tag then keeps
 * its detector alone, and the heads file says why (trainedOn.notShipped).
 */
const SHIP_MIN_RECALL = 0.2;
/** Thresholds the held-out operating points are published at. */
const REPORT_THRESHOLDS = [0.3, 0.5, 0.7, 0.9];

/** What `tag` says of an image: yes, no, or undefined when it is not labelled for that tag. */
function labelOf(e: { kind: Kind | null; photoIllust: boolean; labels: ContentLabels }, tag: HeadTag): boolean | undefined {
  const kind = POSITIVE_KIND[tag];
  if (kind !== undefined) return e.kind === null || !e.photoIllust ? undefined : e.kind === kind;
  return e.labels[tag as keyof ContentLabels];
}

/**
 * The series a file belongs to: its name without numbers and variant words, so "dog_01_drawn…_02" and
 * "dog_03_drawn…_01", or "pizza_cheese" and "pizza_cheese_bw", land on the same side of the split.
 * A visual-novel character's sprites (one drawing, many expressions) are one series.
 */
export function seriesOf(source: Source, path: string): string {
  return `${source.id}:${seriesStem(path)}`;
}

/** A file's folder and series stem, the same for every source (see seriesOf). */
export function seriesStem(path: string): string {
  const slash = path.lastIndexOf('/');
  const file = path
    .slice(slash + 1)
    .replace(/\.[a-z0-9]+$/i, '')
    .toLowerCase();
  const stem = /^(sylvie|eileen) /.test(file)
    ? (file.split(' ')[0] ?? file)
    : file
        .replace(/[0-9]+/g, ' ')
        .split(/[^a-z]+/)
        .filter((w) => w.length > 0 && !['bw', 'mirror', 'r', 'a', 'b', 'c', 'd', 'e'].includes(w))
        .join('_');
  return `${path.slice(0, slash)}/${stem}`;
}

// ---- arguments

interface Args {
  models: ModelId[];
  seed: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { models: ['mobilenet_v2_mid', 'mobilenet_v2'], seed: 'megane-heads-1' };
  for (const arg of argv) {
    const [name, value] = arg.split('=', 2);
    if (name === '--models' && value) {
      const ids = value.split(',');
      const bad = ids.filter((id) => !isModelId(id));
      if (bad.length > 0) throw new Error(`unknown model id(s): ${bad.join(', ')}`);
      args.models = ids.filter(isModelId);
    } else if (name === '--seed' && value) {
      args.seed = value;
    } else {
      throw new Error(`unknown argument "${arg}" (use --models=id,id and --seed=text)`);
    }
  }
  return args;
}

/** A number in [0, 1) from the seed, a purpose and a key: the only source of "randomness" here. */
function unitHash(seed: string, purpose: string, key: string): number {
  return Number.parseInt(createHash('sha256').update(`${seed}\0${purpose}\0${key}`).digest('hex').slice(0, 8), 16) / 2 ** 32;
}

// ---- packages

function missingPackages(): string[] {
  return PACKAGES.filter((pkg) => {
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax, not a template
      return !execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes(
        'install ok installed',
      );
    } catch {
      return true;
    }
  });
}

// ---- the test gallery, kept out of training

interface GalleryPrint {
  file: string;
  sha256: string;
  dHash: string;
}

/** Every test fixture image (the gallery and the tag and object fixtures), by content, and the package
 * paths their LICENSES.md name: none of them may be trained on. */
async function galleryPrints(): Promise<{ prints: GalleryPrint[]; sourcePaths: Set<string>; sourceSeries: Set<string> }> {
  const prints: GalleryPrint[] = [];
  const sourcePaths = new Set<string>();
  for (const dir of FIXTURE_DIRS) {
    for (const name of readdirSync(dir).filter((n) => /\.(png|jpe?g|webp)$/i.test(n))) {
      const bytes = readFileSync(join(dir, name));
      prints.push({ file: relative(join(ROOT, 'test', 'fixtures'), join(dir, name)), sha256: sha256(bytes), dHash: await dHash(bytes) });
    }
    // LICENSES.md rows: | file | package: `original path` | ... |
    for (const m of readFileSync(join(dir, 'LICENSES.md'), 'utf8').matchAll(/^\| [^|]+ \| [^|:]+: `([^`]+)`/gm)) {
      if (m[1]?.startsWith('/')) sourcePaths.add(m[1]);
    }
  }
  return { prints, sourcePaths, sourceSeries: new Set([...sourcePaths].map(seriesStem)) };
}

// ---- decoding

/** Rasterises an SVG to a PNG about 640 px on its long side, with the empty page around the drawing trimmed. */
async function rasteriseSvg(svg: Buffer): Promise<Buffer> {
  const meta = await sharp(svg, { limitInputPixels: false }).metadata();
  const side = Math.max(meta.width ?? 0, meta.height ?? 0);
  if (side === 0) throw new Error('SVG has no size');
  const density = Math.min(2400, Math.max(8, (72 * 640) / side));
  const png = await sharp(svg, { density, limitInputPixels: false }).timeout({ seconds: 30 }).png().toBuffer();
  try {
    return await sharp(png).trim().png().toBuffer();
  } catch {
    return png; // nothing to trim (or all one colour)
  }
}

interface Prepared {
  /** RGB bytes, row-major, as the model gets them. */
  rgb: Uint8Array;
  width: number;
  height: number;
}

/**
 * Pixels as the extension can see them. Transparent images get a white or black background (browsers
 * hand transparent pixels to the model as black; the gallery flattens onto white) and either the test
 * path (fit inside 640 px, the model resizes) or the extension path (straight to 224x224 with a
 * high-quality filter): the seeded hash picks, so the heads do not depend on either.
 */
async function prepare(encoded: Buffer, seed: string, key: string): Promise<Prepared> {
  const meta = await sharp(encoded, { animated: false, limitInputPixels: false }).metadata();
  let img = sharp(encoded, { animated: false, limitInputPixels: false }).rotate();
  if (meta.hasAlpha) img = img.flatten({ background: unitHash(seed, 'background', key) < 0.5 ? '#ffffff' : '#000000' });
  img =
    unitHash(seed, 'resize', key) < 0.5
      ? img.resize({ width: 640, height: 640, fit: 'inside', withoutEnlargement: true })
      : img.resize(224, 224, { fit: 'fill', kernel: 'lanczos3' });
  const { data, info } = await img.toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
  return { rgb: new Uint8Array(data), width: info.width, height: info.height };
}

// ---- embeddings, cached by the exact pixels

type EmbeddingCache = Record<string, string>;

function loadCache(model: ModelId): EmbeddingCache {
  const file = join(CACHE, `${model}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as EmbeddingCache) : {};
}

function saveCache(model: ModelId, cache: EmbeddingCache): void {
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, `${model}.json`), JSON.stringify(cache));
}

const encodeEmbedding = (values: readonly number[]): string => Buffer.from(Float32Array.from(values).buffer).toString('base64');
function decodeEmbedding(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  return Float64Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
}

// ---- collecting the training set

interface Example {
  key: string;
  source: Source;
  /** Null: the source can't say (not used for photo/illust). */
  kind: Kind | null;
  /** Whether photo/illust learn from it (Source.forPhotoIllust, and within the source's limit). */
  photoIllust: boolean;
  labels: ContentLabels;
  /** Split unit: a file series within its source (seriesOf); never split between train and held out. */
  series: string;
  split: 'train' | 'heldOut';
  sha256: string;
  dHash: string;
  /** Per model, the embedding. */
  embedding: Partial<Record<ModelId, Float64Array>>;
}

interface Excluded {
  key: string;
  reason: 'gallery source file' | 'gallery series' | 'gallery bytes' | 'gallery picture' | 'duplicate' | 'unreadable';
  detail?: string;
}

/**
 * What is known about an image from an earlier run, valid while its bytes (sha256) are the same: its
 * dHash and the key of its prepared pixels, so a re-run neither rasterises nor decodes it again unless
 * some model still lacks its embedding.
 */
interface Screened {
  sha256: string;
  dHash: string;
  pixelKey?: string;
}

const SCREEN_CACHE = join(CACHE, `screened-v${PREPARE_VERSION}.json`);

async function collect(args: Args, models: Map<ModelId, NsfwModel>): Promise<{ examples: Example[]; excluded: Excluded[] }> {
  const { prints, sourcePaths, sourceSeries } = await galleryPrints();
  const gallerySha = new Map(prints.map((p) => [p.sha256, p.file]));
  const caches = new Map(args.models.map((id) => [id, loadCache(id)]));
  const screened: Record<string, Screened> = existsSync(SCREEN_CACHE)
    ? (JSON.parse(readFileSync(SCREEN_CACHE, 'utf8')) as Record<string, Screened>)
    : {};
  const examples: Example[] = [];
  const excluded: Excluded[] = [];
  let pending: Array<{ example: Example; prepared?: Prepared; pixelKey: string }> = [];

  const flush = async () => {
    for (const [id, model] of models) {
      const cache = caches.get(id) ?? {};
      const todo = pending.filter((p) => cache[p.pixelKey] === undefined);
      if (todo.length > 0) {
        const tensors = todo.map((p) => {
          if (p.prepared === undefined) throw new Error(`${p.example.key}: pixels were not prepared`);
          return tf.tensor3d(p.prepared.rgb, [p.prepared.height, p.prepared.width, 3], 'int32');
        });
        try {
          const results = await model.predict(tensors);
          results.forEach((r, i) => {
            const item = todo[i];
            if (item) cache[item.pixelKey] = encodeEmbedding(r.embedding);
          });
        } finally {
          tf.dispose(tensors);
        }
      }
      for (const p of pending) {
        const cached = cache[p.pixelKey];
        if (cached === undefined) throw new Error(`no embedding for ${p.example.key}`);
        p.example.embedding[id] = decodeEmbedding(cached);
      }
    }
    pending = [];
  };

  const unreadable = (key: string, err: unknown): Excluded => ({ key, reason: 'unreadable', detail: errorText(err) });
  const isSvg = (path: string) => /\.svgz?$/i.test(path);

  for (const source of SOURCES) {
    const candidates = source.list();
    if (candidates.length === 0) throw new Error(`source ${source.id} (${source.package}) has no images: is the package installed?`);
    // Seeded order: the first `limit` usable images of this order are taken.
    const ordered = [...candidates].sort(
      (a, b) => unitHash(args.seed, 'pick', a.key) - unitHash(args.seed, 'pick', b.key) || (a.key < b.key ? -1 : 1),
    );
    let taken = 0;
    let takenPlain = 0;
    const started = Date.now();
    for (const image of ordered) {
      const labels = source.labels(image);
      const shows = Object.values(labels).some((v) => v === true);
      if (!shows && source.limit !== undefined && takenPlain >= source.limit) continue;
      if (sourcePaths.has(image.path)) {
        excluded.push({ key: image.key, reason: 'gallery source file' });
        continue;
      }
      if (sourceSeries.has(seriesStem(image.path))) {
        excluded.push({ key: image.key, reason: 'gallery series' });
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = image.read();
      } catch (err) {
        excluded.push(unreadable(image.key, err));
        continue;
      }
      const digest = sha256(bytes);
      const sameBytes = gallerySha.get(digest);
      if (sameBytes !== undefined) {
        excluded.push({ key: image.key, reason: 'gallery bytes', detail: sameBytes });
        continue;
      }
      let known = screened[image.key]?.sha256 === digest ? screened[image.key] : undefined;
      let encoded: Buffer | undefined;
      if (known === undefined) {
        try {
          encoded = isSvg(image.path) ? await rasteriseSvg(bytes) : bytes;
          known = { sha256: digest, dHash: await dHash(encoded) };
        } catch (err) {
          excluded.push(unreadable(image.key, err));
          continue;
        }
      }
      const hash = known.dHash;
      const lookalike = prints.find((g) => hammingDistance(g.dHash, hash) <= SAME_PICTURE_BITS);
      if (lookalike) {
        excluded.push({ key: image.key, reason: 'gallery picture', detail: lookalike.file });
        continue;
      }
      const duplicate = examples.find((e) => hammingDistance(e.dHash, hash) <= DUPLICATE_BITS);
      if (duplicate) {
        excluded.push({ key: image.key, reason: 'duplicate', detail: duplicate.key });
        continue;
      }
      let prepared: Prepared | undefined;
      const pixelKey = known.pixelKey;
      if (pixelKey === undefined || args.models.some((id) => caches.get(id)?.[pixelKey] === undefined)) {
        try {
          encoded ??= isSvg(image.path) ? await rasteriseSvg(bytes) : bytes;
          prepared = await prepare(encoded, args.seed, image.key);
        } catch (err) {
          excluded.push(unreadable(image.key, err));
          continue;
        }
        known = { ...known, pixelKey: `${PREPARE_VERSION}:${sha256(prepared.rgb)}:${prepared.width}x${prepared.height}` };
      }
      screened[image.key] = known;
      const series = seriesOf(source, image.path);
      const example: Example = {
        key: image.key,
        source,
        kind: image.kind === undefined ? source.kind : image.kind,
        // Past a source's limit (taken only because it shows a content tag), an image teaches the content
        // tags but not photo/illust, which keeps the mix of drawings it had before the content heads.
        photoIllust: source.forPhotoIllust !== false && !(source.limit !== undefined && taken >= source.limit),
        labels,
        series,
        split: unitHash(args.seed, 'split', series) < HELD_OUT_FRACTION ? 'heldOut' : 'train',
        sha256: digest,
        dHash: hash,
        embedding: {},
      };
      examples.push(example);
      pending.push({ example, prepared, pixelKey: known.pixelKey ?? '' });
      taken++;
      if (!shows) takenPlain++;
      if (pending.length >= BATCH) await flush();
    }
    await flush();
    console.log(
      `${source.id.padEnd(22)} ${String(taken).padStart(4)} of ${candidates.length} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
    for (const id of args.models) saveCache(id, caches.get(id) ?? {});
    writeFileSync(SCREEN_CACHE, JSON.stringify(screened));
  }
  return { examples, excluded };
}

// ---- training

/** Held-out operating points of one head, for drawings, photos and all labelled images together. */
export interface HeldOutPoints {
  drawing: OperatingPoint[];
  photo: OperatingPoint[];
  all: OperatingPoint[];
}

interface TagResult {
  weights: number[];
  bias: number;
  lambda: number;
  /** Added to the bias so that 0.5 is the calibrated operating point (0 for photo/illust). */
  shift: number;
  /** Out of fold at CALIBRATION_PRECISION (content heads): the recall, or null when never that precise. */
  outOfFoldRecall: number | null;
  heldOutAccuracy: number;
  points: HeldOutPoints;
  /** Labelled images per split, and how many of them show the tag. */
  counts: { train: number; trainYes: number; heldOut: number; heldOutYes: number };
}

function logLoss(p: number, y: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
}

const logit = (p: number) => Math.log(p / (1 - p));

/** Chosen L2 strength per model and label vector: a tag whose labels are another's complement (photo vs
 * illust on this data) poses the mirrored problem and gets the same lambda without a second search. */
const chosenLambda = new Map<string, number>();

function trainTag(seed: string, model: ModelId, tag: HeadTag, examples: readonly Example[]): TagResult {
  const rowOf = (e: Example) => {
    const row = e.embedding[model];
    if (row === undefined) throw new Error(`${e.key} has no ${model} embedding`);
    return row;
  };
  const labelled = examples.filter((e) => labelOf(e, tag) !== undefined);
  const label = (e: Example) => (labelOf(e, tag) ? 1 : 0);
  const train = labelled.filter((e) => e.split === 'train');
  const heldOut = labelled.filter((e) => e.split === 'heldOut');

  // L2 strength by cross-validation on the training split (folds by series, balanced log-loss); the
  // out-of-fold scores at the chosen strength calibrate the content heads.
  const fold = (e: Example) => Math.floor(unitHash(seed, 'fold', e.series) * CV_FOLDS);
  const labels = train.map(label).join('');
  const mirrored = train.map((e) => 1 - label(e)).join('');
  const known = chosenLambda.get(`${model}:${labels}`) ?? chosenLambda.get(`${model}:${mirrored}`);
  const calibrate = POSITIVE_KIND[tag] === undefined;
  const outOfFold = (lambda: number) => {
    const scores = new Array<number>(train.length).fill(0);
    for (let k = 0; k < CV_FOLDS; k++) {
      const fit = train.filter((e) => fold(e) !== k);
      const s = fitStandardiser(fit.map(rowOf));
      const y = fit.map(label);
      const m = trainLogistic(standardise(fit.map(rowOf), s), y, balancedWeights(y), { lambda, iterations: ITERATIONS });
      train.forEach((e, i) => {
        if (fold(e) === k) scores[i] = predictProbability(m, standardise([rowOf(e)], s)[0] as Float64Array);
      });
    }
    return scores;
  };
  let best = { lambda: known ?? LAMBDAS[0] ?? 0.03, loss: Number.POSITIVE_INFINITY, scores: [] as number[] };
  for (const lambda of known === undefined ? LAMBDAS : []) {
    const scores = outOfFold(lambda);
    const y = train.map(label);
    const c = balancedWeights(y);
    let loss = 0;
    let weight = 0;
    scores.forEach((p, i) => {
      loss += (c[i] ?? 0) * logLoss(p, y[i] ?? 0);
      weight += c[i] ?? 0;
    });
    console.log(`  ${model} ${tag} lambda ${lambda}: cross-validated log-loss ${(loss / weight).toFixed(4)}`);
    if (loss / weight < best.loss) best = { lambda, loss: loss / weight, scores };
  }
  chosenLambda.set(`${model}:${labels}`, best.lambda);
  if (known !== undefined) console.log(`  ${model} ${tag}: labels mirror another head's, same lambda ${known}`);

  let shift = 0;
  let outOfFoldRecall: number | null = null;
  if (calibrate) {
    const scores = best.scores.length === train.length ? best.scores : outOfFold(best.lambda);
    const point = bestAtPrecision(
      scores,
      train.map((e) => label(e) === 1),
      CALIBRATION_PRECISION,
    );
    // Never below 0.5: calibration only makes a head more careful than class balance left it.
    const at = Math.min(0.999, Math.max(0.5, point?.threshold ?? 0.5));
    shift = -logit(at);
    outOfFoldRecall = point?.recall ?? null;
    console.log(
      `  ${model} ${tag}: out-of-fold ${Math.round(100 * CALIBRATION_PRECISION)}% precision at ${at.toFixed(3)} ` +
        `(recall ${point?.recall === null || point === null ? '-' : (100 * point.recall).toFixed(0)}%), bias shifted by ${shift.toFixed(3)}`,
    );
  }

  const s = fitStandardiser(train.map(rowOf));
  const y = train.map(label);
  const fitted = trainLogistic(standardise(train.map(rowOf), s), y, balancedWeights(y), { lambda: best.lambda, iterations: ITERATIONS });
  const folded = foldStandardiser(fitted, s);
  const weights = folded.weights.map((w) => roundSignificant(w, SIGNIFICANT_DIGITS));
  const bias = roundSignificant(folded.bias + shift, SIGNIFICANT_DIGITS);

  // Score the held-out split with exactly what ships: the rounded weights through applyHeads.
  const shipped: HeadsFile = { modelId: model, embeddingSize: weights.length, tags: { [tag]: { weights, bias } } };
  const heads = parseHeads(shipped);
  const scores = heldOut.map((e) => applyHeads(heads, Array.from(rowOf(e)))[tag] ?? Number.NaN);
  const yes = heldOut.map((e) => label(e) === 1);
  const pointsFor = (keep: (e: Example) => boolean) => {
    const idx = heldOut.map((e, i) => (keep(e) ? i : -1)).filter((i) => i >= 0);
    return REPORT_THRESHOLDS.map((t) =>
      operatingPoint(
        idx.map((i) => scores[i] ?? Number.NaN),
        idx.map((i) => yes[i] ?? false),
        t,
      ),
    );
  };
  return {
    weights,
    bias,
    lambda: best.lambda,
    shift,
    outOfFoldRecall,
    heldOutAccuracy: accuracy(scores, heldOut.map(label)),
    points: { drawing: pointsFor((e) => e.kind === 'drawing'), photo: pointsFor((e) => e.kind === 'photo'), all: pointsFor(() => true) },
    counts: {
      train: train.length,
      trainYes: train.filter((e) => label(e) === 1).length,
      heldOut: heldOut.length,
      heldOutYes: yes.filter(Boolean).length,
    },
  };
}

// ---- main

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const missing = missingPackages();
  if (missing.length > 0) {
    console.error(
      `Missing Debian packages with the training images. Install them with:\n\n  apt-get install --no-install-recommends ${missing.join(' ')}\n`,
    );
    process.exit(2);
  }
  for (const id of args.models) {
    if (!existsSync(join(ROOT, 'public', 'models', id, 'model.json'))) {
      console.error(`public/models/${id}/model.json is missing: run \`node scripts/extract-models.mjs\` first.`);
      process.exit(2);
    }
  }

  if (!(await tf.setBackend('wasm').catch(() => false))) throw new Error('the tfjs WASM backend did not start');
  await tf.ready();
  const models = new Map<ModelId, NsfwModel>();
  for (const id of args.models) {
    models.set(id, await loadNsfwModel({ spec: MODELS[id], modelUrl: fileIOHandler(join(ROOT, 'public', 'models', id, 'model.json')) }));
  }

  const { examples, excluded } = await collect(args, models);
  for (const model of models.values()) model.dispose();
  const byReason = new Map<string, number>();
  for (const e of excluded) byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + 1);
  console.log(`excluded: ${[...byReason].map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}`);
  for (const e of excluded.filter((x) => x.reason.startsWith('gallery')))
    console.log(`  ${e.reason}: ${e.key}${e.detail ? ` ~ ${e.detail}` : ''}`);

  const count = (kind: Kind, split: Example['split']) => examples.filter((e) => e.kind === kind && e.split === split).length;
  console.log(
    `images: ${examples.length} (train ${count('photo', 'train')} photos + ${count('drawing', 'train')} drawings, ` +
      `held out ${count('photo', 'heldOut')} photos + ${count('drawing', 'heldOut')} drawings)`,
  );

  const date = process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000) : new Date();
  const sources = SOURCES.map((s) => ({
    id: s.id,
    package: s.package,
    kind: s.kind,
    path: s.glob,
    licence: s.licence,
    count: examples.filter((e) => e.source === s).length,
  }));
  for (const id of args.models) {
    const tags: HeadsFile['tags'] = {};
    const heldOutAccuracy: NonNullable<HeadsFile['heldOutAccuracy']> = {};
    const lambdas: Partial<Record<HeadTag, number>> = {};
    const shifts: Partial<Record<HeadTag, number>> = {};
    const heldOutPoints: Partial<Record<HeadTag, HeldOutPoints>> = {};
    const labelled: Partial<Record<HeadTag, TagResult['counts']>> = {};
    const notShipped: Partial<Record<HeadTag, string>> = {};
    for (const tag of HEAD_TAGS) {
      const r = trainTag(args.seed, id, tag, examples);
      if (POSITIVE_KIND[tag] === undefined && (r.outOfFoldRecall ?? 0) < SHIP_MIN_RECALL) {
        notShipped[tag] =
          r.outOfFoldRecall === null
            ? `never ${Math.round(100 * CALIBRATION_PRECISION)}% precise out of fold`
            : `${Math.round(100 * r.outOfFoldRecall)}% recall at ${Math.round(100 * CALIBRATION_PRECISION)}% precision out of fold (needs ${Math.round(100 * SHIP_MIN_RECALL)}%)`;
        console.log(`${id} ${tag}: not shipped: ${notShipped[tag]}`);
      } else tags[tag] = { weights: r.weights, bias: r.bias };
      heldOutAccuracy[tag] = Number(r.heldOutAccuracy.toFixed(4));
      lambdas[tag] = r.lambda;
      if (r.shift !== 0) shifts[tag] = Number(r.shift.toFixed(4));
      heldOutPoints[tag] = r.points;
      labelled[tag] = r.counts;
      const at = (points: OperatingPoint[]) => {
        const p = points.find((x) => x.threshold === 0.5);
        const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(100 * v).toFixed(0)}%`);
        return `P ${pct(p?.precision)} R ${pct(p?.recall)} (${p ? p.tp + p.fn : 0} yes of ${p ? p.tp + p.fp + p.tn + p.fn : 0})`;
      };
      console.log(
        `${id} ${tag}: lambda ${r.lambda}, held-out accuracy ${(100 * r.heldOutAccuracy).toFixed(1)}%; at 0.5 drawings ${at(r.points.drawing)}, photos ${at(r.points.photo)}`,
      );
    }
    const file: HeadsFile = {
      modelId: id,
      embeddingSize: tags.photo?.weights.length ?? 0,
      tags,
      heldOutAccuracy,
      trainedOn: {
        sources,
        seed: args.seed,
        date: date.toISOString().slice(0, 10),
        images: {
          train: examples.filter((e) => e.split === 'train').length,
          heldOut: examples.filter((e) => e.split === 'heldOut').length,
        },
        method: `logistic regression on standardised embeddings (folded into the weights), L2 lambda by ${CV_FOLDS}-fold CV from [${LAMBDAS.join(', ')}] = ${JSON.stringify(lambdas)}, class-balanced, ${ITERATIONS} Nesterov steps; ${Math.round(100 * HELD_OUT_FRACTION)}% held out by seeded hash of the file series (seriesOf: a file's name without numbers and variant words), never by image; content heads' bias shifted so 0.5 is the lowest out-of-fold score with ${Math.round(100 * CALIBRATION_PRECISION)}% precision = ${JSON.stringify(shifts)}`,
        labelled,
        heldOutPoints,
        notShipped,
        excluded: Object.fromEntries(byReason),
        manifest: 'scripts/heads/training-set.json',
      },
    };
    parseHeads(file); // never write a file the extension would reject
    mkdirSync(join(ROOT, 'public', 'heads'), { recursive: true });
    const out = join(ROOT, 'public', 'heads', `${id}.json`);
    writeFileSync(out, `${JSON.stringify(file)}\n`);
    console.log(`wrote ${out} (${(readFileSync(out).length / 1024).toFixed(1)} KB)`);
  }

  writeFileSync(
    MANIFEST,
    `${JSON.stringify(
      {
        note: 'Images the heads in public/heads/ were trained and tested on (none are committed). dHash: 64-bit difference hash of the picture, see image-hash.ts.',
        seed: args.seed,
        sources: SOURCES.map((s) => ({ id: s.id, package: s.package, licence: s.licence })),
        images: examples.map((e) => ({
          key: e.key,
          source: e.source.id,
          kind: e.kind,
          photoIllust: e.photoIllust,
          labels: e.labels,
          series: e.series,
          split: e.split,
          sha256: e.sha256,
          dHash: e.dHash,
        })),
        excluded,
      },
      null,
      0,
    ).replace(/\},\{/g, '},\n{')}\n`,
  );
  console.log(`wrote ${MANIFEST}`);
}

await main();
