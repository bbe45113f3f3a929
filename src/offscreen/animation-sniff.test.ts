import { describe, expect, it } from 'vitest';
import { animationType } from './animation-sniff';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const chunk = (type: string, length: number) => [
  ...u32(length),
  ...[...type].map((c) => c.charCodeAt(0)),
  ...new Array(length + 4).fill(0),
];

describe('animationType', () => {
  it.each([
    ['a GIF (87a)', bytes('GIF87a', [0, 0]), 'image/gif'],
    ['a GIF (89a)', bytes('GIF89a', [0, 0]), 'image/gif'],
    ['an APNG (acTL before IDAT)', bytes(PNG, chunk('IHDR', 13), chunk('acTL', 8), chunk('IDAT', 3)), 'image/png'],
    ['an APNG with metadata first', bytes(PNG, chunk('IHDR', 13), chunk('tEXt', 40), chunk('acTL', 8)), 'image/png'],
    ['a still PNG', bytes(PNG, chunk('IHDR', 13), chunk('IDAT', 3), chunk('IEND', 0)), null],
    ['a PNG whose header outruns the bytes read', bytes(PNG, chunk('IHDR', 13), u32(1_000_000), 'iCCP'), 'image/png'],
    ['an animated WebP', bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8X', u32(10), [0x12, 0, 0, 0]), 'image/webp'],
    ['an extended still WebP (alpha only)', bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8X', u32(10), [0x10, 0, 0, 0]), null],
    ['a simple WebP', bytes('RIFF', [0, 0, 0, 0], 'WEBP', 'VP8 ', u32(10)), null],
    ['a JPEG', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), null],
    ['nothing', new Uint8Array(), null],
  ])('%s: %s', (_, head, expected) => {
    expect(animationType(head)).toBe(expected);
  });
});
