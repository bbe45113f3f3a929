// The COCO object detector (cat / dog / food tags): table tests of the pure decoding, then the real
// CenterNet model from public/models/human/centernet on TensorFlow.js's WASM backend (CPU if WASM cannot
// start) over the gallery photos and test/fixtures/objects/.
//
// Model choice (measured on these fixtures, WASM in Node, 2 shared cores): per-class maximum score on
// the 36 photos at threshold 0.4 (no variant finds anything on the 30 drawings but NanoDet's false "cake"s)
//   centernet, letterboxed input: cat TP 3 FP 0, dog TP 1 FP 0 (dogs-at-window 0.39), food TP 0 FP 0
//   centernet, stretched (Human): cat TP 2 FP 0 (chelsea 0.32, raccoon 0.37), dog TP 2 FP 0, food TP 0 FP 0
//   nanodet (NanoDet's BGR mean/std input; Human's /255 input is worse, with "toilet" everywhere),
//     letterboxed: cat TP 3 FP 1 (raccoon 0.53), dog TP 1 FP 1, food TP 2 FP 3 (goldfish 0.55 "cake",
//     coloured pencils "carrot", sunflower "banana") and 4 more food FPs on drawings ("cake")
// CenterNet has no false positive and separates cat/dog photos at 0.35; NanoDet finds two of the
// non-COCO dishes but at the price of FPs in every tag, with 1.9x the download (7.6 vs 4.0 MB) and
// ~1.2x the CPU time (about 390 vs 320 ms per image). So: CenterNet, letterboxed.
//
// The food tag on COCO food (test/fixtures/objects/: pizza, burger, cupcakes, fruit; the gallery's dishes
// are not COCO classes): pizza 0.43, burger ("sandwich") 0.44 and cupcakes ("cake") 0.43 pass the default
// 0.4; sliced citrus 0.38, halved fruit 0.33 and a fruit salad 0.32 do not, and a lone apple (0.26) is not
// found at all. No non-food photo or drawing scores food over 0.26 (coloured pencils as "carrot"), so 0.3
// would find the fruit too with no false positive here; the log prints both tables.
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COCO_LABELS, FOOD_CLASSES, cocoClassId, cocoLabel } from '../../src/model/detection/coco-labels';
import {
  CENTERNET_GRID,
  decodeCenterNet,
  iou,
  nonMaxSuppressionPerClass,
  toImageFractions,
  type Box,
  type CenterNetGrid,
  type ScoredBox,
} from '../../src/model/detection/centernet-decode';
import {
  centerNetPeaks,
  configProblems,
  letterbox,
  loadObjectDetector,
  modelProblems,
  objectTagScores,
  type Detection,
  type ObjectDetector,
  type ObjectTagScores,
} from '../../src/model/object-detector';
import { tagSpec } from '../../src/tags/vocabulary';
import { fileIOHandler } from '../helpers/file-io-handler';
import { decodeRgb, galleryFiles, GALLERY_DIR } from '../helpers/gallery';

const MODEL_JSON = resolve(import.meta.dirname, '..', '..', 'public', 'models', 'human', 'centernet', 'model.json');
const OBJECTS_DIR = resolve(import.meta.dirname, '..', 'fixtures', 'objects');

type Tag = keyof ObjectTagScores;
const TAGS: readonly Tag[] = ['cat', 'dog', 'food'];

// ---- pure parts

describe('COCO labels', () => {
  it('has the 80 classes in the model order, with the food classes among them', () => {
    expect(COCO_LABELS).toHaveLength(80);
    expect(new Set(COCO_LABELS).size).toBe(80);
    expect([cocoClassId('person'), cocoClassId('cat'), cocoClassId('dog'), cocoClassId('toothbrush')]).toEqual([0, 15, 16, 79]);
    expect(FOOD_CLASSES.map(cocoClassId)).toEqual([46, 47, 48, 49, 50, 51, 52, 53, 54, 55]);
    expect([cocoLabel(41), cocoLabel(80), cocoLabel(-1), cocoLabel(1.5)]).toEqual(['cup', undefined, undefined, undefined]);
  });
});

