// Loads one of the nsfwjs classifiers with plain TensorFlow.js and scores batches of images with it.
// We do not use nsfwjs at run time: it scores one image per model call, returns only top-k labels and
// bundles the models as base64 JS. Preprocessing is nsfwjs's (see preprocess.ts), so scores match it.
import * as tf from '@tensorflow/tfjs';
import { asArray, toHandler } from './model-io';
import { MODEL_IDS, NSFW_CLASSES, isModelId, type ModelSpec } from './catalog';
import { batchLength, toModelInput, type ImageBatch } from './preprocess';
import { errorText, isRecord } from '../util/checks';

export interface NsfwModelConfig {
  spec: ModelSpec;
  /** URL of model.json (weights are fetched next to it) or any tfjs IOHandler (tests load from disk). */
  modelUrl: string | tf.io.IOHandler;
  /** Also compute the pooled image features (default true: the host returns them with every score). */
  embedding?: boolean;
}

export interface NsfwPrediction {
  /** Softmax probabilities in NSFW_CLASSES order. */
  classes: number[];
  /** Global-pooled features before the classification head; [] when embeddings are off. */
  embedding: number[];
}

export interface NsfwModel {
  readonly spec: ModelSpec;
  /** Length of every embedding this model returns (0 when embeddings are off). */
  readonly embeddingSize: number;
  /**
   * Scores images ([h, w, 3], values 0..255, any size) in one batched model call. The caller keeps
   * ownership of the input tensors. Results are in input order.
   */
  predict(images: ImageBatch): Promise<NsfwPrediction[]>;
  /** Frees the weights. Further predict calls reject. */
  dispose(): void;
}

// ---- Where the embedding lives: the global-pooled image features that feed the classification head.
// Pure functions over a minimal graph description so layers models (Keras layer names/classes) and
// graph models (TF node names/ops) share one tested walk.
/** One node of a model graph: its name, its operation (Keras class name or TF op) and its data inputs. */
export interface GraphNode {
  name: string;
  op: string;
  /** Names of the nodes feeding this one, first = the data input. */
  inputs: string[];
}

/**
 * Ops a classification head is made of. The walk back from the output passes through these and stops at
 * the first op that is not one of them (Flatten, Squeeze, GlobalAveragePooling2D, ...), whose output is the
 * embedding. Dropout is the identity at inference; BiasAdd/Relu appear when a converter splits a Dense.
 */
const HEAD_OPS: ReadonlySet<string> = new Set([
  // Keras layer classes
  'Dense',
  'Dropout',
  'Activation',
  'Softmax',
  'ReLU',
  // TF graph ops
  'Identity',
  'MatMul',
  '_FusedMatMul',
  'BiasAdd',
  'Relu',
]);

/** Ops that hold the head's weights; the walk must pass at least one, or there is no head to skip. */
const DENSE_OPS: ReadonlySet<string> = new Set(['Dense', 'MatMul', '_FusedMatMul']);

/**
 * Name of the node whose output is the embedding: walk back from `outputName` along data inputs through
 * the head (dense, dropout, activation, softmax), return the first node that is not part of it.
 *
 * Why not simply "the input of the last Dense": the nsfwjs layers models end in
 * Dense(256) -> Dropout -> Dense(128) -> Dropout -> Dense(5), so that input would be a 128-wide,
 * NSFW-specific hidden layer; the pooled features before the whole head (1280 / 1792 / 2048 wide) describe the
 * image itself, which is what similarity between images needs. For the graph model the two coincide.
 */
export function findEmbeddingNode(nodes: readonly GraphNode[], outputName: string): string {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  let current = byName.get(outputName);
  if (current === undefined) throw new Error(`output node "${outputName}" is not in the model`);
  let passedDense = false;
  const seen = new Set<string>();
  while (HEAD_OPS.has(current.op)) {
    if (seen.has(current.name)) throw new Error(`cycle at "${current.name}" while looking for the embedding`);
    seen.add(current.name);
    if (DENSE_OPS.has(current.op)) passedDense = true;
    const input = current.inputs[0];
    if (input === undefined) throw new Error(`head node "${current.name}" has no input`);
    const next = byName.get(input);
    if (next === undefined) throw new Error(`node "${input}" (input of "${current.name}") is not in the model`);
    current = next;
  }
  if (!passedDense) throw new Error(`no dense layer between "${outputName}" and "${current.name}"`);
  return current.name;
}

/**
 * Normalises a TF GraphDef input reference to a node name: drops control inputs ("^name" carry no
 * data) and output indices ("name:1" means output 1 of node "name").
 */
