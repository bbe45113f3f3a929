// The first bytes of a fetched image, kept beside its Blob: the pixel cap (image-header.ts) and the
// animation and video sniffers read them, and reading them back from the Blob costs a round trip to
// the browser's blob store each time (measured: 3 of them took 8 ms per image of the offscreen
// document's thread, 2.3 s of 300 images). A Blob made elsewhere is read as before.
const KEPT_BYTES = 512 * 1024;
const heads = new WeakMap<Blob, Uint8Array>();

/** A Blob of `chunks` whose first bytes headOf answers without reading the Blob. */
export function blobFromChunks(chunks: readonly Uint8Array[], type: string): Blob {
  const blob = new Blob(chunks as unknown as BlobPart[], { type });
  const head = new Uint8Array(Math.min(blob.size, KEPT_BYTES));
  let at = 0;
  for (const chunk of chunks) {
    if (at >= head.length) break;
    const part = chunk.subarray(0, head.length - at);
    head.set(part, at);
    at += part.length;
  }
  heads.set(blob, head);
  return blob;
}

/** The first `n` bytes of `blob` (fewer when it is shorter). */
export async function headOf(blob: Blob, n: number): Promise<Uint8Array> {
  const head = heads.get(blob);
  if (head && (head.length >= n || head.length === blob.size)) return head.subarray(0, n);
  return new Uint8Array(await blob.slice(0, n).arrayBuffer());
}
