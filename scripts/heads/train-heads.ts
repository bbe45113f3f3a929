// Trains the `photo` and `illust` heads: logistic regressions on the NSFW model's pooled embedding,
// written to public/heads/<modelId>.json for src/model/embedding-heads.ts.
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
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
import { PACKAGES, SOURCES, type Kind, type Source } from './sources';
import { errorText } from '../../src/util/checks';

const ROOT = resolve(import.meta.dirname, '..', '..');
const GALLERY = join(ROOT, 'test', 'fixtures', 'gallery');
const CACHE = join(ROOT, '.cache', 'heads');
const MANIFEST = join(ROOT, 'scripts', 'heads', 'training-set.json');

/** Bump when decoding changes, so cached embeddings of the old pixels are not reused. */
const PREPARE_VERSION = 1;
const HELD_OUT_FRACTION = 0.2;
const CV_FOLDS = 5;
const LAMBDAS = [0.003, 0.03, 0.3];
const ITERATIONS = 400;
const SIGNIFICANT_DIGITS = 5;
/** Training images closer than this (dHash bits) to an earlier one are duplicates (same picture twice). */
const DUPLICATE_BITS = 4;
const BATCH = 8;
/** The heads trained here and the kind each learns (1 for images of that kind, 0 for the rest). No comic:
 * no Debian package ships comic pages, so `comic` stays a feedback-learned tag. */
const HEAD_TAGS = ['photo', 'illust'] as const;
type HeadTag = (typeof HEAD_TAGS)[number];
const POSITIVE_KIND: Record<HeadTag, Kind> = { photo: 'photo', illust: 'drawing' };

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