describe('decodeCenterNet', () => {
  // 4 wide, 3 high, 2 classes, 4 px per cell: flat index = ((row * 4) + col) * 2 + class
  const grid: CenterNetGrid = { width: 4, height: 3, classes: 2, stride: 4 };
  const cases: Array<[string, { scores: number[]; indices: number[]; offsets: number[] }, number, Array<Partial<ScoredBox>>]> = [
    [
      'row 1, col 2, class 1: centre (8, 4), box = centre -left/-top, +right/+bottom',
      { scores: [0.9], indices: [13], offsets: [1, 2, 3, 4] },
      0.1,
      [{ classId: 1, score: 0.9, left: 7, top: 2, right: 11, bottom: 8 }],
    ],
    [
      'first cell, class 0',
      { scores: [0.5], indices: [0], offsets: [0, 0, 2, 2] },
      0.1,
      [{ classId: 0, left: 0, top: 0, right: 2, bottom: 2 }],
    ],
    [
      'last cell (row 2, col 3), class 1',
      { scores: [0.5], indices: [23], offsets: [12, 8, 1, 1] },
      0.1,
      [{ classId: 1, left: 0, top: 0, right: 13, bottom: 9 }],
    ],
    [
      'drops scores under minScore and NaN, keeps one equal to it, sorts best first',
      { scores: [0.2, 0.05, Number.NaN, 0.7], indices: [2, 4, 6, 8], offsets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
      0.2,
      [
        { score: 0.7, classId: 0, left: 0, top: 4 },
        { score: 0.2, classId: 0, left: 4, top: 0 },
      ],
    ],
    ['no peaks', { scores: [], indices: [], offsets: [] }, 0, []],
  ];
  it.each(cases)('%s', (_label, peaks, minScore, expected) => {
    const boxes = decodeCenterNet(peaks, grid, minScore);
    expect(boxes).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(boxes[i]).toMatchObject(e));
  });

  it.each([
    ['too few offsets', { scores: [1], indices: [0], offsets: [0, 0, 0] }, /disagree/],
    ['too few indices', { scores: [1, 1], indices: [0], offsets: new Array<number>(8).fill(0) }, /disagree/],
    ['index past the grid', { scores: [1], indices: [24], offsets: [0, 0, 0, 0] }, /outside the grid/],
    ['fractional index', { scores: [1], indices: [1.5], offsets: [0, 0, 0, 0] }, /outside the grid/],
  ])('rejects %s', (_label, peaks, error) => {
    expect(() => decodeCenterNet(peaks, grid, 0)).toThrow(error);
  });

  it('knows the 512 px model grid', () => {
    expect(CENTERNET_GRID).toEqual({ width: 128, height: 128, classes: 80, stride: 4 });
  });
});

const box = (left: number, top: number, right: number, bottom: number): Box => ({ left, top, right, bottom });
const scored = (classId: number, score: number, b: Box): ScoredBox => ({ classId, score, ...b });

describe('iou', () => {
  it.each([
    ['same box', box(0, 0, 2, 2), box(0, 0, 2, 2), 1],
    ['half overlap', box(0, 0, 2, 2), box(1, 0, 3, 2), 1 / 3],
    ['contained quarter', box(0, 0, 2, 2), box(0, 0, 1, 1), 1 / 4],
    ['touching edges', box(0, 0, 1, 1), box(1, 0, 2, 1), 0],
    ['apart', box(0, 0, 1, 1), box(5, 5, 6, 6), 0],
    ['empty box', box(0, 0, 0, 0), box(0, 0, 0, 0), 0],
  ])('%s', (_label, a, b, expected) => {
    expect(iou(a, b)).toBeCloseTo(expected, 10);
    expect(iou(b, a)).toBeCloseTo(expected, 10);
  });
});

