// Tags scored by small logistic heads on the NSFW model's pooled embedding (ScoreSource 'embedding-head'):
// no extra model run, one dot product per tag. The heads are trained offline per model by
// scripts/heads/train-heads.ts and shipped as public/heads/<modelId>.json; this module checks such a file
// and applies it. Pure: no I/O, no tfjs.
import { isModelId, type ModelId } from './catalog';
import { canHaveHead, isTagId, tagSpec, type TagId } from '../tags/vocabulary';
import { isCount, isFiniteNumber, isRecord } from '../util/checks';

/** One tag's head: score = sigmoid(weights . embedding + bias). Standardisation is folded into the weights. */
export interface Head {
  weights: number[];
  bias: number;
}

/** One group of training images, as recorded in a heads file. */
export interface HeadsSource {
  package: string;
  /** Glob of the installed paths the images were taken from. */
  path: string;
  licence: string;
  count: number;
  [detail: string]: unknown;
}

export interface TrainedOn {
  sources: HeadsSource[];
  seed: string;
  /** YYYY-MM-DD */
  date: string;
  [detail: string]: unknown;
}

/** The contents of public/heads/<modelId>.json. */
export interface HeadsFile {
  modelId: ModelId;
  /** Length of the embedding (and of every head's weights). */
  embeddingSize: number;
  tags: Partial<Record<TagId, Head>>;
  /** Accuracy at 0.5 on images held out of training, per tag. */
  heldOutAccuracy?: Partial<Record<TagId, number>>;
  trainedOn?: TrainedOn;
}

/** A heads file that passed parseHeads. */
export type Heads = Readonly<HeadsFile>;

/** Where the extension serves a model's heads from (relative to its root). */
export function headsPath(id: ModelId): string {
  return `/heads/${id}.json`;
}

/**
 * One head as read from JSON: `where` names it in the messages (e.g. "heads: tags.photo"). Throws unless
 * it has `size` finite weights and a finite bias.
 */
export function parseHead(where: string, raw: unknown, size: number): Head {
  if (!isRecord(raw)) throw new Error(`${where} must be an object with weights and bias`);
  const { weights, bias } = raw;
  if (!Array.isArray(weights)) throw new Error(`${where}.weights must be an array`);
  if (weights.length !== size) throw new Error(`${where}.weights has ${weights.length} values, embeddingSize is ${size}`);
  const bad = weights.findIndex((w) => !isFiniteNumber(w));
  if (bad >= 0) throw new Error(`${where}.weights[${bad}] is not a finite number`);
  if (!isFiniteNumber(bias)) throw new Error(`${where}.bias must be a finite number`);
  return { weights: weights.filter(isFiniteNumber), bias };
}

function parseTrainedOn(raw: unknown): TrainedOn {
  if (!isRecord(raw)) throw new Error('heads: trainedOn must be an object');
  const { sources, seed, date } = raw;
  if (!Array.isArray(sources)) throw new Error('heads: trainedOn.sources must be an array');
  const parsed = sources.map((s: unknown, i: number): HeadsSource => {
    if (!isRecord(s)) throw new Error(`heads: trainedOn.sources[${i}] must be an object`);
    const { package: pkg, path, licence, count } = s;
    if (typeof pkg !== 'string' || typeof path !== 'string' || typeof licence !== 'string') {
      throw new Error(`heads: trainedOn.sources[${i}] needs package, path and licence strings`);
    }
    if (!isCount(count)) throw new Error(`heads: trainedOn.sources[${i}].count must be a count`);
    return { ...s, package: pkg, path, licence, count };
  });
  if (typeof seed !== 'string') throw new Error('heads: trainedOn.seed must be a string');
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('heads: trainedOn.date must be YYYY-MM-DD');
  return { ...raw, sources: parsed, seed, date };
}

/**
 * Checks a heads file (as parsed from JSON) and returns it typed. Throws an Error saying what is wrong:
 * unknown model, embedding size, a tag that is not an embedding-head tag, weights of the wrong length or
 * not finite, accuracies outside 0..1.
 */
export function parseHeads(json: unknown): Heads {
  if (!isRecord(json)) throw new Error('heads: expected a JSON object');
  const { modelId, embeddingSize, tags, heldOutAccuracy, trainedOn } = json;
  if (!isModelId(modelId)) throw new Error(`heads: unknown modelId ${JSON.stringify(modelId)}`);
  if (!Number.isInteger(embeddingSize) || typeof embeddingSize !== 'number' || embeddingSize <= 0) {
    throw new Error(`heads: embeddingSize must be a positive integer, got ${JSON.stringify(embeddingSize)}`);
  }
  if (!isRecord(tags)) throw new Error('heads: tags must be an object');
  const parsedTags: Partial<Record<TagId, Head>> = {};
  for (const [tag, raw] of Object.entries(tags)) {
    if (!isTagId(tag)) throw new Error(`heads: unknown tag "${tag}"`);
    if (!canHaveHead(tagSpec(tag))) throw new Error(`heads: tag "${tag}" has no embedding head`);
    parsedTags[tag] = parseHead(`heads: tags.${tag}`, raw, embeddingSize);
  }
  const result: HeadsFile = { modelId, embeddingSize, tags: parsedTags };
  if (heldOutAccuracy !== undefined) {
    if (!isRecord(heldOutAccuracy)) throw new Error('heads: heldOutAccuracy must be an object');
    const parsed: Partial<Record<TagId, number>> = {};
    for (const [tag, value] of Object.entries(heldOutAccuracy)) {
      if (!isTagId(tag)) throw new Error(`heads: heldOutAccuracy has unknown tag "${tag}"`);
      if (!isFiniteNumber(value) || value < 0 || value > 1) throw new Error(`heads: heldOutAccuracy.${tag} must be in 0..1`);
      parsed[tag] = value;
    }
    result.heldOutAccuracy = parsed;
  }
  if (trainedOn !== undefined) result.trainedOn = parseTrainedOn(trainedOn);
  return result;
}

/** The logistic function, written so that exp never overflows (for any finite z). */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** One head's score for an embedding: sigmoid(weights . embedding + bias), 0..1. */
export function headScore(head: Head, embedding: readonly number[]): number {
  let z = head.bias;
  for (let i = 0; i < head.weights.length; i++) z += (head.weights[i] ?? 0) * (embedding[i] ?? 0);
  return sigmoid(z);
}

/**
 * Scores every tag the heads have: sigmoid(w . embedding + b), 0..1. Throws if the embedding is not
 * heads.embeddingSize long (e.g. it came from another model, or embeddings were turned off).
 */
export function applyHeads(heads: Heads, embedding: readonly number[]): Partial<Record<TagId, number>> {
  if (embedding.length !== heads.embeddingSize) {
    throw new Error(`heads for ${heads.modelId} need an embedding of ${heads.embeddingSize} values, got ${embedding.length}`);
  }
  const scores: Partial<Record<TagId, number>> = {};
  for (const [tag, head] of Object.entries(heads.tags) as Array<[TagId, Head]>) scores[tag] = headScore(head, embedding);
  return scores;
}
