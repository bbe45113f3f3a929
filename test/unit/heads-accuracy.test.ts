// The shipped photo/illust heads on the committed gallery (33 photos, 30 drawings), through the real
// mobilenet_v2_mid (and mobilenet_v2) model on TensorFlow.js's WASM backend, compared with the old rule
// "Drawing + Hentai >= 0.5 means drawing". The gallery must not be in the heads' training set: checked
// here against the manifest the training script writes (file SHA-256 and picture dHash).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dHash, hammingDistance, SAME_PICTURE_BITS, sha256 } from '../../scripts/heads/image-hash';
import { MODELS, NSFW_CLASSES, type ModelId } from '../../src/model/catalog';
import { applyHeads, parseHeads, type Heads } from '../../src/model/embedding-heads';
import { loadNsfwModel, type NsfwModel, type NsfwPrediction } from '../../src/model/nsfw-model';
import { fileIOHandler } from '../helpers/file-io-handler';
import { decodeRgb, type RgbImage } from '../helpers/gallery';
import { tagFixtures } from '../helpers/tag-fixtures';

const ROOT = resolve(import.meta.dirname, '..', '..');
const GALLERY = join(ROOT, 'test', 'fixtures', 'gallery');
const REQUIRED_ACCURACY = 0.9;

interface GalleryItem {
  file: string;
  kind: 'photo' | 'drawing';
}

const gallery = (JSON.parse(readFileSync(join(GALLERY, 'index.json'), 'utf8')) as GalleryItem[]).filter(
  (g) => g.kind === 'photo' || g.kind === 'drawing',
);

interface ManifestImage {
  key: string;
  sha256: string;
  dHash: string;
}

describe("no test fixture is in the heads' training set", () => {
  it("no training image has a fixture's bytes or picture (gallery, tags, objects, drawn)", async () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'scripts', 'heads', 'training-set.json'), 'utf8')) as { images: ManifestImage[] };
    expect(manifest.images.length).toBeGreaterThan(500);
    const shas = new Set(manifest.images.map((m) => m.sha256));
    const files = [...new Set([...gallery.map((g) => join(GALLERY, g.file)), ...tagFixtures().map((f) => f.path)])];
    expect(files.length).toBeGreaterThan(120);
    const clashes: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      if (shas.has(sha256(bytes))) clashes.push(`${file}: same bytes`);
      const hash = await dHash(bytes);
      const near = manifest.images.find((m) => hammingDistance(m.dHash, hash) <= SAME_PICTURE_BITS);
      if (near) clashes.push(`${file}: looks like ${near.key}`);
    }
    expect(clashes).toEqual([]);
  });
});

/** Models whose shipped heads are checked here (inception_v3 is left out: ~1 s per image on WASM). */
const CHECKED: readonly ModelId[] = ['mobilenet_v2_mid', 'mobilenet_v2'];
const modelJson = (id: ModelId) => join(ROOT, 'public', 'models', id, 'model.json');

describe.skipIf(!CHECKED.every((id) => existsSync(modelJson(id))))('photo/illust heads on the gallery (WASM)', () => {
  let images: RgbImage[] = [];
  beforeAll(async () => {
    if (!(await tf.setBackend('wasm').catch(() => false))) await tf.setBackend('cpu');
    await tf.ready();
    images = await Promise.all(gallery.map((g) => decodeRgb(join(GALLERY, g.file))));
  });

  describe.each(CHECKED)('%s', (id) => {
    let model: NsfwModel;
    let heads: Heads;
    const predictions: NsfwPrediction[] = [];

    beforeAll(async () => {
      heads = parseHeads(JSON.parse(readFileSync(join(ROOT, 'public', 'heads', `${id}.json`), 'utf8')));
      model = await loadNsfwModel({ spec: MODELS[id], modelUrl: fileIOHandler(modelJson(id)) });
      for (let i = 0; i < images.length; i += 8) {
        const tensors = images.slice(i, i + 8).map((img) => tf.tensor3d(img.data, [img.height, img.width, 3], 'int32'));
        try {
          predictions.push(...(await model.predict(tensors)));
        } finally {
          tf.dispose(tensors);
        }
      }
    });
    afterAll(() => model?.dispose());

    it(`scores photos as photo and drawings as illust (>= ${REQUIRED_ACCURACY * 100}%), better than Drawing + Hentai`, () => {
      expect(predictions).toHaveLength(gallery.length);
      const drawingIndex = NSFW_CLASSES.indexOf('Drawing');
      const hentaiIndex = NSFW_CLASSES.indexOf('Hentai');
      const rows = gallery.map((g, i) => {
        const p = predictions[i] as NsfwPrediction;
        const scores = applyHeads(heads, p.embedding);
        const headRight = g.kind === 'photo' ? (scores.photo ?? 0) >= 0.5 : (scores.illust ?? 0) >= 0.5;
        const drawn = (p.classes[drawingIndex] ?? 0) + (p.classes[hentaiIndex] ?? 0) >= 0.5;
        return { g, scores, headRight, baselineRight: drawn === (g.kind === 'drawing') };
      });
      const rate = (pick: (r: (typeof rows)[number]) => boolean, kind?: GalleryItem['kind']) => {
        const subset = rows.filter((r) => kind === undefined || r.g.kind === kind);
        return subset.filter(pick).length / subset.length;
      };
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      const head = rate((r) => r.headRight);
      const baseline = rate((r) => r.baselineRight);
      console.info(
        `heads-accuracy (${id}, ${rows.length} images): heads ${pct(head)} ` +
          `(photos ${pct(rate((r) => r.headRight, 'photo'))}, drawings ${pct(rate((r) => r.headRight, 'drawing'))}); ` +
          `baseline Drawing+Hentai>=0.5 ${pct(baseline)} ` +
          `(photos ${pct(rate((r) => r.baselineRight, 'photo'))}, drawings ${pct(rate((r) => r.baselineRight, 'drawing'))})`,
      );
      for (const r of rows.filter((x) => !x.headRight)) {
        console.info(`  ${id} missed ${r.g.file}: photo ${r.scores.photo?.toFixed(3)}, illust ${r.scores.illust?.toFixed(3)}`);
      }
      expect(head).toBeGreaterThanOrEqual(REQUIRED_ACCURACY);
      expect(head).toBeGreaterThan(baseline);
    });
  });
});
