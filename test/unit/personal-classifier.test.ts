// The personal-tag trainer on real embeddings: every image under test/fixtures (gallery, tags, objects),
// through the real mobilenet_v2_mid model on TensorFlow.js's WASM backend (CPU if WASM cannot start; the
// log says which), then trainPersonalModel with its defaults, as if a user had tagged these images.
//
// Split: "drawing" = the gallery's 30 drawings (1) against every photo (33 gallery + 34 tags + 12 objects
// = 79, label 0); tags/scan-microfilm.jpg is left unlabelled for it (110 images in all). Each image is used
// as it is and mirrored (220 examples, 218 labelled for drawing); the copies share the image's key, so they
// always fall on the same side of the held-out split and the held-out accuracy is measured on images the
// head never saw in any form.
// Measured (default seed '', WASM, 2 shared cores): drawing held-out accuracy 100% on 34 held-out examples
// (17 images: 5 drawings, 12 photos), trusted; over 20 other seeds of the split 88.5-100%, 96.9% pooled.
// A second tag, "face" from tags/labels.json (photos and realistic drawings; cartoons unlabelled, objects
// unknown), is harder: 93.8% of 32 here, 74-100% over those seeds, so only its bookkeeping is asserted.
// Embedding the 110 images twice takes 19-23 s, training both tags (two fits each) 3-4 s; 23-28 s in all.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../src/model/catalog';
import { loadNsfwModel, type NsfwModel } from '../../src/model/nsfw-model';
import {
  applyPersonalModel,
  isHeldOut,
  PERSONAL_DEFAULTS,
  trainPersonalModel,
  type PersonalExample,
  type PersonalModel,
} from '../../src/personal/train-personal';
import { fileIOHandler } from '../helpers/file-io-handler';
import { decodeRgb } from '../helpers/gallery';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');
const MODEL_JSON = resolve(import.meta.dirname, '..', '..', 'public', 'models', 'mobilenet_v2_mid', 'model.json');
const REQUIRED_ACCURACY = 0.9;
/** Images per model call (each is also sent mirrored, so twice this many tensors). */
const BATCH = 4;

type Labels = Record<string, 0 | 1>;

/** Every fixture image with what a user would have tagged it: `drawing`, and `face` where labelled. */
function fixtureImages(): Array<{ file: string; labels: Labels }> {
  const tagged = JSON.parse(readFileSync(join(FIXTURES, 'tags', 'labels.json'), 'utf8')) as Array<{ file: string; face?: boolean }>;
  const objects = JSON.parse(readFileSync(join(FIXTURES, 'objects', 'labels.json'), 'utf8')) as Array<{ file: string }>;
  const images = [...tagged, ...objects.map((o) => ({ file: `objects/${o.file}`, face: undefined }))];
  return images.map(({ file, face }) => {
    const labels: Labels = {};
    const name = file.split('/').pop() ?? file;
    if (name.startsWith('drawing-')) labels.drawing = 1;
    else if (name.startsWith('photo-')) labels.drawing = 0;
    if (face !== undefined) labels.face = face ? 1 : 0;
    return { file, labels };
  });
}

describe('personal classifier on real embeddings', () => {
  const images = fixtureImages();
  const examples: PersonalExample[] = [];
  let model: NsfwModel | undefined;
  let personal: PersonalModel;
  let trainMs = 0;
  let embeddingSize = 0;

  beforeAll(async () => {
    if (!(await tf.setBackend('wasm').catch(() => false))) await tf.setBackend('cpu');
    await tf.ready();
    const started = performance.now();
    model = await loadNsfwModel({ spec: MODELS.mobilenet_v2_mid, modelUrl: fileIOHandler(MODEL_JSON) });
    embeddingSize = model.embeddingSize;
    for (let i = 0; i < images.length; i += BATCH) {
      const batch = images.slice(i, i + BATCH);
      const decoded = await Promise.all(batch.map((img) => decodeRgb(join(FIXTURES, img.file), 320)));
      const tensors = tf.tidy(() =>
        decoded.flatMap((rgb) => {
          const image = tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], 'int32');
          return [image, tf.reverse(image, 1) as tf.Tensor3D];
        }),
      );
      try {
        const predictions = await model.predict(tensors);
        predictions.forEach((p, j) => {
          const source = batch[Math.floor(j / 2)];
          if (source) examples.push({ key: `fixtures/${source.file}`, embedding: p.embedding, labels: source.labels });
        });
      } finally {
        tf.dispose(tensors);
      }
    }
    model.dispose();
    model = undefined;
    const embedded = performance.now();
    const tensorsBefore = tf.memory().numTensors;
    personal = await trainPersonalModel(examples);
    trainMs = performance.now() - embedded;
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    console.info(
      `personal-classifier (${tf.getBackend()}): embedded ${images.length} images x2 in ${((embedded - started) / 1000).toFixed(1)} s, ` +
        `trained ${Object.keys(personal.stats).join(' + ')} in ${(trainMs / 1000).toFixed(1)} s`,
    );
    for (const [tag, s] of Object.entries(personal.stats)) {
      console.info(
        `  ${tag}: ${s.positives} positive / ${s.negatives} negative examples, held-out accuracy ` +
          `${s.heldOutAccuracy === null ? '-' : `${(100 * s.heldOutAccuracy).toFixed(1)}%`} of ${s.heldOutCount}` +
          `${s.trusted ? ', trusted' : `, not trusted: ${s.reason ?? ''}`}`,
      );
    }
  });
  afterAll(() => model?.dispose());

  it('uses the fixtures it should', () => {
    expect(images).toHaveLength(110);
    expect(examples).toHaveLength(2 * images.length);
    expect(embeddingSize).toBeGreaterThan(0);
    expect(personal.embeddingSize).toBe(embeddingSize);
    expect(personal.stats.drawing).toMatchObject({ positives: 60, negatives: 158 });
  });

  it(`learns photo vs drawing to >= ${REQUIRED_ACCURACY * 100}% held-out accuracy`, () => {
    const drawing = personal.stats.drawing;
    const labelled = examples.filter((e) => e.labels.drawing !== undefined);
    const heldOutImages = new Set(labelled.filter((e) => isHeldOut(e.key, PERSONAL_DEFAULTS.holdOutFraction)).map((e) => e.key));
    expect(drawing?.heldOutCount).toBe(2 * heldOutImages.size);
    expect(heldOutImages.size).toBeGreaterThanOrEqual(15);
    expect(drawing?.heldOutAccuracy).toBeGreaterThanOrEqual(REQUIRED_ACCURACY);
    expect(drawing?.trusted).toBe(true);
  });

  it('ships a head that scores raw embeddings (drawings high, photos low)', () => {
    const labelled = examples.filter((e) => e.labels.drawing !== undefined);
    const right = labelled.filter((e) => ((applyPersonalModel(personal, e.embedding).drawing ?? 0) >= 0.5 ? 1 : 0) === e.labels.drawing);
    expect(right.length / labelled.length).toBeGreaterThanOrEqual(REQUIRED_ACCURACY);
  });

  it('trains the face tag on the images labelled for it only', () => {
    const labelled = examples.filter((e) => e.labels.face !== undefined);
    const positives = labelled.filter((e) => e.labels.face === 1).length;
    expect(personal.stats.face).toMatchObject({ positives, negatives: labelled.length - positives });
    expect(personal.tags.face?.weights).toHaveLength(embeddingSize);
    expect(personal.stats.face?.heldOutAccuracy).not.toBeNull();
  });
});