describe('nonMaxSuppressionPerClass', () => {
  const cat1 = scored(15, 0.9, box(0, 0, 10, 10));
  const cat2 = scored(15, 0.6, box(1, 1, 11, 11)); // IoU with cat1 = 81/119 = 0.68
  const dog = scored(16, 0.5, box(0, 0, 10, 10)); // same place, other class
  const cat3 = scored(15, 0.4, box(20, 20, 30, 30)); // same class, elsewhere
  const cases: Array<[string, ScoredBox[], number, number, ScoredBox[]]> = [
    ['suppresses an overlapping box of the same class', [cat2, cat1], 0.5, 10, [cat1]],
    ['keeps the same place for another class', [dog, cat1, cat2], 0.5, 10, [cat1, dog]],
    ['keeps a same-class box elsewhere', [cat3, cat1], 0.5, 10, [cat1, cat3]],
    ['keeps an overlap at or under the threshold', [cat1, cat2], 0.7, 10, [cat1, cat2]],
    ['caps the count, best first', [cat3, dog, cat1], 0.5, 2, [cat1, dog]],
    ['nothing in, nothing out', [], 0.5, 10, []],
  ];
  it.each(cases)('%s', (_label, boxes, threshold, max, expected) => {
    expect(nonMaxSuppressionPerClass(boxes, threshold, max)).toEqual(expected);
  });
});

describe('letterbox and toImageFractions', () => {
  it.each([
    ['landscape', 300, 600, 512, { x: 0, y: 0, width: 512, height: 256 }],
    ['portrait', 480, 320, 512, { x: 0, y: 0, width: 341, height: 512 }],
    ['square', 100, 100, 512, { x: 0, y: 0, width: 512, height: 512 }],
    ['a thin strip keeps one pixel', 2, 4000, 512, { x: 0, y: 0, width: 512, height: 1 }],
  ])('%s %i x %i into %i', (_label, h, w, size, expected) => {
    expect(letterbox(h, w, size)).toEqual(expected);
  });

  it.each([
    ['inside the image', box(128, 64, 256, 128), { x: 0, y: 0, width: 512, height: 256 }, box(0.25, 0.25, 0.5, 0.5)],
    [
      'clamped to the image (box runs into the padding)',
      box(-10, 200, 600, 300),
      { x: 0, y: 0, width: 512, height: 256 },
      box(0, 200 / 256, 1, 1),
    ],
    ['offset content', box(20, 10, 30, 20), { x: 10, y: 10, width: 20, height: 10 }, box(0.5, 0, 1, 1)],
  ])('%s', (_label, b, content, expected) => {
    const got = toImageFractions(b, content);
    for (const k of ['left', 'top', 'right', 'bottom'] as const) expect(got[k]).toBeCloseTo(expected[k], 10);
  });
});

describe('objectTagScores', () => {
  const det = (label: (typeof COCO_LABELS)[number], score: number): Detection => ({
    label,
    classId: cocoClassId(label),
    score,
    ...box(0, 0, 1, 1),
  });
  it.each([
    ['no detections', [], { cat: 0, dog: 0, food: 0 }],
    ['strongest cat wins', [det('cat', 0.3), det('cat', 0.7), det('dog', 0.2)], { cat: 0.7, dog: 0.2, food: 0 }],
    ['food is the strongest food class', [det('pizza', 0.3), det('cake', 0.5), det('banana', 0.45)], { cat: 0, dog: 0, food: 0.5 }],
    [
      'tableware and tables are not food',
      [det('cup', 0.9), det('bowl', 0.8), det('dining table', 0.7), det('wine glass', 0.9)],
      { cat: 0, dog: 0, food: 0 },
    ],
    ['other animals count for nothing', [det('bear', 0.9), det('horse', 0.9), det('teddy bear', 0.9)], { cat: 0, dog: 0, food: 0 }],
  ] as Array<[string, Detection[], ObjectTagScores]>)('%s', (_label, dets, expected) => {
    expect(objectTagScores(dets)).toEqual(expected);
  });

  it('counts every food class', () => {
    for (const label of FOOD_CLASSES) expect(objectTagScores([det(label, 0.6)]).food).toBe(0.6);
  });
});

