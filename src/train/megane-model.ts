// megane-model.json: the descriptor written beside a trained model's model.json + weights.bin by
// `npm run train` (scripts/train/train-model3.ts), and read by the extension when the user imports the
// folder. It says how to feed the model and what its outputs mean:
//
//   {
//     "format": "megane-model", "version": 2,
//     "name": "model3",                      free text shown to the user
//     "architecture": "model3",              how the layers were built (scripts/train/model3.ts)
//     "modelFile": "model.json",             the tfjs layers model, in the same folder
//     "inputSize": 256,                      square input side in pixels
//     "preprocessing": {"resize": "stretch", "scale": "1/255", "channels": "RGB"},
//                                            stretch the whole image to inputSize x inputSize (aspect ratio
//                                            not kept), RGB without alpha, each 0..255 value divided by 255
//     "tags": ["nsfw", "like", ...],         output i is the score of tags[i]; vocabulary tag ids, and
//                                            the user's own as "user:<slug>" (version 2)
//     "customTags": [{"id": "user:spiders", "label": "Spiders"}], the names of the user's own tags in
//                                            tags (version 2; absent or [] when there are none)
//     "output": "logits" | "sigmoid",        logits: apply a sigmoid per output to get 0..1
//     "trainedAt": 1767225600000,            ms since the epoch
//     "dataset": {"images": 412, "train": 330, "validation": 82},
//     "metrics": {"nsfw": {"precision", "recall", "averagePrecision", "positives", "negatives"}, ...}
//                                            per tag, on the validation images at threshold 0.5; a value is
//                                            null when it is undefined (no positives, nothing predicted)
//     "training": {"epochs", "batchSize", "learningRate", "miningRatio", "seed", "validationFraction",
//                  "validationLoss", "backend"}   optional, for the record
//   }
//
// Version 1 had no user tags; it reads as version 2 with none. Unknown fields are ignored, so a later
// version can add some. No tfjs and no Node imports here: the extension imports this file.
import { isAnyTagId, isCustomTagId, readCustomTag, type AnyTagId, type CustomTag } from '../tags/vocabulary';
import { describeValue, isCount, isFiniteNumber, isRecord } from '../util/checks';

export const MEGANE_MODEL_FORMAT = 'megane-model';
export const MEGANE_MODEL_VERSION = 2;
export const MEGANE_MODEL_FILE = 'megane-model.json';

export interface MeganePreprocessing {
  resize: 'stretch';
  scale: '1/255';
  channels: 'RGB';
}

export interface MeganeTagMetrics {
  precision: number | null;
  recall: number | null;
  averagePrecision: number | null;
  /** Validation images labelled 1 / 0 for the tag (images whose label is unknown are not counted). */
  positives: number;
  negatives: number;
}

export interface MeganeTrainingInfo {
  epochs: number;
  batchSize: number;
  learningRate: number;
  miningRatio: number | null;
  seed: string;
  validationFraction: number;
  validationLoss: number | null;
  backend: string;
}

export interface MeganeModelDescriptor {
  format: typeof MEGANE_MODEL_FORMAT;
  version: typeof MEGANE_MODEL_VERSION;
  name: string;
  architecture: 'model3';
  modelFile: string;
  inputSize: number;
  preprocessing: MeganePreprocessing;
  tags: AnyTagId[];
  /** The names of the user's own tags among `tags`. */
  customTags: CustomTag[];
  output: 'logits' | 'sigmoid';
  trainedAt: number;
  dataset: { images: number; train: number; validation: number };
  metrics: Partial<Record<AnyTagId, MeganeTagMetrics>>;
  training?: MeganeTrainingInfo;
}

/**
 * Checks a parsed megane-model.json and returns it typed. Throws one Error listing every problem
 * ("megane-model.json: tags[2] "kitten" is not a Megane tag; ...").
 */
