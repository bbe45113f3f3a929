// Which features could a head find drawn cats, dogs, girls and boys in? For each candidate layer of
// the models Megane ships (the NSFW models' pooled embedding and earlier blocks, the object detector's
// backbone), pools the layer over the image and counts, on the drawn test fixtures, how often a
// drawing's nearest other drawing shows the same thing (nearest-neighbour.ts), against chance.
//
//   npm run probe:features
//
// Prints a Markdown table (docs/tags.md quotes it). Nothing is trained or written.
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { letterbox } from '../../src/model/object-detector';
import { toModelInput } from '../../src/model/preprocess';
import { fileIOHandler } from '../../test/helpers/file-io-handler';
import { decodeRgb } from '../../test/helpers/gallery';
import { tagFixtures } from '../../test/helpers/tag-fixtures';
import type { ContentTag } from './labels';
import { nearestNeighbourHits } from './nearest-neighbour';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MODELS_DIR = join(ROOT, 'public', 'models');
const TAGS: readonly ContentTag[] = ['cat', 'dog', 'girl', 'boy', 'face', 'food'];
const MOBILENET =
  'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2/';

/** One model and the layers to pool, with how its input is made from 0..255 RGB. */
interface Probe {
  model: string;
  layers: Record<string, string>;
  /** Runs the model on one image, returning each layer's [1, h, w, c] output in `layers` order. */
  load(): Promise<(image: tf.Tensor3D, layers: readonly string[]) => tf.Tensor[]>;
}

const PROBES: readonly Probe[] = [
  {
    model: 'mobilenet_v2_mid (NSFW)',
    layers: {
      'block 12': `${MOBILENET}expanded_conv_12/add`,
      'block 14': `${MOBILENET}expanded_conv_14/add`,
      'block 16': `${MOBILENET}expanded_conv_16/project/BatchNorm/FusedBatchNormV3`,
      'embedding (heads use it)': `${MOBILENET}Conv_1/Relu6`,
    },
    load: async () => {
      const model = await tf.loadGraphModel(fileIOHandler(join(MODELS_DIR, 'mobilenet_v2_mid', 'model.json')));
      return (image, layers) => model.execute(toModelInput([image], 224), [...layers]) as tf.Tensor[];
    },
  },
  {
    model: 'inception_v3 (NSFW)',
    layers: { mixed5: 'mixed5', mixed7: 'mixed7', 'mixed10 (embedding)': 'mixed10' },
    load: async () => {
      const model = await tf.loadLayersModel(fileIOHandler(join(MODELS_DIR, 'inception_v3', 'model.json')));
      const names = ['mixed5', 'mixed7', 'mixed10'];
      const outputs = tf.model({ inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output as tf.SymbolicTensor) });
      return (image, layers) => {
        const all = outputs.predict(toModelInput([image], 299)) as tf.Tensor[];
        return layers.map((l) => all[names.indexOf(l)] as tf.Tensor);
      };
    },
  },
  {
    model: 'CenterNet (object detector)',
    layers: { backbone: 'tower_0/extern1/hard_swish/Relu6', 'detection head': 'tower_0/CenternetHead/Relu_2' },
    load: async () => {
      const model = await tf.loadGraphModel(fileIOHandler(join(MODELS_DIR, 'human', 'centernet', 'model.json')));
      const size = model.inputs[0]?.shape?.[1] ?? 512;
      // As the detector sees an image: scaled to fit, aspect ratio kept, padded at the right and bottom.
      return (image, layers) => {
        const [h = 1, w = 1] = image.shape;
        const fit = letterbox(h, w, size);
        const resized = tf.image.resizeBilinear(tf.cast(image, 'float32') as tf.Tensor3D, [fit.height, fit.width]);
        const input = tf.pad(resized, [
          [0, size - fit.height],
          [0, size - fit.width],
          [0, 0],
        ]);
        return model.execute(input.expandDims(0), [...layers]) as tf.Tensor[];
      };
    },
  },
];

await tf.setBackend('wasm');
const drawings = tagFixtures().filter((f) => f.kind === 'drawing');
const images = await Promise.all(drawings.map((f) => decodeRgb(f.path)));
const count = (tag: ContentTag) => drawings.filter((f) => f.labels[tag] === true).length;
console.log(`${drawings.length} drawn fixtures; hits = a drawing's nearest other drawing shows the same (chance in brackets)\n`);
console.log(`| model | layer | pooled | ${TAGS.map((t) => `${t} (${count(t)})`).join(' | ')} |`);
console.log(`|---|---|---|${TAGS.map(() => '---').join('|')}|`);
for (const probe of PROBES) {
  const run = await probe.load();
  const names = Object.keys(probe.layers);
  const paths = Object.values(probe.layers);
  const pooled: Record<'mean' | 'max', number[][][]> = { mean: names.map(() => []), max: names.map(() => []) };
  for (const img of images) {
    const image = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
    const outs = tf.tidy(() => run(image, paths).flatMap((o) => [o.mean([1, 2]), o.max([1, 2])]));
    const values = (await Promise.all(outs.map((o) => o.array()))) as number[][][];
    names.forEach((_, i) => {
      pooled.mean[i]?.push(values[2 * i]?.[0] ?? []);
      pooled.max[i]?.push(values[2 * i + 1]?.[0] ?? []);
    });
    tf.dispose([image, ...outs]);
  }
  for (const [i, name] of names.entries()) {
    for (const pooling of ['mean', 'max'] as const) {
      const rows = pooled[pooling][i] ?? [];
      const cells = TAGS.map((tag) => {
        const r = nearestNeighbourHits(
          rows,
          drawings.map((f) => f.labels[tag] === true),
        );
        return `${r.hits} (${r.chance.toFixed(1)})`;
      });
      console.log(`| ${probe.model} | ${name} (${rows[0]?.length}) | ${pooling} | ${cells.join(' | ')} |`);
    }
  }
}
