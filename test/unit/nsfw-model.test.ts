// nsfw-model against the reference: our loader on the extracted public/models files must give the
// same probabilities as nsfwjs's own classify() on its bundled models, for the same input tensor.
// Runs on TensorFlow.js's WASM backend in Node (CPU if WASM cannot start; the log says which).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as nsfwjs from 'nsfwjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MODELS, NSFW_CLASSES, type ModelId, type ModelSpec } from '../../src/model/catalog';
import {
  configProblems,
  findEmbeddingNode,
  graphInputNames,
  graphNodesFromTopology,
  loadNsfwModel,
  shapeProblems,
  type GraphNode,
  type NsfwModel,
} from '../../src/model/nsfw-model';
import { batchLength, toModelInput } from '../../src/model/preprocess';
import { fileIOHandler } from '../helpers/file-io-handler';
import { decodeRgb, galleryFiles, type RgbImage } from '../helpers/gallery';

const MODELS_DIR = resolve(import.meta.dirname, '..', '..', 'public', 'models');

// ---- pure parts

describe('findEmbeddingNode', () => {
  const node = (name: string, op: string, ...inputs: string[]): GraphNode => ({ name, op, inputs });
  // nsfwjs layers models: pool -> flatten -> Dense(256) -> Dropout -> Dense(128) -> Dropout -> Dense(5)
  const kerasHead = [
    node('pool', 'AveragePooling2D', 'relu'),
    node('flatten', 'Flatten', 'pool'),
    node('dense_1', 'Dense', 'flatten'),
    node('dropout_2', 'Dropout', 'dense_1'),
    node('dense_2', 'Dense', 'dropout_2'),
    node('dropout_3', 'Dropout', 'dense_2'),
    node('dense_3', 'Dense', 'dropout_3'),
  ];
  // nsfwjs graph model: AvgPool -> Squeeze -> _FusedMatMul -> Softmax -> Identity
  const tfHead = [
    node('AvgPool', 'AvgPool', 'Relu6'),
    node('Squeeze', 'Squeeze', 'AvgPool'),
    node('dense/BiasAdd', '_FusedMatMul', 'Squeeze', 'w', 'b'),
    node('Softmax', 'Softmax', 'dense/BiasAdd'),
    node('Identity', 'Identity', 'Softmax'),
  ];
  const ok: Array<[string, GraphNode[], string, string]> = [
    ['keras multi-dense head', kerasHead, 'dense_3', 'flatten'],
    ['graph fused matmul head', tfHead, 'Identity', 'Squeeze'],
    [
      'split MatMul + BiasAdd + Softmax',
      [node('gap', 'Mean', 'x'), node('mm', 'MatMul', 'gap', 'w'), node('ba', 'BiasAdd', 'mm', 'b'), node('sm', 'Softmax', 'ba')],
      'sm',
      'gap',
    ],
    [
      'keras separate Activation',
      [node('gap', 'GlobalAveragePooling2D', 'x'), node('d', 'Dense', 'gap'), node('act', 'Activation', 'd')],
      'act',
      'gap',
    ],
  ];
  it.each(ok)('%s', (_label, nodes, output, expected) => {
    expect(findEmbeddingNode(nodes, output)).toBe(expected);
  });

  const bad: Array<[string, GraphNode[], string, RegExp]> = [
    ['unknown output', kerasHead, 'nope', /not in the model/],
    ['no dense in head', [node('gap', 'Mean', 'x'), node('sm', 'Softmax', 'gap')], 'sm', /no dense layer/],
    ['dangling input', [node('d', 'Dense', 'missing')], 'd', /not in the model/],
    ['head with no input', [node('d', 'Dense')], 'd', /has no input/],
    ['cycle', [node('a', 'Dense', 'b'), node('b', 'Dropout', 'a')], 'a', /cycle/],
  ];
  it.each(bad)('rejects %s', (_label, nodes, output, error) => {
    expect(() => findEmbeddingNode(nodes, output)).toThrow(error);
  });
});