async function galleryPrints(): Promise<{ prints: GalleryPrint[]; sourcePaths: Set<string> }> {
  const index = JSON.parse(readFileSync(join(GALLERY, 'index.json'), 'utf8')) as Array<{ file: string }>;
  const prints: GalleryPrint[] = [];
  for (const { file } of index) {
    const bytes = readFileSync(join(GALLERY, file));
    prints.push({ file, sha256: sha256(bytes), dHash: await dHash(bytes) });
  }
  // LICENSES.md rows: | file | package: `original path` | licence | author |
  const sourcePaths = new Set<string>();
  for (const m of readFileSync(join(GALLERY, 'LICENSES.md'), 'utf8').matchAll(/^\| [^|]+ \| [^|:]+: `([^`]+)` \|/gm)) {
    if (m[1]) sourcePaths.add(m[1]);
  }
  return { prints, sourcePaths };
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
  kind: Kind;
  split: 'train' | 'heldOut';
  sha256: string;
  dHash: string;
  /** Per model, the embedding. */
  embedding: Partial<Record<ModelId, Float64Array>>;
}

interface Excluded {
  key: string;
  reason: 'gallery source file' | 'gallery bytes' | 'gallery picture' | 'duplicate' | 'unreadable';
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
  const { prints, sourcePaths } = await galleryPrints();
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
    const started = Date.now();
    for (const image of ordered) {
      if (source.limit !== undefined && taken >= source.limit) break;
      if (sourcePaths.has(image.path)) {
        excluded.push({ key: image.key, reason: 'gallery source file' });
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
      const example: Example = {
        key: image.key,
        source,
        kind: source.kind,
        split: unitHash(args.seed, 'split', image.key) < HELD_OUT_FRACTION ? 'heldOut' : 'train',
        sha256: digest,
        dHash: hash,
        embedding: {},
      };
      examples.push(example);
      pending.push({ example, prepared, pixelKey: known.pixelKey ?? '' });
      taken++;
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

interface TagResult {
  weights: number[];
  bias: number;
  lambda: number;
  heldOutAccuracy: number;
  perKind: Record<Kind, number>;
}

function logLoss(p: number, y: number): number {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
}

/** Chosen L2 strength per model and label vector: a tag whose labels are another's complement (photo vs
 * illust on this data) poses the mirrored problem and gets the same lambda without a second search. */
const chosenLambda = new Map<string, number>();

function trainTag(seed: string, model: ModelId, tag: HeadTag, examples: readonly Example[]): TagResult {
  const rowOf = (e: Example) => {
    const row = e.embedding[model];
    if (row === undefined) throw new Error(`${e.key} has no ${model} embedding`);
    return row;
  };
  const label = (e: Example) => (e.kind === POSITIVE_KIND[tag] ? 1 : 0);
  const train = examples.filter((e) => e.split === 'train');
  const heldOut = examples.filter((e) => e.split === 'heldOut');

  // L2 strength by cross-validation on the training split (seeded folds, balanced log-loss).
  const fold = (e: Example) => Math.floor(unitHash(seed, 'fold', e.key) * CV_FOLDS);
  const labels = train.map(label).join('');
  const mirrored = train.map((e) => 1 - label(e)).join('');
  const known = chosenLambda.get(`${model}:${labels}`) ?? chosenLambda.get(`${model}:${mirrored}`);
  let best = { lambda: known ?? LAMBDAS[0] ?? 0.03, loss: Number.POSITIVE_INFINITY };
  for (const lambda of known === undefined ? LAMBDAS : []) {
    let loss = 0;
    let weight = 0;
    for (let k = 0; k < CV_FOLDS; k++) {
      const fit = train.filter((e) => fold(e) !== k);
      const check = train.filter((e) => fold(e) === k);
      const s = fitStandardiser(fit.map(rowOf));
      const y = fit.map(label);
      const m = trainLogistic(standardise(fit.map(rowOf), s), y, balancedWeights(y), { lambda, iterations: ITERATIONS });
      const checkY = check.map(label);
      const c = balancedWeights(checkY);
      standardise(check.map(rowOf), s).forEach((row, i) => {
        loss += (c[i] ?? 0) * logLoss(predictProbability(m, row), checkY[i] ?? 0);
        weight += c[i] ?? 0;
      });
    }
    console.log(`  ${model} ${tag} lambda ${lambda}: cross-validated log-loss ${(loss / weight).toFixed(4)}`);
    if (loss / weight < best.loss) best = { lambda, loss: loss / weight };
  }
  chosenLambda.set(`${model}:${labels}`, best.lambda);
  if (known !== undefined) console.log(`  ${model} ${tag}: labels mirror another head's, same lambda ${known}`);

  const s = fitStandardiser(train.map(rowOf));
  const y = train.map(label);
  const fitted = trainLogistic(standardise(train.map(rowOf), s), y, balancedWeights(y), { lambda: best.lambda, iterations: ITERATIONS });
  const folded = foldStandardiser(fitted, s);
  const weights = folded.weights.map((w) => roundSignificant(w, SIGNIFICANT_DIGITS));
  const bias = roundSignificant(folded.bias, SIGNIFICANT_DIGITS);

  // Score the held-out split with exactly what ships: the rounded weights through applyHeads.
  const shipped: HeadsFile = { modelId: model, embeddingSize: weights.length, tags: { [tag]: { weights, bias } } };
  const heads = parseHeads(shipped);
  const scores = heldOut.map((e) => applyHeads(heads, Array.from(rowOf(e)))[tag] ?? Number.NaN);
  const perKind = {} as Record<Kind, number>;
  for (const kind of ['photo', 'drawing'] as const) {
    const idx = heldOut.map((e, i) => (e.kind === kind ? i : -1)).filter((i) => i >= 0);
    perKind[kind] = accuracy(
      idx.map((i) => scores[i] ?? Number.NaN),
      idx.map((i) => label(heldOut[i] as Example)),
    );
  }
  return { weights, bias, lambda: best.lambda, heldOutAccuracy: accuracy(scores, heldOut.map(label)), perKind };
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
    for (const tag of HEAD_TAGS) {
      const r = trainTag(args.seed, id, tag, examples);
      tags[tag] = { weights: r.weights, bias: r.bias };
      heldOutAccuracy[tag] = Number(r.heldOutAccuracy.toFixed(4));
      lambdas[tag] = r.lambda;
      console.log(
        `${id} ${tag}: lambda ${r.lambda}, held-out accuracy ${(100 * r.heldOutAccuracy).toFixed(1)}% ` +
          `(photos ${(100 * r.perKind.photo).toFixed(1)}%, drawings ${(100 * r.perKind.drawing).toFixed(1)}%)`,
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
        method: `logistic regression on standardised embeddings (folded into the weights), L2 lambda by ${CV_FOLDS}-fold CV from [${LAMBDAS.join(', ')}] = ${JSON.stringify(lambdas)}, class-balanced, ${ITERATIONS} Nesterov steps; ${Math.round(100 * HELD_OUT_FRACTION)}% held out by seeded hash of the image key`,
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
        images: examples.map((e) => ({ key: e.key, kind: e.kind, split: e.split, sha256: e.sha256, dHash: e.dHash })),
        excluded,
      },
      null,
      0,
    ).replace(/\},\{/g, '},\n{')}\n`,
  );
  console.log(`wrote ${MANIFEST}`);
}

await main();