export function parseMeganeModel(json: unknown): MeganeModelDescriptor {
  const problems: string[] = [];
  const fail = (): never => {
    throw new Error(`${MEGANE_MODEL_FILE}: ${problems.join('; ')}`);
  };
  if (!isRecord(json)) {
    problems.push(`expected a JSON object, got ${describeValue(json)}`);
    return fail();
  }
  if (json.format !== MEGANE_MODEL_FORMAT) {
    problems.push(`format is ${describeValue(json.format)}, expected "${MEGANE_MODEL_FORMAT}" (is this a Megane model folder?)`);
    return fail();
  }
  if (typeof json.version !== 'number' || !Number.isInteger(json.version) || json.version < 1) {
    problems.push(`version ${describeValue(json.version)} is not a version number`);
  } else if (json.version > MEGANE_MODEL_VERSION) {
    problems.push(`version ${json.version} was written by a newer Megane (this one reads version ${MEGANE_MODEL_VERSION})`);
  }

  const name = json.name;
  if (typeof name !== 'string' || name.trim() === '') problems.push(`name ${describeValue(name)} is not a non-empty string`);
  if (json.architecture !== 'model3') problems.push(`architecture ${describeValue(json.architecture)} is not "model3"`);
  const modelFile = json.modelFile;
  if (typeof modelFile !== 'string' || !/^[\w.-]+\.json$/.test(modelFile) || modelFile.startsWith('.')) {
    problems.push(`modelFile ${describeValue(modelFile)} is not a .json file name in the same folder`);
  }
  const inputSize = json.inputSize;
  if (typeof inputSize !== 'number' || !Number.isInteger(inputSize) || inputSize < 1 || inputSize > 4096) {
    problems.push(`inputSize ${describeValue(inputSize)} is not a whole number of pixels (1..4096)`);
  }

  const pre = json.preprocessing;
  if (!isRecord(pre)) {
    problems.push(`preprocessing ${describeValue(pre)} is not an object`);
  } else {
    if (pre.resize !== 'stretch') problems.push(`preprocessing.resize ${describeValue(pre.resize)} is not "stretch"`);
    if (pre.scale !== '1/255') problems.push(`preprocessing.scale ${describeValue(pre.scale)} is not "1/255"`);
    if (pre.channels !== 'RGB') problems.push(`preprocessing.channels ${describeValue(pre.channels)} is not "RGB"`);
  }

  const tags: AnyTagId[] = [];
  if (!Array.isArray(json.tags) || json.tags.length === 0) {
    problems.push(`tags ${describeValue(json.tags)} is not a non-empty list of tag ids`);
  } else {
    json.tags.forEach((tag: unknown, i) => {
      if (!isAnyTagId(tag)) problems.push(`tags[${i}] ${describeValue(tag)} is not a Megane tag`);
      else if (tags.includes(tag)) problems.push(`tags[${i}] "${tag}" is listed twice`);
      else tags.push(tag);
    });
  }
  const customTags = readCustomTags(json.customTags, tags, problems);

  if (json.output !== 'logits' && json.output !== 'sigmoid')
    problems.push(`output ${describeValue(json.output)} is not "logits" or "sigmoid"`);
  if (!isCount(json.trainedAt)) problems.push(`trainedAt ${describeValue(json.trainedAt)} is not a time (ms since the epoch)`);

  const rawDataset = json.dataset;
  let dataset = { images: 0, train: 0, validation: 0 };
  if (!isRecord(rawDataset) || !isCount(rawDataset.images) || !isCount(rawDataset.train) || !isCount(rawDataset.validation)) {
    problems.push(`dataset ${describeValue(rawDataset)} is not {images, train, validation} counts`);
  } else if (rawDataset.train + rawDataset.validation > rawDataset.images) {
    problems.push(`dataset: train ${rawDataset.train} + validation ${rawDataset.validation} is more than images ${rawDataset.images}`);
  } else {
    dataset = { images: rawDataset.images, train: rawDataset.train, validation: rawDataset.validation };
  }

  const metrics: Partial<Record<AnyTagId, MeganeTagMetrics>> = {};
  if (!isRecord(json.metrics)) {
    problems.push(`metrics ${describeValue(json.metrics)} is not an object`);
  } else {
    for (const [tag, value] of Object.entries(json.metrics)) {
      const at = `metrics.${tag}`;
      if (!isAnyTagId(tag) || !tags.includes(tag)) {
        problems.push(`${at}: "${tag}" is not one of the model's tags`);
        continue;
      }
      const m = readTagMetrics(value, at, problems);
      if (m) metrics[tag] = m;
    }
  }

  let training: MeganeTrainingInfo | undefined;
  if (json.training !== undefined) {
    training = readTraining(json.training, problems);
  }

  if (problems.length > 0) fail();
  const descriptor: MeganeModelDescriptor = {
    format: MEGANE_MODEL_FORMAT,
    version: MEGANE_MODEL_VERSION,
    name: (name as string).trim(),
    architecture: 'model3',
    modelFile: modelFile as string,
    inputSize: inputSize as number,
    preprocessing: { resize: 'stretch', scale: '1/255', channels: 'RGB' },
    tags,
    customTags,
    output: json.output as 'logits' | 'sigmoid',
    trainedAt: json.trainedAt as number,
    dataset,
    metrics,
  };
  if (training) descriptor.training = training;
  return descriptor;
}