describe('graph topology parsing', () => {
  it.each([
    [
      ['a', 'b:1', '^ctrl'],
      ['a', 'b'],
    ],
    [
      ['x:0', 'y:12'],
      ['x', 'y'],
    ],
    [[], []],
  ])('graphInputNames(%j) = %j', (input, expected) => {
    expect(graphInputNames(input)).toEqual(expected);
  });

  it('reads nodes and rejects malformed topologies', () => {
    expect(
      graphNodesFromTopology({
        node: [
          { name: 'a', op: 'Placeholder' },
          { name: 'b', op: 'Relu', input: ['a:0', '^c'] },
        ],
      }),
    ).toEqual([
      { name: 'a', op: 'Placeholder', inputs: [] },
      { name: 'b', op: 'Relu', inputs: ['a'] },
    ]);
    expect(() => graphNodesFromTopology({})).toThrow(/no node list/);
    expect(() => graphNodesFromTopology({ node: [{ name: 1 }] })).toThrow(/#0/);
  });
});

describe('configProblems', () => {
  const spec = MODELS.mobilenet_v2;
  const handler: tf.io.IOHandler = { load: async () => ({}) };
  const cases: Array<[string, Parameters<typeof configProblems>[0], RegExp | null]> = [
    ['catalog spec + URL', { spec, modelUrl: '/models/mobilenet_v2/model.json' }, null],
    ['catalog spec + handler', { spec, modelUrl: handler, embedding: false }, null],
    ['empty URL', { spec, modelUrl: ' ' }, /URL is empty/],
    ['handler without load', { spec, modelUrl: {} }, /IOHandler/],
    ['unknown id', { spec: { ...spec, id: 'resnet' as ModelId }, modelUrl: 'x' }, /unknown model id/],
    ['unknown format', { spec: { ...spec, format: 'onnx' as ModelSpec['format'] }, modelUrl: 'x' }, /format/],
    ['zero input size', { spec: { ...spec, inputSize: 0 }, modelUrl: 'x' }, /input size/],
    ['fractional input size', { spec: { ...spec, inputSize: 22.4 }, modelUrl: 'x' }, /input size/],
  ];
  it.each(cases)('%s', (_label, config, problem) => {
    const problems = configProblems(config);
    if (problem === null) expect(problems).toEqual([]);
    else expect(problems.join('; ')).toMatch(problem);
  });
});

describe('shapeProblems', () => {
  const spec = MODELS.mobilenet_v2;
  it.each([
    ['layers shapes', [null, 224, 224, 3], [null, 5], null],
    ['graph shapes (-1 = free)', [-1, 224, 224, 3], [-1, 5], null],
    ['free spatial dims', [null, null, null, 3], [null, 5], null],
    ['wrong side', [null, 299, 299, 3], [null, 5], /catalog says 224/],
    ['grey input', [null, 224, 224, 1], [null, 5], /expected \[n, h, w, 3\]/],
    ['wrong class count', [null, 224, 224, 3], [null, 1000], /expected \[n, 5\]/],
    ['unknown output shape (graph models) is left to the warm-up', [-1, 224, 224, 3], undefined, null],
    ['missing input shape', undefined, [null, 5], /expected \[n, h, w, 3\]/],
  ] as Array<[string, (number | null)[] | undefined, (number | null)[] | undefined, RegExp | null]>)(
    '%s',
    (_label, input, output, problem) => {
      const problems = shapeProblems(spec, input, output);
      if (problem === null) expect(problems).toEqual([]);
      else expect(problems.join('; ')).toMatch(problem);
    },
  );
});

// ---- real models

let backend = '';
beforeAll(async () => {
  // The WASM binaries are found next to the package's Node entry; no setWasmPaths needed in Node.
  const wasmOk = await tf.setBackend('wasm').catch(() => false);
  if (!wasmOk) {
    console.warn('nsfw-model.test: WASM backend failed to start in Node, falling back to CPU');
    await tf.setBackend('cpu');
  }
  await tf.ready();
  backend = tf.getBackend();
  console.info(`nsfw-model.test: backend ${backend}`);
});

describe('preprocess', () => {
  it('matches nsfwjs order (float, /255, resize with alignCorners) and passes through exact sizes', async () => {
    const img = tf.tidy(() => tf.cast(tf.randomUniform([37, 51, 3], 0, 256, 'int32', 7), 'int32') as tf.Tensor3D);
    const before = tf.memory().numTensors;
    const [ours, reference, same] = tf.tidy(() => {
      const ref = tf.image.resizeBilinear(tf.div(tf.cast(img, 'float32'), tf.scalar(255)) as tf.Tensor3D, [8, 8], true);
      const exact = tf.ones([8, 8, 3]) as tf.Tensor3D;
      return [toModelInput([img], 8), tf.expandDims(ref, 0), toModelInput(tf.mul(exact, 255) as tf.Tensor3D, 8)];
    });
    expect(ours.shape).toEqual([1, 8, 8, 3]);
    expect(Array.from(await ours.data())).toEqual(Array.from(await reference.data()));
    expect(Array.from(new Set(await same.data()))).toEqual([1]);
    tf.dispose([ours, reference, same]);
    expect(tf.memory().numTensors).toBe(before);
    img.dispose();
  });

  it('stacks images of different sizes, and rejects non-RGB', () => {
    const a = tf.zeros([10, 20, 3]) as tf.Tensor3D;
    const b = tf.zeros([30, 5, 3]) as tf.Tensor3D;
    const grey = tf.zeros([10, 10, 1]) as tf.Tensor3D;
    const batch = tf.tidy(() => toModelInput([a, b], 16));
    expect(batch.shape).toEqual([2, 16, 16, 3]);
    expect(batchLength([a, b])).toBe(2);
    expect(batchLength(batch)).toBe(2);
    expect(batchLength(a)).toBe(1);
    expect(() => tf.tidy(() => toModelInput([grey], 16))).toThrow(/RGB/);
    expect(() => toModelInput([], 16)).toThrow(/empty/);
    tf.dispose([a, b, grey, batch]);
  });
});

/** nsfwjs's names for our catalog ids (its bundled definitions carry the size/type options). */
const NSFWJS_NAME: Record<ModelId, 'MobileNetV2' | 'MobileNetV2Mid' | 'InceptionV3'> = {
  mobilenet_v2: 'MobileNetV2',
  mobilenet_v2_mid: 'MobileNetV2Mid',
  inception_v3: 'InceptionV3',
};
/** Embedding widths: MobileNetV2's pooled 1280 features (1792 for the 1.4-wide "mid"), InceptionV3's 2048. */
const EMBEDDING_SIZE: Record<ModelId, number> = { mobilenet_v2: 1280, mobilenet_v2_mid: 1792, inception_v3: 2048 };
/** Images per model for the comparison: Inception at 299 px costs ~0.5 s/image on WASM. */
const IMAGES_PER_MODEL: Record<ModelId, number> = { mobilenet_v2: 6, mobilenet_v2_mid: 6, inception_v3: 2 };

const files = galleryFiles();
/** Per model, `count` gallery images spread evenly over the sorted list, so drawings and photos both appear. */
const images: Partial<Record<ModelId, RgbImage[]>> = {};

function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * (items.length - 1)) / Math.max(1, count - 1))] as T);
}

