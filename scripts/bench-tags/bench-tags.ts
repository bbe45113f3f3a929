// `npm run bench` (tags part): what the tag rules cost per image, in Node on TensorFlow.js's WASM
// backend (the backend "auto" picks on a machine without a real GPU). Rows: the NSFW model alone
// (what runs while only the NSFW rule is on: its embedding heads are part of the same run), then
// with each detector a hidden tag would load. Run alone: `npx vite-node scripts/bench-tags/bench-tags.ts`.
// Prints markdown and writes the raw numbers to docs/bench/tags.json (`npm run docs` renders them into docs/).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { MODELS } from '../../src/model/catalog';
import { applyHeads, parseHeads } from '../../src/model/embedding-heads';
import { faceTagScores, loadFaceDetector } from '../../src/model/face-detector';
import { loadNsfwModel } from '../../src/model/nsfw-model';
import { loadObjectDetector, objectTagScores } from '../../src/model/object-detector';
import { fileIOHandler } from '../../test/helpers/file-io-handler';
import { decodeRgb, galleryFiles } from '../../test/helpers/gallery';
import { machineFacts } from '../bench-machine';
import { formatTagsReport, type TagsBench } from './tags-report';

const ROOT = resolve(import.meta.dirname, '..', '..');
const models = (...parts: string[]) => resolve(ROOT, 'public', 'models', ...parts, 'model.json');
const JSON_OUT = resolve(ROOT, 'docs', 'bench', 'tags.json');

async function main(): Promise<void> {
  // Before our own work adds to it: how busy the machine already was.
  const machine = machineFacts();
  await tf.setBackend('wasm');
  const spec = MODELS.mobilenet_v2_mid;
  const files = galleryFiles();
  const images = await Promise.all(files.map((f) => decodeRgb(f, 512)));
  const tensors = images.map((i) => tf.tensor3d(i.data, [i.height, i.width, 3], 'int32'));

  const nsfw = await loadNsfwModel({ spec, modelUrl: fileIOHandler(models(spec.id)) });
  const heads = parseHeads(JSON.parse(readFileSync(resolve(ROOT, 'public', 'heads', `${spec.id}.json`), 'utf8')));
  const faces = await loadFaceDetector({
    detectorUrl: fileIOHandler(models('human', 'blazeface')),
    genderUrl: fileIOHandler(models('human', 'faceres')),
  });
  const objects = await loadObjectDetector({ url: fileIOHandler(models('human', 'centernet')) });

  const time = async (run: (t: tf.Tensor3D) => Promise<unknown>): Promise<number> => {
    await run(tensors[0] as tf.Tensor3D); // warm
    const start = performance.now();
    for (const t of tensors) await run(t);
    return (performance.now() - start) / tensors.length;
  };
  const bare = await time(async (t) => nsfw.predict([t]));
  const nsfwOnly = await time(async (t) => {
    const [p] = await nsfw.predict([t]);
    return applyHeads(heads, p?.embedding ?? []);
  });
  const faceMs = await time(async (t) => faceTagScores(await faces.detect(t)));
  const objectMs = await time(async (t) => objectTagScores(await objects.detect(t)));

  // Detectors batch like the NSFW model (the host queues images arriving together, up to the backend's
  // batch size): what a batch buys on this backend.
  const batched = async (run: (batch: tf.Tensor3D[]) => Promise<unknown>, size: number): Promise<number> => {
    await run(tensors.slice(0, size));
    const start = performance.now();
    for (let i = 0; i < tensors.length; i += size) await run(tensors.slice(i, i + size));
    return (performance.now() - start) / tensors.length;
  };
  const batchSizes = [1, 4, 8];
  const detectorBatches: TagsBench['detectorBatches'] = [];
  for (const [detector, run] of [
    ['faces (BlazeFace per image, one FaceRes run per batch)', (b: tf.Tensor3D[]) => faces.detectBatch(b)],
    ['objects (CenterNet)', (b: tf.Tensor3D[]) => objects.detectBatch(b)],
  ] as const) {
    const msPerImage = [];
    for (const size of batchSizes) msPerImage.push(await batched(run, size));
    detectorBatches.push({ detector, batchSizes, msPerImage });
  }
  const bench: TagsBench = {
    ...machine,
    backend: tf.getBackend(),
    model: spec.id,
    images: images.length,
    msPerImage: { nsfwAlone: bare, nsfwWithHeads: nsfwOnly, faces: faceMs, objects: objectMs },
    detectorBatches,
  };
  mkdirSync(dirname(JSON_OUT), { recursive: true });
  writeFileSync(JSON_OUT, `${JSON.stringify(bench, null, 2)}\n`);
  process.stderr.write(`results written to ${JSON_OUT}\n`);
  console.log(`\n${formatTagsReport(bench)}`);
  tensors.forEach((t) => t.dispose());
  nsfw.dispose();
  faces.dispose();
  objects.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
