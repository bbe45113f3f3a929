import { describe, expect, it, vi } from 'vitest';
import { blobFromChunks, headOf } from './blob-head';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('headOf', () => {
  it.each([
    { name: 'within the first chunk', chunks: [bytes(1, 2, 3), bytes(4, 5)], n: 2, want: [1, 2] },
    { name: 'across chunks', chunks: [bytes(1, 2, 3), bytes(4, 5)], n: 4, want: [1, 2, 3, 4] },
    { name: 'longer than the file', chunks: [bytes(1, 2), bytes(3)], n: 64, want: [1, 2, 3] },
    { name: 'an empty file', chunks: [], n: 8, want: [] },
  ])('answers the first bytes of a fetched blob $name without reading it back', async ({ chunks, n, want }) => {
    const blob = blobFromChunks(chunks, 'image/jpeg');
    const slice = vi.spyOn(blob, 'slice');
    expect([...(await headOf(blob, n))]).toEqual(want);
    expect(slice).not.toHaveBeenCalled();
    expect(blob.type).toBe('image/jpeg');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual(chunks.flatMap((c) => [...c]));
  });

  it('reads a blob made elsewhere', async () => {
    expect([...(await headOf(new Blob([bytes(9, 8, 7)]), 2))]).toEqual([9, 8]);
  });

  it('keeps at most 512 KiB: a longer head is read from the blob', async () => {
    const big = new Uint8Array(600 * 1024).map((_, i) => i % 251);
    const blob = blobFromChunks([big], '');
    expect((await headOf(blob, 512 * 1024)).length).toBe(512 * 1024);
    const slice = vi.spyOn(blob, 'slice');
    const head = await headOf(blob, 550 * 1024);
    expect(slice).toHaveBeenCalled();
    expect(head[549 * 1024]).toBe(big[549 * 1024]);
  });
});