export function graphInputNames(inputs: readonly string[]): string[] {
  return inputs.filter((i) => !i.startsWith('^')).map((i) => i.replace(/:\d+$/, ''));
}

/** Reads the node list out of a graph-model topology (model.json "modelTopology" of format graph-model). */
export function graphNodesFromTopology(topology: unknown): GraphNode[] {
  if (!isRecord(topology) || !Array.isArray(topology.node)) {
    throw new Error('graph model topology has no node list');
  }
  return topology.node.map((raw: unknown, i: number) => {
    if (!isRecord(raw) || typeof raw.name !== 'string' || typeof raw.op !== 'string') {
      throw new Error(`graph model node #${i} has no name/op`);
    }
    const input = Array.isArray(raw.input) ? raw.input.filter((x): x is string => typeof x === 'string') : [];
    return { name: raw.name, op: raw.op, inputs: graphInputNames(input) };
  });
}

// ---- Config and shape checks

/** Largest input side we accept in a spec; guards against typos that would allocate huge tensors. */
const MAX_INPUT_SIZE = 1024;

/** Problems with a config, [] when it is usable. Pure, so the checks are table-tested. */
export function configProblems(config: NsfwModelConfig): string[] {
  const problems: string[] = [];
  const { spec, modelUrl } = config;
  if (!isModelId(spec.id)) problems.push(`unknown model id "${String(spec.id)}" (known: ${MODEL_IDS.join(', ')})`);
  if (spec.format !== 'layers' && spec.format !== 'graph') problems.push(`unknown model format "${String(spec.format)}"`);
  if (!Number.isInteger(spec.inputSize) || spec.inputSize <= 0 || spec.inputSize > MAX_INPUT_SIZE) {
    problems.push(`input size must be an integer in 1..${MAX_INPUT_SIZE}, got ${spec.inputSize}`);
  }
  if (typeof modelUrl === 'string') {
    if (modelUrl.trim() === '') problems.push('model URL is empty');
  } else if (typeof modelUrl !== 'object' || modelUrl === null || typeof modelUrl.load !== 'function') {
    problems.push('modelUrl must be a URL string or a tfjs IOHandler with load()');
  }
  if (config.embedding !== undefined && typeof config.embedding !== 'boolean') problems.push('embedding must be a boolean');
  return problems;
}

/** Checks a loaded model's declared shapes against the catalog, so a wrong spec fails at load time. */
export function shapeProblems(
  spec: ModelSpec,
  inputShape: readonly (number | null)[] | undefined,
  outputShape: readonly (number | null)[] | undefined,
): string[] {
  const problems: string[] = [];
  const [, h, w, c] = inputShape ?? [];
  // Graph models mark free dimensions as -1, layers models as null.
  const fixed = (d: number | null | undefined) => (d === null || d === undefined || d < 0 ? null : d);
  if (inputShape?.length !== 4 || fixed(c) !== 3) problems.push(`model input is [${inputShape?.join(', ')}], expected [n, h, w, 3]`);
  for (const d of [h, w]) {
    if (fixed(d) !== null && fixed(d) !== spec.inputSize) {
      problems.push(`model input side is ${d}, catalog says ${spec.inputSize}`);
      break;
    }
  }
  // Graph models often declare no output shape; then the warm-up run checks the class count instead.
  const classes = outputShape?.[outputShape.length - 1];
  if (outputShape !== undefined && (outputShape.length !== 2 || classes !== NSFW_CLASSES.length)) {
    problems.push(`model output is [${outputShape?.join(', ')}], expected [n, ${NSFW_CLASSES.length}]`);
  }
  return problems;
}

/** A model reduced to "batch in, [probabilities, embedding?] out" plus its declared shapes. */
interface Runner {
  inputShape: (number | null)[] | undefined;
  outputShape: (number | null)[] | undefined;
  /** Runs the model once; call inside tf.tidy. Returns [probs [n,5], embedding [n,k]] or [probs]. */
  run(batch: tf.Tensor4D): tf.Tensor[];
  dispose(): void;
}

