import { describe, expect, it } from 'vitest';
import { videoType } from './video-sniff';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('videoType', () => {
  it.each([
    ['MP4 (isom)', bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]), 'video/mp4'],
    ['MP4 (mp42)', bytes([0, 0, 0, 0x18], 'ftypmp42'), 'video/mp4'],
    ['QuickTime', bytes([0, 0, 0, 0x14], 'ftypqt  '), 'video/mp4'],
    ['WebM / Matroska', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]), 'video/webm'],
    ['Ogg', bytes('OggS', [0, 2]), 'video/ogg'],
    ['AVIF still image', bytes([0, 0, 0, 0x1c], 'ftypavif'), null],
    ['AVIF sequence', bytes([0, 0, 0, 0x1c], 'ftypavis'), null],
    ['HEIC', bytes([0, 0, 0, 0x18], 'ftypheic'), null],
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), null],
    ['GIF', bytes('GIF89a'), null],
    ['empty', bytes(), null],
  ])('%s', (_, head, expected) => {
    expect(videoType(head)).toBe(expected);
  });
});
