// A small real tfjs layers model (8x8x3 in, 2 logits out) saved the way `npm run train` saves one: a
// megane-model.json, a model.json and one weights file. For tests of importing a trained model.
import * as tf from '@tensorflow/tfjs';
import { strToU8 } from 'fflate';
import type { ModelFile } from '../../src/trained/read-model-files';

/** A megane-model.json for the tiny model; tests override what they need. */
export const TINY_DESCRIPTOR = {
  format: 'megane-model',
  version: 2,
  name: 'tiny',
  architecture: 'model3',
  modelFile: 'model.json',
  inputSize: 8,
  preprocessing: { resize: 'stretch', scale: '1/255', channels: 'RGB' },
  tags: ['nsfw', 'megane'],
  output: 'logits',
  trainedAt: 1767225600000,
  dataset: { images: 10, train: 8, validation: 2 },
  metrics: {},
};

/**
 * Builds the model on the CPU backend and returns it with its files: `folder` prefixes their names (as
 * a folder picker gives them), `weightsFile` names the weights.
 */
export async function tinyTrainedModel(
  descriptor: object,
  { folder = '', weightsFile = 'group1-shard1of1.bin' }: { folder?: string; weightsFile?: string } = {},
): Promise<{ model: tf.LayersModel; files: ModelFile[] }> {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [8, 8, 3] }), tf.layers.dense({ units: 2, kernelInitializer: 'glorotUniform' })],
  });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved?.weightData || !saved.weightSpecs) throw new Error('no weights saved');
  const modelJson = {
    modelTopology: saved.modelTopology,
    format: 'layers-model',
    weightsManifest: [{ paths: [weightsFile], weights: saved.weightSpecs }],
  };
  const files = [
    { name: `${folder}megane-model.json`, bytes: strToU8(JSON.stringify(descriptor)) },
    { name: `${folder}model.json`, bytes: strToU8(JSON.stringify(modelJson)) },
    { name: `${folder}${weightsFile}`, bytes: new Uint8Array(saved.weightData as ArrayBuffer) },
  ];
  return { model, files };
}
