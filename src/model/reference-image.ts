// The watchdog's known image: made from a formula, so every context (the offscreen document, Node
// tests) gets the same pixels with nothing to ship or decode. Colour bands, a diagonal gradient and a
// disc give the network edges and colours to respond to, so a backend computing garbage moves its
// scores (a flat image would score the same on many broken backends).

/** RGBA pixels, `size` x `size`, row-major, as ImageData wants them. */
export function referenceImage(size: number): Uint8ClampedArray<ArrayBuffer> {
  const data = new Uint8ClampedArray(size * size * 4);
  const centre = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const inDisc = (x - centre * 1.2) ** 2 + (y - centre * 0.8) ** 2 < (size / 4) ** 2;
      const band = Math.floor((x * 6) / size);
      data[i] = inDisc ? 230 : (band * 47) % 256;
      data[i + 1] = inDisc ? 190 : Math.floor((255 * (x + y)) / (2 * size));
      data[i + 2] = inDisc ? 150 : (y * 7) % 256;
      data[i + 3] = 255;
    }
  }
  return data;
}

/** The same image as RGB bytes (what tf.browser.fromPixels gives for it), for Node tests. */
export function referenceImageRgb(size: number): Uint8Array {
  const rgba = referenceImage(size);
  const rgb = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p++) rgb.set(rgba.subarray(p * 4, p * 4 + 3), p * 3);
  return rgb;
}

/**
 * How far a reading of the reference image is from the first one: the largest difference of any NSFW
 * class. The same backend and weights give the same answer to within float rounding (under 1e-4
 * measured on WASM); anything past the tolerance means the backend no longer computes what it did.
 */
export function drift(reading: readonly number[], reference: readonly number[]): number {
  if (reading.length !== reference.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (const [i, value] of reading.entries()) {
    const d = Math.abs(value - (reference[i] as number));
    if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, d);
  }
  return worst;
}

export const DRIFT_TOLERANCE = 0.02;
