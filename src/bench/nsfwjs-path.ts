// nsfwjs itself, loading the model files the extension ships, classifying one full-size image per call
// the way a page using nsfwjs would. Its results are the reference for the agreement check.
import { load, type NSFWJS } from 'nsfwjs/core';
import { NSFW_CLASSES, modelPath, type ModelSpec } from '../model/catalog';
import type { BenchPlan } from './plan';
import type { NsfwjsResult } from './result';
import { timeCalls } from './timing';
import { extensionUrl } from '../util/extension-url';

export async function loadNsfwjs(spec: ModelSpec): Promise<{ nsfwjs: NSFWJS; ms: number }> {
  const t0 = performance.now();
  const url = extensionUrl(modelPath(spec.id));
  const nsfwjs = await load(url, spec.format === 'graph' ? { size: spec.inputSize, type: 'graph' } : { size: spec.inputSize });
  return { nsfwjs, ms: performance.now() - t0 };
}

/** nsfwjs's top-k list back to probabilities in NSFW_CLASSES order. */
export async function classifyToVector(nsfwjs: NSFWJS, img: HTMLImageElement): Promise<number[]> {
  const predictions = await nsfwjs.classify(img, NSFW_CLASSES.length);
  return NSFW_CLASSES.map((name) => predictions.find((p) => p.className === name)?.probability ?? Number.NaN);
}

/**
 * Images per second of classify() over the first `timedCount` images, and the probabilities of every
 * image (the rest classified untimed, for the agreement check). No untimed call first: nsfwjs's load()
 * already runs the model once, and what the first images still compile (its per-size resize) is a cost
 * nsfwjs really pays.
 */
export async function runNsfwjs(
  nsfwjs: NSFWJS,
  images: readonly HTMLImageElement[],
  timedCount: number,
  plan: BenchPlan,
): Promise<{ speed: Omit<NsfwjsResult, 'loadMs'>; scores: number[][] }> {
  if (images.length === 0) throw new Error('no decoded images');
  const scores: number[][] = [];
  const classifyNext = async () => {
    const img = images[scores.length];
    if (img === undefined) throw new Error('ran out of images');
    scores.push(await classifyToVector(nsfwjs, img));
  };
  const timed = await timeCalls(classifyNext, Math.min(timedCount, images.length), plan.loopBudgetMs);
  while (scores.length < images.length) await classifyNext();
  return { speed: { images: timed.calls, imagesPerSecond: timed.calls / (timed.totalMs / 1000) }, scores };
}