/** The names of the user tags in `tags`: each needs one, and only those may have one. */
function readCustomTags(value: unknown, tags: readonly AnyTagId[], problems: string[]): CustomTag[] {
  const out: CustomTag[] = [];
  if (value !== undefined && !Array.isArray(value)) {
    problems.push(`customTags ${describeValue(value)} is not a list of {id, label}`);
    return out;
  }
  (value ?? []).forEach((item: unknown, i) => {
    const at = `customTags[${i}]`;
    const tag = readCustomTag(item);
    if (tag === null) problems.push(`${at} ${describeValue(item)} is not {id: "user:<name>", label}`);
    else if (!tags.includes(tag.id)) problems.push(`${at}: "${tag.id}" is not one of the model's tags`);
    else if (out.some((t) => t.id === tag.id)) problems.push(`${at}: "${tag.id}" is named twice`);
    else out.push(tag);
  });
  for (const tag of tags) {
    if (isCustomTagId(tag) && !out.some((t) => t.id === tag)) problems.push(`tags: "${tag}" has no name in customTags`);
  }
  return out;
}

function readTagMetrics(value: unknown, at: string, problems: string[]): MeganeTagMetrics | null {
  if (!isRecord(value)) {
    problems.push(`${at} ${describeValue(value)} is not an object`);
    return null;
  }
  const before = problems.length;
  const share = (key: 'precision' | 'recall' | 'averagePrecision'): number | null => {
    const v = value[key];
    if (v === null) return null;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) problems.push(`${at}.${key} ${describeValue(v)} is not a number in 0..1 or null`);
    return typeof v === 'number' ? v : null;
  };
  const precision = share('precision');
  const recall = share('recall');
  const averagePrecision = share('averagePrecision');
  if (!isCount(value.positives)) problems.push(`${at}.positives ${describeValue(value.positives)} is not a count`);
  if (!isCount(value.negatives)) problems.push(`${at}.negatives ${describeValue(value.negatives)} is not a count`);
  if (problems.length > before) return null;
  return { precision, recall, averagePrecision, positives: value.positives as number, negatives: value.negatives as number };
}

function readTraining(value: unknown, problems: string[]): MeganeTrainingInfo | undefined {
  if (!isRecord(value)) {
    problems.push(`training ${describeValue(value)} is not an object`);
    return undefined;
  }
  const before = problems.length;
  const { epochs, batchSize, learningRate, miningRatio, seed, validationFraction, validationLoss, backend } = value;
  if (!isCount(epochs)) problems.push(`training.epochs ${describeValue(epochs)} is not a count`);
  if (!isCount(batchSize) || batchSize < 1) problems.push(`training.batchSize ${describeValue(batchSize)} is not a positive count`);
  if (!isFiniteNumber(learningRate) || learningRate <= 0)
    problems.push(`training.learningRate ${describeValue(learningRate)} is not a positive number`);
  if (miningRatio !== null && (!isFiniteNumber(miningRatio) || miningRatio <= 0)) {
    problems.push(`training.miningRatio ${describeValue(miningRatio)} is not a positive number or null`);
  }
  if (typeof seed !== 'string') problems.push(`training.seed ${describeValue(seed)} is not a string`);
  if (!isFiniteNumber(validationFraction) || validationFraction < 0 || validationFraction >= 1) {
    problems.push(`training.validationFraction ${describeValue(validationFraction)} is not in [0, 1)`);
  }
  if (validationLoss !== null && (!isFiniteNumber(validationLoss) || validationLoss < 0)) {
    problems.push(`training.validationLoss ${describeValue(validationLoss)} is not a number >= 0 or null`);
  }
  if (typeof backend !== 'string') problems.push(`training.backend ${describeValue(backend)} is not a string`);
  if (problems.length > before) return undefined;
  return {
    epochs: epochs as number,
    batchSize: batchSize as number,
    learningRate: learningRate as number,
    miningRatio: miningRatio as number | null,
    seed: seed as string,
    validationFraction: validationFraction as number,
    validationLoss: validationLoss as number | null,
    backend: backend as string,
  };
}
