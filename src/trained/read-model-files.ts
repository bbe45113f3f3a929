// Reads a trained model the user imports on the options page: the folder `npm run train` wrote (picked
// as a folder or as its files) or a ZIP of it. Finds megane-model.json, checks it, reads the tfjs
// model.json it names and joins the weight files its manifest lists, in order, into one buffer.
// Every problem is an Error naming the file. Pure: no tfjs, no DOM (the page hands in the bytes).
import { unzipSync } from 'fflate';
import { MEGANE_MODEL_FILE, parseMeganeModel, type MeganeModelDescriptor } from '../train/megane-model';
import { errorText, isRecord } from '../util/checks';

export interface ModelFile {
  /** Path as picked: "model/megane-model.json", "megane-model.json", ... (only the last part counts). */
  name: string;
  bytes: Uint8Array;
}

/** The tfjs layers model as it is stored: topology and weight specs from model.json, all weights in one buffer. */
export interface TrainedArtifacts {
  modelTopology: unknown;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  [more: string]: unknown;
}

export interface ReadModel {
  descriptor: MeganeModelDescriptor;
  artifacts: TrainedArtifacts;
}

/** A tfjs model bigger than this is refused: it would not fit the extension's storage sensibly. */
export const MAX_MODEL_BYTES = 400 * 1024 * 1024;

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** The files of a ZIP, or the files as given. Throws for a ZIP that cannot be read. */
export function expandFiles(files: readonly ModelFile[]): ModelFile[] {
  const out: ModelFile[] = [];
  for (const file of files) {
    if (!/\.zip$/i.test(file.name)) {
      out.push(file);
      continue;
    }
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(file.bytes);
    } catch (error) {
      throw new Error(`${baseName(file.name)}: not a ZIP archive, or it is damaged (${errorText(error)})`);
    }
    for (const [name, bytes] of Object.entries(entries)) if (!name.endsWith('/')) out.push({ name, bytes });
  }
  return out;
}

export function readModelFiles(picked: readonly ModelFile[]): ReadModel {
  const files = expandFiles(picked);
  const byName = new Map<string, ModelFile>();
  for (const file of files) {
    const name = baseName(file.name);
    if (!byName.has(name)) byName.set(name, file);
  }
  const descriptorFile = byName.get(MEGANE_MODEL_FILE);
  if (!descriptorFile) {
    throw new Error(
      `No ${MEGANE_MODEL_FILE} among the ${files.length} files picked: choose the folder \`npm run train\` wrote (or a ZIP of it)`,
    );
  }
  const descriptor = parseMeganeModel(parseJson(descriptorFile));
  const modelFile = byName.get(descriptor.modelFile);
  if (!modelFile) throw new Error(`${MEGANE_MODEL_FILE} names ${descriptor.modelFile}, which is not among the files picked`);
  const model = parseJson(modelFile);
  if (!isRecord(model) || !isRecord(model.modelTopology))
    throw new Error(`${descriptor.modelFile}: not a TensorFlow.js model (no modelTopology)`);
  if (!Array.isArray(model.weightsManifest) || model.weightsManifest.length === 0) {
    throw new Error(`${descriptor.modelFile}: no weightsManifest, so no weights to load`);
  }
  const weightSpecs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const [g, group] of (model.weightsManifest as unknown[]).entries()) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new Error(`${descriptor.modelFile}: weightsManifest[${g}] needs "paths" and "weights"`);
    }
    for (const path of group.paths as unknown[]) {
      if (typeof path !== 'string') throw new Error(`${descriptor.modelFile}: weightsManifest[${g}].paths has a non-string entry`);
      const weights = byName.get(baseName(path));
      if (!weights) throw new Error(`${descriptor.modelFile} needs the weight file ${path}, which is not among the files picked`);
      parts.push(weights.bytes);
    }
    weightSpecs.push(...(group.weights as WeightSpec[]));
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total > MAX_MODEL_BYTES)
    throw new Error(`${descriptor.modelFile}: weights are ${Math.round(total / 1e6)} MB, more than ${MAX_MODEL_BYTES / 1e6} MB`);
  const expected = weightSpecs.reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  if (weightSpecs.every((w) => w.dtype === 'float32' && !('quantization' in w)) && expected !== total) {
    throw new Error(`${descriptor.modelFile}: the weight files hold ${total} bytes, the manifest describes ${expected}`);
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    weightData.set(p, offset);
    offset += p.length;
  }
  return {
    descriptor,
    artifacts: {
      modelTopology: model.modelTopology,
      weightSpecs,
      weightData: weightData.buffer,
      ...(typeof model.format === 'string' ? { format: model.format } : {}),
      ...(typeof model.generatedBy === 'string' ? { generatedBy: model.generatedBy } : {}),
    },
  };
}

function parseJson(file: ModelFile): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(file.bytes));
  } catch (error) {
    throw new Error(`${baseName(file.name)}: not valid JSON (${errorText(error)})`);
  }
}
