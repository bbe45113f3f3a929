// What one bench page measures, read from its URL:
//   bench.html?backend=wasm&models=mobilenet_v2_mid,inception_v3&images=http://localhost:8181&files=a.jpg,b.png&agreement=1
import { BACKENDS, type Backend } from '../model/backends';
import { isModelId, type ModelId } from '../model/catalog';

export interface BenchConfig {
  backend: Backend;
  models: ModelId[];
  /** Origin serving the gallery images. */
  imageOrigin: string;
  /** Gallery file names, fetched as `${imageOrigin}/${file}`. */
  files: string[];
  /** Also compare our preprocessing with nsfwjs's over every image (slow on anything but WASM). */
  agreement: boolean;
}

const list = (value: string | null) => (value ?? '').split(',').filter((s) => s !== '');

/** Parses the page's query string; throws a message naming the bad parameter. */
export function parseBenchConfig(search: string): BenchConfig {
  const params = new URLSearchParams(search);
  const backend = params.get('backend');
  const found = BACKENDS.find((b) => b === backend);
  if (found === undefined) throw new Error(`backend must be one of ${BACKENDS.join(', ')}, got "${backend}"`);
  const models = list(params.get('models'));
  const bad = models.filter((m) => !isModelId(m));
  if (models.length === 0 || bad.length > 0) throw new Error(`bad models parameter "${params.get('models')}"`);
  const imageOrigin = params.get('images') ?? '';
  if (!/^https?:\/\/[^/]+$/.test(imageOrigin)) throw new Error(`images must be an http(s) origin, got "${imageOrigin}"`);
  const files = list(params.get('files'));
  if (files.length === 0) throw new Error('files is empty');
  return { backend: found, models: models.filter(isModelId), imageOrigin, files, agreement: params.get('agreement') === '1' };
}

export function imageUrl(config: BenchConfig, file: string): string {
  return `${config.imageOrigin}/${encodeURIComponent(file)}`;
}