describe('configProblems / modelProblems', () => {
  const handler: tf.io.IOHandler = { load: async () => ({}) };
  it.each([
    ['URL', { url: '/models/human/centernet/model.json' }, null],
    ['handler + options', { url: handler, minScore: 0.2, iouThreshold: 0.4, maxDetections: 100 }, null],
    ['empty URL', { url: '  ' }, /URL is empty/],
    ['handler without load', { url: {} as tf.io.IOHandler }, /IOHandler/],
    ['minScore over 1', { url: 'x', minScore: 2 }, /minScore/],
    ['NaN iou', { url: 'x', iouThreshold: Number.NaN }, /iouThreshold/],
    ['zero detections', { url: 'x', maxDetections: 0 }, /maxDetections/],
    ['more detections than peaks', { url: 'x', maxDetections: 101 }, /maxDetections/],
  ] as Array<[string, Parameters<typeof configProblems>[0], RegExp | null]>)('config: %s', (_label, config, problem) => {
    const problems = configProblems(config);
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems.join('; ')).toMatch(problem);
  });

  const heads = ['tower_0/keypoints', 'tower_0/wh', 'tower_0/detections'];
  it.each([
    ['centernet', [1, 512, 512, 3], heads, null],
    ['free batch', [-1, 512, 512, 3], ['tower_0/keypoints:0', 'tower_0/wh:0'], null],
    ['NCHW (nanodet)', [1, 3, 416, 416], heads, /expected \[1, s, s, 3\]/],
    ['not square', [1, 512, 384, 3], heads, /expected/],
    ['missing heads', [1, 512, 512, 3], ['Identity:0'], /no output "tower_0\/keypoints".*no output "tower_0\/wh"/],
    ['no input shape', undefined, heads, /expected/],
  ] as Array<[string, number[] | undefined, string[], RegExp | null]>)('model: %s', (_label, shape, outputs, problem) => {
    const problems = modelProblems(shape, outputs);
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems.join('; ')).toMatch(problem);
  });
});

// ---- real model

/** What a person would tag, per fixture file (without extension); absent = false. */
/** Cat, dog and food labels of the gallery (test/fixtures/tags/labels.json; drinks are not food). */
const GALLERY_TRUTH: Record<string, Partial<Record<Tag, boolean>>> = Object.fromEntries(
  (JSON.parse(readFileSync(resolve(OBJECTS_DIR, '..', 'tags', 'labels.json'), 'utf8')) as Array<ObjectLabel>)
    .filter((l) => l.file.startsWith('gallery/'))
    .map((l) => [basename(l.file).replace(/\.\w+$/, ''), l]),
);

/**
 * Photo positives the detector misses at the detector's threshold (tagSpec(tag).detectorThreshold), with
 * the reason and the score measured on WASM. Not asserted as positives, but asserted to still be misses,
 * so that an entry the detector has come to find is taken off the list. Pancakes, sushi and figs are not
 * among COCO's ten food classes, so a COCO detector cannot name them; the rest are COCO food or a dog that
 * scores just under the threshold. (The dogs behind the window, 0.39, were a miss at 0.4 and are found at
 * today's 0.35.)
 */
const KNOWN_MISSES: Record<string, { tag: Tag; why: string }> = {
  'photo-pancakes': { tag: 'food', why: 'pancakes are not a COCO class' },
  'photo-sushi': { tag: 'food', why: 'sushi is not a COCO class' },
  'photo-fig-in-bowl': { tag: 'food', why: 'figs are not a COCO class' },
  // Food's default is 0.3 (the fruit close-ups score 0.32-0.38 and are found); this one is not.
  'photo-apple': { tag: 'food', why: 'one apple filling an old scanned frame: best food class "orange" 0.26, "apple" 0.14' },
  'photo-dog-husky-cutout': { tag: 'dog', why: '194 x 222 px cut-out husky on white: dog 0.348, just under 0.35 (cat 0.24)' },
};

