// The content tags on drawings and photos (issue 13): the shipped heads (public/heads) on the real
// mobilenet_v2_mid model, the real detectors (CenterNet; BlazeFace + FaceRes) and their fusion
// (src/tags/fuse-scores.ts), all on TensorFlow.js's WASM backend, over every labelled test fixture
// (test/helpers/tag-fixtures.ts; none is trained on). The measurement must equal
// docs/bench/tag-accuracy.json, which the README's tag table is rendered from: run
// `npx vitest run --project unit test/unit/tag-heads-accuracy.test.ts -u` after retraining the heads.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judged, KINDS, measureTagAccuracy, type ScoredFixture, type ScoreRule, type TagAccuracy } from '../../scripts/heads/tag-accuracy';
import { MODELS } from '../../src/model/catalog';
import { applyHeads, parseHeads } from '../../src/model/embedding-heads';
import { faceTagScores, loadFaceDetector, type FaceDetector } from '../../src/model/face-detector';
import { loadNsfwModel, type NsfwModel } from '../../src/model/nsfw-model';
import { loadObjectDetector, objectTagScores, type ObjectDetector } from '../../src/model/object-detector';
import { nsfwScore } from '../../src/model/scores';
import { FUSED_THRESHOLD, fuseDetectorScores } from '../../src/tags/fuse-scores';
import { tagSpec } from '../../src/tags/vocabulary';
import { fileIOHandler } from '../helpers/file-io-handler';
import { decodeRgb } from '../helpers/gallery';
import { tagFixtures } from '../helpers/tag-fixtures';
import { CONTENT_TAGS, type ContentTag } from '../../scripts/heads/labels';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MODEL = 'mobilenet_v2_mid';
const HUMAN = join(ROOT, 'public', 'models', 'human');
/** The bar the issue sets: at least this recall at 90% precision, for each kind with enough images. */
const REQUIRED_RECALL = 0.85;
/**
 * Tag and kind where the fused score is measured short of the bar, with the recall at 90% precision
 * measured (WASM). Drawn cats, dogs, girls and boys: no head reached the bar to ship (the NSFW model's
 * embedding barely tells them apart, docs/tags.md), and the detectors were trained on photos. Dogs in
 * photos: a husky cut-out scores just under the detector's threshold and a non-dog above it. Food in
 * photos: COCO has no class for pancakes, sushi or figs.
 */
const BELOW_BAR: Record<string, number> = {
  'face/drawing': 0.6,
  'girl/drawing': 0.333,
  'boy/drawing': 0.333,
  'cat/drawing': 0.125,
  'dog/drawing': 0,
  'dog/photo': 0,
  'food/drawing': 0.571,
  'food/photo': 0.4,
};

const thresholds = Object.fromEntries(
  CONTENT_TAGS.map((tag) => [
    tag,
    { head: FUSED_THRESHOLD, detector: tagSpec(tag).detectorThreshold ?? Number.NaN, fused: tagSpec(tag).defaultThreshold },
  ]),
) as Record<ContentTag, Record<ScoreRule, number>>;

describe('content tags on drawings and photos (real models, WASM)', () => {
  let nsfw: NsfwModel;
  let objects: ObjectDetector;
  let faces: FaceDetector;
  const scored: ScoredFixture[] = [];
  let report: TagAccuracy;

  beforeAll(async () => {
    if (!(await tf.setBackend('wasm').catch(() => false))) await tf.setBackend('cpu');
    await tf.ready();
    const heads = parseHeads(JSON.parse(readFileSync(join(ROOT, 'public', 'heads', `${MODEL}.json`), 'utf8')));
    nsfw = await loadNsfwModel({ spec: MODELS[MODEL], modelUrl: fileIOHandler(join(ROOT, 'public', 'models', MODEL, 'model.json')) });
    objects = await loadObjectDetector({ url: fileIOHandler(join(HUMAN, 'centernet', 'model.json')) });
    faces = await loadFaceDetector({
      detectorUrl: fileIOHandler(join(HUMAN, 'blazeface', 'model.json')),
      genderUrl: fileIOHandler(join(HUMAN, 'faceres', 'model.json')),
    });
    for (const fixture of tagFixtures()) {
      const img = await decodeRgb(fixture.path);
      const pixels = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
      try {
        const [prediction] = await nsfw.predict([pixels]);
        const head = applyHeads(heads, prediction?.embedding ?? []);
        const detector = { ...objectTagScores(await objects.detect(pixels)), ...faceTagScores(await faces.detect(pixels)) };
        const fused = fuseDetectorScores(head, detector);
        const pick = (scores: Partial<Record<string, number>>) =>
          Object.fromEntries(CONTENT_TAGS.map((tag) => [tag, scores[tag] ?? 0])) as Record<ContentTag, number>;
        scored.push({
          name: fixture.name,
          kind: fixture.kind,
          labels: fixture.labels,
          scores: { head: pick(head), detector: pick(detector), fused: pick(fused) },
          nsfw: nsfwScore(prediction?.classes ?? []),
        });
      } finally {
        pixels.dispose();
      }
    }
    report = measureTagAccuracy(scored, thresholds);
  }, 600_000);

  afterAll(() => {
    nsfw?.dispose();
    objects?.dispose();
    faces?.dispose();
  });

  it('matches docs/bench/tag-accuracy.json, which the README table shows', async () => {
    await expect(`${JSON.stringify(report, null, 2)}\n`).toMatchFileSnapshot(join(ROOT, 'docs', 'bench', 'tag-accuracy.json'));
  });

  describe.each(CONTENT_TAGS)('%s', (tag) => {
    it.each(KINDS)(
      `fused: at least ${REQUIRED_RECALL * 100}% recall at 90% precision on %s where there are enough images, or a known shortfall`,
      (kind) => {
        const f = report.figures[tag].fused[kind];
        const known = BELOW_BAR[`${tag}/${kind}`];
        if (known !== undefined) {
          // Measured short of the bar (README, "How well each tag does"): it must not get worse, and an
          // entry that reaches the bar must come off the list.
          expect(f.recallAtTarget, `${tag} on ${kind}s improved: take it off BELOW_BAR`).toBeLessThan(REQUIRED_RECALL);
          expect(f.recallAtTarget, `${tag} on ${kind}s got worse`).toBeGreaterThanOrEqual(known);
          return;
        }
        expect(judged(f), `${tag} on ${kind}s has too few images to judge: ${JSON.stringify(f)}`).toBe(true);
        expect(f.recallAtTarget, `${tag} on ${kind}s: ${JSON.stringify(f)}`).toBeGreaterThanOrEqual(REQUIRED_RECALL);
      },
    );

    it.each(KINDS)('fused finds at least what the detector alone finds at 90% precision on %s', (kind) => {
      const { fused, detector } = report.figures[tag];
      expect(fused[kind].recallAtTarget).toBeGreaterThanOrEqual(detector[kind].recallAtTarget);
    });
  });
});
