// Reads files out of a compiled Qt resource bundle (.rcc), the format GCompris ships its activity images
// in. Layout (qtbase src/corelib/io/qresource.cpp, rcc.cpp): a "qres" header with the offsets of three
// tables (tree, data, names), a tree of fixed-size nodes, UTF-16 names, and length-prefixed data blobs,
// zlib-compressed (qCompress: 4-byte size + zlib stream) when the node's flag says so.
import { inflateSync } from 'node:zlib';

export interface RccEntry {
  /** Path inside the bundle, starting with "/". */
  path: string;
  data: Buffer;
}

const FLAG_COMPRESSED = 0x01;
const FLAG_DIRECTORY = 0x02;
const FLAG_ZSTD = 0x04;

/**
 * Every file in the bundle whose path passes `wanted`, in tree order. Throws on anything that is not
 * an rcc of format version 1-3; entries compressed with zstd (which Node 20 cannot inflate) throw too,
 * naming the entry, rather than being skipped silently.
 */
export function readRcc(bundle: Buffer, wanted: (path: string) => boolean = () => true): RccEntry[] {
  if (bundle.length < 20 || bundle.toString('latin1', 0, 4) !== 'qres') throw new Error('not a Qt resource bundle (no "qres" magic)');
  const version = bundle.readUInt32BE(4);
  if (version < 1 || version > 3) throw new Error(`unsupported rcc format version ${version}`);
  const treeOffset = bundle.readUInt32BE(8);
  const dataOffset = bundle.readUInt32BE(12);
  const namesOffset = bundle.readUInt32BE(16);
  const nodeSize = version >= 2 ? 22 : 14;

  const nameAt = (offset: number): string => {
    const at = namesOffset + offset;
    const length = bundle.readUInt16BE(at);
    // 2-byte length, 4-byte hash, then UTF-16BE code units.
    const units = bundle.subarray(at + 6, at + 6 + 2 * length);
    const swapped = Buffer.from(units);
    swapped.swap16();
    return swapped.toString('utf16le');
  };

  const entries: RccEntry[] = [];
  const visited = new Set<number>();
  const walk = (index: number, prefix: string): void => {
    if (visited.has(index)) throw new Error(`rcc tree revisits node ${index}`);
    visited.add(index);
    const at = treeOffset + index * nodeSize;
    const name = index === 0 ? '' : nameAt(bundle.readUInt32BE(at));
    const flags = bundle.readUInt16BE(at + 4);
    const path = index === 0 ? '' : `${prefix}/${name}`;
    if (flags & FLAG_DIRECTORY) {
      const count = bundle.readUInt32BE(at + 6);
      const first = bundle.readUInt32BE(at + 10);
      for (let i = 0; i < count; i++) walk(first + i, path);
      return;
    }
    if (!wanted(path)) return;
    const blob = dataOffset + bundle.readUInt32BE(at + 10);
    const length = bundle.readUInt32BE(blob);
    const raw = bundle.subarray(blob + 4, blob + 4 + length);
    if (flags & FLAG_ZSTD) throw new Error(`${path}: zstd-compressed rcc entries are not supported`);
    const data = flags & FLAG_COMPRESSED ? inflateSync(raw.subarray(4)) : Buffer.from(raw);
    entries.push({ path, data });
  };
  walk(0, '');
  return entries;
}