beforeAll(async () => {
  for (const id of Object.keys(IMAGES_PER_MODEL) as ModelId[]) {
    images[id] = await Promise.all(spread(files, IMAGES_PER_MODEL[id]).map((f) => decodeRgb(f)));
  }
});

const toTensor = (img: RgbImage) => tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');

/** nsfwjs's top-k list, put back in NSFW_CLASSES order. */
async function referenceClasses(reference: nsfwjs.NSFWJS, img: tf.Tensor3D): Promise<number[]> {
  const top = await reference.classify(img, NSFW_CLASSES.length);
  return NSFW_CLASSES.map((c) => top.find((p) => p.className === c)?.probability ?? Number.NaN);
}

function expectClose(actual: number[], expected: number[], tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - (expected[i] ?? Number.NaN))));
  expect(worst, `${what}: max |diff| ${worst}`).toBeLessThanOrEqual(tolerance);
}

describe.skipIf(!existsSync(resolve(MODELS_DIR, 'mobilenet_v2', 'model.json')))('loadNsfwModel on public/models', () => {
  it('finds gallery images', () => {
    expect(files.length, 'test/fixtures/gallery/ has no images').toBeGreaterThanOrEqual(2);
  });

  describe.each(Object.values(MODELS))('$id', (spec) => {
    let model: NsfwModel;
    let reference: nsfwjs.NSFWJS;
    let inputs: tf.Tensor3D[] = [];

    beforeAll(async () => {
      model = await loadNsfwModel({ spec, modelUrl: fileIOHandler(resolve(MODELS_DIR, spec.id, 'model.json')) });
      reference = await nsfwjs.load(NSFWJS_NAME[spec.id]);
      inputs = (images[spec.id] ?? []).map(toTensor);
    });
    afterAll(() => {
      tf.dispose(inputs);
      model?.dispose();
      reference?.dispose();
    });

    it('gives nsfwjs classify() scores within 1e-3, with one model call per batch and no leaked tensors', async () => {
      const calls = [vi.spyOn(tf.LayersModel.prototype, 'predict'), vi.spyOn(tf.GraphModel.prototype, 'execute')];
      const before = tf.memory().numTensors;
      let batch: Awaited<ReturnType<typeof model.predict>> | undefined;
      let modelCalls = 0;
      try {
        batch = await model.predict(inputs);
        modelCalls = calls.reduce((n, spy) => n + spy.mock.calls.length, 0);
      } finally {
        // (mockRestore also clears the recorded calls, so count first)
        calls.forEach((spy) => spy.mockRestore());
      }
      expect(modelCalls, 'model calls for one batch').toBe(1);
      expect(tf.memory().numTensors).toBe(before);
      expect(batch).toHaveLength(inputs.length);
      for (const [i, input] of inputs.entries()) {
        const expected = await referenceClasses(reference, input);
        expectClose(batch[i]?.classes ?? [], expected, 1e-3, `${spec.id} ${images[spec.id]?.[i]?.name}`);
      }
    });

    it('scores a batch the same as one image at a time (1e-4)', async () => {
      const batch = await model.predict(inputs);
      for (const [i, input] of inputs.entries()) {
        const [single] = await model.predict([input]);
        expectClose(batch[i]?.classes ?? [], single?.classes ?? [], 1e-4, `${spec.id} classes #${i}`);
        expectClose(batch[i]?.embedding ?? [], single?.embedding ?? [], 1e-3, `${spec.id} embedding #${i}`);
      }
    });

    it('returns fixed-length embeddings', async () => {
      expect(model.embeddingSize).toBe(EMBEDDING_SIZE[spec.id]);
      const results = await model.predict(inputs);
      for (const r of results) {
        expect(r.embedding).toHaveLength(model.embeddingSize);
        expect(r.embedding.every(Number.isFinite)).toBe(true);
      }
      // Different images, different features (guards against returning a constant node).
      expect(results[0]?.embedding).not.toEqual(results[1]?.embedding);
    });
  });

  it('frees every tensor on dispose, rejects use after dispose, and can skip embeddings', async () => {
    const before = tf.memory().numTensors;
    const model = await loadNsfwModel({
      spec: MODELS.mobilenet_v2,
      modelUrl: fileIOHandler(resolve(MODELS_DIR, 'mobilenet_v2', 'model.json')),
      embedding: false,
    });
    expect(model.embeddingSize).toBe(0);
    const img = tf.zeros([50, 60, 3], 'int32') as tf.Tensor3D;
    const [result] = await model.predict(img);
    expect(result?.embedding).toEqual([]);
    expect(result?.classes.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(await model.predict([])).toEqual([]);
    img.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(model.predict([])).rejects.toThrow(/disposed/);
  });

  it('rejects a model whose shapes do not match its catalog entry', async () => {
    const before = tf.memory().numTensors;
    const wrong: ModelSpec = { ...MODELS.mobilenet_v2, inputSize: 299 };
    await expect(
      loadNsfwModel({ spec: wrong, modelUrl: fileIOHandler(resolve(MODELS_DIR, 'mobilenet_v2', 'model.json')) }),
    ).rejects.toThrow(/mobilenet_v2: .*catalog says 299/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

afterAll(() => {
  console.info(`nsfw-model.test: ran on ${backend}`);
});