/**
 * The thresholds measured as candidates: food at 0.3 finds the three fruit close-ups (0.32-0.38) while no
 * non-food photo or drawing scores over 0.26. It is the default now; the margin is thin on ten food photos,
 * so this table keeps showing it.
 */
const CANDIDATE_THRESHOLDS: Record<Tag, number> = { cat: 0.35, dog: 0.35, food: 0.3 };

/** Known misses that the candidate thresholds still miss. */
const CANDIDATE_MISSES: ReadonlySet<string> = new Set([
  'photo-pancakes',
  'photo-sushi',
  'photo-fig-in-bowl',
  'photo-apple',
  'photo-dog-husky-cutout',
]);

/** Food photos the detector finds, and the COCO class it finds them as. */
const FOOD_FOUND_AS: Record<string, (typeof FOOD_CLASSES)[number]> = {
  'photo-pizza': 'pizza',
  'photo-burger': 'sandwich',
  'photo-cupcakes': 'cake',
};

interface Fixture {
  file: string;
  stem: string;
  kind: 'photo' | 'drawing';
  truth: Record<Tag, boolean>;
}

interface ObjectLabel {
  file: string;
  cat?: boolean;
  dog?: boolean;
  food?: boolean;
}

function fixtures(): Fixture[] {
  const gallery = galleryFiles().map((file) => {
    const stem = basename(file).replace(/\.\w+$/, '');
    const t = GALLERY_TRUTH[stem] ?? {};
    return { file, stem, truth: { cat: t.cat === true, dog: t.dog === true, food: t.food === true } };
  });
  const labels = JSON.parse(readFileSync(resolve(OBJECTS_DIR, 'labels.json'), 'utf8')) as ObjectLabel[];
  const objects = labels.map((l) => ({
    file: resolve(OBJECTS_DIR, l.file),
    stem: l.file.replace(/\.\w+$/, ''),
    truth: { cat: l.cat === true, dog: l.dog === true, food: l.food === true },
  }));
  return [...gallery, ...objects].map((f) => ({ ...f, kind: f.stem.startsWith('drawing-') ? 'drawing' : 'photo' }));
}

interface Scored extends Fixture {
  scores: ObjectTagScores;
  dets: Detection[];
}

/** The detector's own operating point (fused with the tag's head, it lands on the tag's default 0.5). */
const defaultThreshold = (tag: Tag): number => tagSpec(tag).detectorThreshold ?? Number.NaN;

/** TP/FP/TN/FN per tag at each tag's default threshold (or the given ones), as table rows for the log. */
function confusion(rows: readonly Scored[], thresholdOf: (tag: Tag) => number = defaultThreshold): string[] {
  return TAGS.map((tag) => {
    const threshold = thresholdOf(tag);
    const c = { TP: 0, FP: 0, TN: 0, FN: 0 };
    for (const r of rows) {
      const hit = r.scores[tag] >= threshold;
      if (r.truth[tag]) c[hit ? 'TP' : 'FN']++;
      else c[hit ? 'FP' : 'TN']++;
    }
    return `${tag.padEnd(4)} @${threshold}: TP ${c.TP} FP ${c.FP} TN ${c.TN} FN ${c.FN}`;
  });
}

let backend = '';
beforeAll(async () => {
  const wasmOk = await tf.setBackend('wasm').catch(() => false);
  if (!wasmOk) {
    console.warn('object-detector.test: WASM backend failed to start in Node, falling back to CPU');
    await tf.setBackend('cpu');
  }
  await tf.ready();
  backend = tf.getBackend();
});