async function layersRunner(handler: tf.io.IOHandler, embedding: boolean): Promise<Runner> {
  const model = await tf.loadLayersModel(handler);
  const output = model.outputs[0];
  if (output === undefined || model.outputs.length !== 1) throw new Error('layers model must have exactly one output');
  let inference: tf.LayersModel = model;
  if (embedding) {
    const nodes: GraphNode[] = model.layers.map((layer) => ({
      name: layer.name,
      op: layer.getClassName(),
      inputs: layer.inboundNodes[0]?.inboundLayers.map((l) => l.name) ?? [],
    }));
    const features = model.getLayer(findEmbeddingNode(nodes, output.sourceLayer.name)).output;
    // A second model over the same layers (no weight copies) so one call yields both outputs.
    inference = tf.model({ inputs: model.inputs, outputs: [output, ...asArray(features)] });
  }
  return {
    inputShape: model.inputs[0]?.shape,
    outputShape: output.shape,
    run: (batch) => asArray(inference.predict(batch)),
    // Only the loaded model owns the layers; disposing the derived one as well would dispose them twice.
    dispose: () => model.dispose(),
  };
}

async function graphRunner(handler: tf.io.IOHandler, embedding: boolean): Promise<Runner> {
  // Keep the artifacts tfjs loads: GraphModel does not expose its topology, and we need the node list.
  let topology: unknown;
  const capturing: tf.io.IOHandler = {
    load: async () => {
      if (handler.load === undefined) throw new Error('IOHandler cannot load');
      const artifacts = await handler.load();
      topology = artifacts.modelTopology;
      return artifacts;
    },
  };
  const model = await tf.loadGraphModel(capturing);
  const outputName = model.outputNodes[0];
  if (outputName === undefined || model.outputNodes.length !== 1) throw new Error('graph model must have exactly one output');
  const outputs = [outputName];
  if (embedding) outputs.push(findEmbeddingNode(graphNodesFromTopology(topology), outputName.replace(/:\d+$/, '')));
  return {
    inputShape: model.inputs[0]?.shape,
    outputShape: model.outputs[0]?.shape,
    // execute (not executeAsync): these graphs have no control flow, and sync execution can run in tidy.
    run: (batch) => asArray(model.execute(batch, outputs)),
    dispose: () => model.dispose(),
  };
}

/** Loads, checks and warms up a model. Rejects with a message naming the model if anything is off. */
export async function loadNsfwModel(config: NsfwModelConfig): Promise<NsfwModel> {
  const problems = configProblems(config);
  if (problems.length > 0) throw new Error(`bad model config: ${problems.join('; ')}`);
  const { spec } = config;
  const wantEmbedding = config.embedding ?? true;
  const handler = toHandler(config.modelUrl);
  const runner = spec.format === 'layers' ? await layersRunner(handler, wantEmbedding) : await graphRunner(handler, wantEmbedding);
  let disposed = false;

  const predict = async (images: ImageBatch): Promise<NsfwPrediction[]> => {
    if (disposed) throw new Error(`model ${spec.id} is disposed`);
    const n = batchLength(images);
    if (n === 0) return [];
    const [probs, features] = tf.tidy(() => {
      const out = runner.run(toModelInput(images, spec.inputSize));
      // Flatten defensively: a converter may leave the pooled features as [n, 1, 1, k].
      return out.map((t) => tf.reshape(t, [n, -1]) as tf.Tensor2D);
    });
    try {
      if (probs === undefined) throw new Error(`model ${spec.id} returned no output`);
      const [classes, embeddings] = await Promise.all([probs.array(), features?.array()]);
      return classes.map((c, i) => ({ classes: c, embedding: embeddings?.[i] ?? [] }));
    } finally {
      probs?.dispose();
      features?.dispose();
    }
  };

  try {
    const shapes = shapeProblems(spec, runner.inputShape, runner.outputShape);
    if (shapes.length > 0) throw new Error(shapes.join('; '));
    // Warm-up: the first call compiles shaders / allocates buffers; pay that now, not on a user's image.
    const blank = tf.zeros([spec.inputSize, spec.inputSize, 3]) as tf.Tensor3D;
    let first: NsfwPrediction | undefined;
    try {
      [first] = await predict([blank]);
    } finally {
      blank.dispose();
    }
    if (first?.classes.length !== NSFW_CLASSES.length) {
      throw new Error(`model returns ${first?.classes.length ?? 0} scores, expected ${NSFW_CLASSES.length}`);
    }
    const embeddingSize = first.embedding.length;
    if (wantEmbedding && embeddingSize === 0) throw new Error('warm-up returned no embedding');
    return {
      spec,
      embeddingSize,
      predict,
      dispose: () => {
        if (disposed) return;
        disposed = true;
        runner.dispose();
      },
    };
  } catch (err) {
    runner.dispose();
    throw new Error(`model ${spec.id}: ${errorText(err)}`);
  }
}
