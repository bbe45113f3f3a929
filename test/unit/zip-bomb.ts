// Real ZIP bombs, made at test time: `unpackedBytes` of zeros deflated once (about 1,000 to 1) and
// stored as one local file, listed in the central directory under every name in `names`. Several names
// pointing at the same data is the overlapping-file bomb: a 1 MB file that unpacks to gigabytes, each
// entry honest about its size. Every size and checksum is the real one.
import { createDeflateRaw, crc32 } from 'node:zlib';

export async function zipBomb(names: readonly string[], unpackedBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const [first] = names;
  if (first === undefined) throw new Error('zipBomb: no names');
  const { data, crc } = await deflateZeros(unpackedBytes);
  const enc = new TextEncoder();
  const local = header(30, enc.encode(first), (v) => {
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(8, 8, true); // deflate
    v.setUint32(14, crc, true);
    v.setUint32(18, data.length, true);
    v.setUint32(22, unpackedBytes, true);
    v.setUint16(26, enc.encode(first).length, true);
  });
  const central = names.map((name) =>
    header(46, enc.encode(name), (v) => {
      v.setUint32(0, 0x02014b50, true);
      v.setUint16(4, 20, true);
      v.setUint16(6, 20, true);
      v.setUint16(10, 8, true);
      v.setUint32(16, crc, true);
      v.setUint32(20, data.length, true);
      v.setUint32(24, unpackedBytes, true);
      v.setUint16(28, enc.encode(name).length, true);
      v.setUint32(42, 0, true); // every entry is the one local file at offset 0
    }),
  );
  const centralBytes = central.reduce((n, c) => n + c.length, 0);
  const end = header(22, new Uint8Array(), (v) => {
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, names.length, true);
    v.setUint16(10, names.length, true);
    v.setUint32(12, centralBytes, true);
    v.setUint32(16, local.length + data.length, true);
  });
  return concat([local, data, ...central, end]);
}

function header(size: number, name: Uint8Array, write: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size + name.length);
  write(new DataView(bytes.buffer));
  bytes.set(name, size);
  return bytes;
}

async function deflateZeros(total: number): Promise<{ data: Uint8Array; crc: number }> {
  const chunk = new Uint8Array(1 << 20);
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Uint8Array[] = [];
  deflate.on('data', (part: Uint8Array) => parts.push(part));
  const ended = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let crc = 0;
  for (let left = total; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = crc32(piece, crc);
    deflate.write(piece);
  }
  deflate.end();
  await ended;
  return { data: concat(parts), crc };
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