describe.skipIf(!existsSync(MODEL_JSON))('CenterNet on public/models/human/centernet', () => {
  let detector: ObjectDetector;
  const all = fixtures();

  beforeAll(async () => {
    detector = await loadObjectDetector({ url: fileIOHandler(MODEL_JSON) });
  });
  afterAll(() => detector?.dispose());

  it("decodes the raw heads exactly as the graph's own tower_0/detections output", async () => {
    const model = await tf.loadGraphModel(fileIOHandler(MODEL_JSON));
    const img = await decodeRgb(resolve(GALLERY_DIR, 'photo-dog-golden.jpg'));
    const [reference, scores, indices, offsets] = tf.tidy(() => {
      const input = tf.image.resizeBilinear(tf.tensor3d(img.data, [img.height, img.width, 3], 'float32'), [512, 512]);
      const [heatmap, boxes, detections] = model.execute(tf.expandDims(input, 0), [
        'tower_0/keypoints',
        'tower_0/wh',
        'tower_0/detections',
      ]) as tf.Tensor[];
      return [detections as tf.Tensor, ...centerNetPeaks(heatmap as tf.Tensor4D, boxes as tf.Tensor4D, 100)];
    });
    const ref = ((await reference.array()) as number[][][])[0] ?? [];
    const ours = decodeCenterNet(
      { scores: await scores.data(), indices: await indices.data(), offsets: await offsets.data() },
      CENTERNET_GRID,
      0,
    );
    tf.dispose([reference, scores, indices, offsets]);
    model.dispose();
    // The first 20 peaks (distinct scores, so the order is the same): x1, y1, x2, y2, score, class.
    for (let k = 0; k < 20; k++) {
      const [x1, y1, x2, y2, score, cls] = ref[k] ?? [];
      const b = ours[k];
      expect(b?.classId, `peak ${k} class`).toBe(cls);
      expect(b?.score, `peak ${k} score`).toBeCloseTo(score ?? Number.NaN, 5);
      for (const [got, want] of [
        [b?.left, x1],
        [b?.top, y1],
        [b?.right, x2],
        [b?.bottom, y2],
      ]) {
        expect(got, `peak ${k} box`).toBeCloseTo(want ?? Number.NaN, 3);
      }
    }
    expect(ours[0]?.classId).toBe(cocoClassId('dog'));
  });

  it('reports its input size, leaks no tensors, rejects non-RGB input, and frees everything on dispose', async () => {
    expect(detector.inputSize).toBe(512);
    const img = tf.zeros([37, 91, 3], 'int32') as tf.Tensor3D;
    const grey = tf.zeros([10, 10, 1]) as unknown as tf.Tensor3D;
    const before = tf.memory().numTensors;
    expect(await detector.detect(img)).toEqual([]);
    await expect(detector.detect(grey)).rejects.toThrow(/RGB/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([img, grey]);

    const beforeLoad = tf.memory().numTensors;
    const second = await loadObjectDetector({ url: fileIOHandler(MODEL_JSON), maxDetections: 1 });
    second.dispose();
    second.dispose(); // twice is harmless
    expect(tf.memory().numTensors).toBe(beforeLoad);
    await expect(second.detect(img)).rejects.toThrow(/disposed/);
  });

  it('rejects a model that is not CenterNet', async () => {
    const before = tf.memory().numTensors;
    // BlazeFace: a real graph model we ship, but not CenterNet.
    const blazeface = resolve(MODEL_JSON, '..', '..', 'blazeface', 'model.json');
    await expect(loadObjectDetector({ url: fileIOHandler(blazeface) })).rejects.toThrow(/object detector: /);
    expect(tf.memory().numTensors).toBe(before);
    await expect(loadObjectDetector({ url: '' })).rejects.toThrow(/URL is empty/);
  });

  describe('on the photos', () => {
    const photos = all.filter((f) => f.kind === 'photo');
    const scoredPhotos: Scored[] = [];
    let leaked = Number.NaN;

    // Scored once for the checks below; a failure here fails them all with its own message.
    beforeAll(async () => {
      const images = await Promise.all(photos.map((f) => decodeRgb(f.file)));
      const before = tf.memory().numTensors;
      let wall = 0;
      let cpu = 0;
      for (const [i, f] of photos.entries()) {
        const img = images[i];
        if (img === undefined) throw new Error(`no image for ${f.stem}`);
        const t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const dets = await detector.detect(t);
        const c1 = process.cpuUsage(c0);
        wall += performance.now() - t0;
        cpu += (c1.user + c1.system) / 1000;
        t.dispose();
        scoredPhotos.push({ ...f, dets, scores: objectTagScores(dets) });
      }
      leaked = tf.memory().numTensors - before;
      console.info(
        [
          `object-detector.test (${backend}): ${photos.length} photos, ${(wall / photos.length).toFixed(0)} ms/image wall, ${(cpu / photos.length).toFixed(0)} ms/image CPU`,
          'at the default thresholds:',
          ...confusion(scoredPhotos),
          'at the candidate thresholds:',
          ...confusion(scoredPhotos, (tag) => CANDIDATE_THRESHOLDS[tag]),
          ...scoredPhotos
            .filter((r) => TAGS.some((t) => r.truth[t] || r.scores[t] >= 0.2))
            .map(
              (r) =>
                `  ${r.stem.padEnd(28)} cat ${r.scores.cat.toFixed(2)} dog ${r.scores.dog.toFixed(2)} food ${r.scores.food.toFixed(2)}  [${r.dets
                  .slice(0, 3)
                  .map((d) => `${d.label} ${d.score.toFixed(2)}`)
                  .join(', ')}]${KNOWN_MISSES[r.stem] ? `  (known ${KNOWN_MISSES[r.stem]?.tag} miss)` : ''}`,
            ),
        ].join('\n'),
      );
    });

    it('scores every photo, leaks no tensors, and keeps boxes inside the image', () => {
      expect(photos.length).toBeGreaterThanOrEqual(30);
      expect(scoredPhotos).toHaveLength(photos.length);
      expect(leaked, 'tensors leaked by detect()').toBe(0);
      for (const d of scoredPhotos.flatMap((r) => r.dets)) {
        for (const v of [d.left, d.top, d.right, d.bottom]) expect(v >= 0 && v <= 1, `${d.label} box ${v}`).toBe(true);
        expect(d.left).toBeLessThanOrEqual(d.right);
        expect(d.top).toBeLessThanOrEqual(d.bottom);
        expect(d.label).toBe(COCO_LABELS[d.classId]);
      }
    });

    it('puts cat/dog/food above the default threshold on positives (but the known misses) and below on negatives', () => {
      for (const r of scoredPhotos) {
        for (const tag of TAGS) {
          const threshold = defaultThreshold(tag);
          const miss = KNOWN_MISSES[r.stem];
          if (r.truth[tag] && miss?.tag === tag) continue;
          if (r.truth[tag]) expect(r.scores[tag], `${r.stem} should be ${tag}`).toBeGreaterThanOrEqual(threshold);
          else expect(r.scores[tag], `${r.stem} should not be ${tag}`).toBeLessThan(threshold);
        }
      }
    });

    it('finds in one batched run of images of different sizes exactly what it finds in each alone', async () => {
      const picked = scoredPhotos.filter((r) => r.dets.length > 0).slice(0, 3);
      expect(picked.length).toBe(3);
      const tensors = await Promise.all(
        picked.map(async (r) => {
          const img = await decodeRgb(r.file);
          return tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
        }),
      );
      const before = tf.memory().numTensors;
      const batched = await detector.detectBatch(tensors);
      expect(tf.memory().numTensors, 'tensors leaked by detectBatch()').toBe(before);
      tf.dispose(tensors);
      expect(batched).toHaveLength(3);
      for (const [i, r] of picked.entries()) {
        const got = batched[i] ?? [];
        expect(
          got.map((d) => d.label),
          r.stem,
        ).toEqual(r.dets.map((d) => d.label));
        got.forEach((d, k) => expect(d.score).toBeCloseTo(r.dets[k]?.score ?? Number.NaN, 4));
      }
      expect(await detector.detectBatch([])).toEqual([]);
    });

    it('sees the coffee cup as a cup, not food, and boxes the tabby cat where it is', () => {
      const cup = scoredPhotos.find((r) => r.stem === 'photo-coffee-cup');
      expect(cup?.dets.some((d) => d.label === 'cup')).toBe(true);
      expect(cup?.scores.food).toBeLessThan(0.3);
      // Tabby lying across the frame: Human's (stretched) decoding boxes it at about 0.07, 0.20, 0.98, 0.75.
      const cat = scoredPhotos.find((r) => r.stem === 'photo-cat-tabby')?.dets.find((d) => d.label === 'cat');
      expect(cat).toBeDefined();
      const expected = [0.07, 0.2, 0.98, 0.75];
      [cat?.left, cat?.top, cat?.right, cat?.bottom].forEach((v, i) => expect(Math.abs((v ?? -1) - (expected[i] ?? 0))).toBeLessThan(0.06));
    });

    it('keeps the known misses honest: each is a positive photo that is still missed at the default threshold', () => {
      for (const [stem, { tag }] of Object.entries(KNOWN_MISSES)) {
        const r = scoredPhotos.find((p) => p.stem === stem);
        expect(r, `${stem} is not among the photos`).toBeDefined();
        expect(r?.truth[tag], `${stem} is not labelled ${tag}`).toBe(true);
        expect(r?.scores[tag], `${stem} is now found as ${tag}: take it off KNOWN_MISSES`).toBeLessThan(defaultThreshold(tag));
      }
    });

    it('finds pizza, a burger and cupcakes as food, each as its own COCO class', () => {
      for (const [stem, label] of Object.entries(FOOD_FOUND_AS)) {
        const r = scoredPhotos.find((p) => p.stem === stem);
        expect(r?.truth.food, `${stem} should be a food photo`).toBe(true);
        const food = (r?.dets ?? []).filter((d) => (FOOD_CLASSES as readonly string[]).includes(d.label));
        const best = food.reduce<Detection | undefined>((a, d) => (a === undefined || d.score > a.score ? d : a), undefined);
        expect(best?.label, `${stem}'s strongest food class`).toBe(label);
        expect(best?.score, `${stem} ${label}`).toBeGreaterThanOrEqual(defaultThreshold('food'));
      }
    });

    it(`separates the photos at the candidate thresholds (food ${CANDIDATE_THRESHOLDS.food}) but for the misses left`, () => {
      expect(scoredPhotos.length).toBe(photos.length);
      for (const r of scoredPhotos) {
        for (const tag of TAGS) {
          const threshold = CANDIDATE_THRESHOLDS[tag];
          const stillMissed = CANDIDATE_MISSES.has(r.stem) && KNOWN_MISSES[r.stem]?.tag === tag;
          if (r.truth[tag] && !stillMissed) expect(r.scores[tag], `${r.stem} ${tag}`).toBeGreaterThanOrEqual(threshold);
          else expect(r.scores[tag], `${r.stem} ${tag}`).toBeLessThan(threshold);
        }
      }
    });
  });

  // Drawings are allowed to fail (COCO has photos only); they take another ~20 s, so they run on request:
  // MEGANE_OBJECT_DRAWINGS=1 npx vitest run --project unit test/unit/object-detector.test.ts
  it.runIf(process.env.MEGANE_OBJECT_DRAWINGS === '1')('reports the drawings', async () => {
    const drawings = all.filter((f) => f.kind === 'drawing');
    const rows: Scored[] = [];
    for (const f of drawings) {
      const img = await decodeRgb(f.file);
      const t = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
      const dets = await detector.detect(t);
      t.dispose();
      rows.push({ ...f, dets, scores: objectTagScores(dets) });
    }
    console.info(
      [
        `object-detector.test: ${drawings.length} drawings`,
        ...confusion(rows),
        `at the candidate thresholds: ${confusion(rows, (tag) => CANDIDATE_THRESHOLDS[tag]).join('; ')}`,
        ...rows.map(
          (r) => `  ${r.stem.padEnd(30)} cat ${r.scores.cat.toFixed(2)} dog ${r.scores.dog.toFixed(2)} food ${r.scores.food.toFixed(2)}`,
        ),
      ].join('\n'),
    );
    expect(rows).toHaveLength(drawings.length);
  });
});
