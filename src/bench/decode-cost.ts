// Decode cost per image, ours vs nsfwjs's, each from the fetch to the model-ready [size, size, 3] input.
import { decodeAtSize } from '../offscreen/load-image';
import { decodeFullSize, fetchBlob, toInputImage } from './decode';
import type { DecodeResult } from './result';
import { mean } from './stats';

interface PathTimes {
  fetchMs: number;
  totalMs: number;
}

async function ourPath(url: string, size: number): Promise<PathTimes> {
  const t0 = performance.now();
  const blob = await fetchBlob(url);
  const fetched = performance.now();
  const bitmap = await decodeAtSize(blob, size);
  try {
    await toInputImage(bitmap, size);
  } finally {
    bitmap.close();
  }
  return { fetchMs: fetched - t0, totalMs: performance.now() - t0 };
}

async function nsfwjsPath(url: string, size: number): Promise<PathTimes> {
  const t0 = performance.now();
  const blob = await fetchBlob(url);
  const fetched = performance.now();
  await toInputImage(await decodeFullSize(blob), size);
  return { fetchMs: fetched - t0, totalMs: performance.now() - t0 };
}

/**
 * Mean ms per image for each path over `urls` (fetched from the local server each time, as Megane fetches
 * with no HTTP cache). Both paths first run once
 * untimed on the first image, so kernel compilation on GPU backends is not counted. The paths alternate
 * per image so neither gets a warmer cache.
 */
export async function measureDecode(urls: readonly string[], size: number): Promise<DecodeResult> {
  const first = urls[0];
  if (first === undefined) throw new Error('no images to decode');
  await ourPath(first, size);
  await nsfwjsPath(first, size);
  const ours: PathTimes[] = [];
  const theirs: PathTimes[] = [];
  for (const url of urls) {
    ours.push(await ourPath(url, size));
    theirs.push(await nsfwjsPath(url, size));
  }
  return {
    images: urls.length,
    oursMs: mean(ours.map((t) => t.totalMs)),
    nsfwjsMs: mean(theirs.map((t) => t.totalMs)),
    fetchMs: mean([...ours, ...theirs].map((t) => t.fetchMs)),
  };
}
