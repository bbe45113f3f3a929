// `npm run bench` (tags part): what the tag rules cost per image, in Node on TensorFlow.js's WASM
// backend (the backend "auto" picks on a machine without a real GPU). Rows: the NSFW model alone
// (what runs while only the NSFW rule is on: its embedding heads are part of the same run), then
// with each detector a hidden tag would load. Run alone: `npx vite-node scripts/bench-tags/bench-tags.ts`.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { MODELS } from '../../src/model/catalog';
import { applyHeads, parseHeads } from '../../src/model/embedding-heads';
import { faceTagScores, loadFaceDetector } from '../../src/model/face-detector';
import { loadNsfwModel } from '../../src/model/nsfw-model';
import { loadObjectDetector, objectTagScores } from '../../src/model/object-detector';
import { fileIOHandler } from '../../test/helpers/file-io-handler';
import { decodeRgb, galleryFiles } from '../../test/helpers/gallery';

const ROOT = resolve(import.meta.dirname, '..', '..');
const models = (...parts: string[]) => resolve(ROOT, 'public', 'models', ...parts, 'model.json');

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  const spec = MODELS.mobilenet_v2_mid;
  const files = galleryFiles();
  const images = await Promise.all(files.map((f) => decodeRgb(f, 512)));
  const tensors = images.map((i) => tf.tensor3d(i.data, [i.height, i.width, 3], 'int32'));

  const nsfw = await loadNsfwModel({ spec, modelUrl: fileIOHandler(models(spec.id)) });
  const heads = parseHeads(JSON.parse(readFileSync(resolve(ROOT, 'public', 'heads', `${spec.id}.json`), 'utf8')));
  const faces = await loadFaceDetector({ detectorUrl: fileIOHandler(models('human', 'blazeface')), genderUrl: fileIOHandler(models('human', 'faceres')) });
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

  const row = (name: string, loaded: string, ms: number) => `| ${name} | ${loaded} | ${ms.toFixed(0)} | ${(1000 / ms).toFixed(1)} |`;
  console.log(`\n## Tag rules: cost per image (Node ${process.version}, tfjs WASM, ${cpus().length} cores, ${images.length} gallery images)\n`);
  console.log('| rules on | models loaded | ms/image | img/s |');
  console.log('|---|---|---|---|');
  console.log(row('(before tags: the NSFW model alone)', 'NSFW model', bare));
  console.log(row('NSFW only (default), or any head tag (photo, illust)', 'NSFW model + heads', nsfwOnly));
  console.log(row('+ a face/girl/boy rule', '+ BlazeFace + FaceRes', nsfwOnly + faceMs));
  console.log(row('+ a cat/dog/food rule', '+ CenterNet', nsfwOnly + objectMs));
  console.log(row('+ both', 'all', nsfwOnly + faceMs + objectMs));

  // Detectors batch like the NSFW model (the host queues images arriving together, up to the backend's
  // batch size): what a batch buys on this backend.
  const batched = async (run: (batch: tf.Tensor3D[]) => Promise<unknown>, size: number): Promise<number> => {
    await run(tensors.slice(0, size));
    const start = performance.now();
    for (let i = 0; i < tensors.length; i += size) await run(tensors.slice(i, i + size));
    return (performance.now() - start) / tensors.length;
  };
  console.log('\n| detector | batch 1 ms/image | batch 4 | batch 8 |');
  console.log('|---|---|---|---|');
  for (const [name, run] of [
    ['faces (BlazeFace per image, one FaceRes run per batch)', (b: tf.Tensor3D[]) => faces.detectBatch(b)],
    ['objects (CenterNet)', (b: tf.Tensor3D[]) => objects.detectBatch(b)],
  ] as const) {
    const ms = [];
    for (const size of [1, 4, 8]) ms.push(await batched(run, size));
    console.log(`| ${name} | ${ms.map((m) => m.toFixed(0)).join(' | ')} |`);
  }
  console.log(
    '\nWith only the NSFW rule on, no detector is loaded (the e2e test checks the popup says "not loaded"), so the default row is the whole cost: the heads add one dot product per tag to the NSFW model run.',
  );
  tensors.forEach((t) => t.dispose());
  nsfw.dispose();
  faces.dispose();
  objects.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
