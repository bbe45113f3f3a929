// The frame loop around ImageDecoder. Node has no ImageDecoder, which is the fallback case as it
// really runs; for the loop itself a small stand-in plays a decoder whose frames can fail.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eachAnimationFrame } from './animation-frames';

const GIF = new Blob([new Uint8Array([...'GIF89a'].map((c) => c.charCodeAt(0))), new Uint8Array(32)], { type: 'image/gif' });
const JPEG = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0])], { type: 'image/jpeg' });
const signal = new AbortController().signal;

/** A decoder of `frameCount` frames, each a plain object; the listed frames fail to decode. */
function standIn(frameCount: number, failing: number[] = [], truncated = false) {
  const decoded: number[] = [];
  const closed: number[] = [];
  let decoderClosed = false;
  class StandInDecoder {
    static isTypeSupported = async () => true;
    tracks = { ready: Promise.resolve(), selectedTrack: { animated: frameCount > 1, frameCount } };
    completed = truncated ? Promise.reject(new Error('truncated')) : Promise.resolve();
    async decode({ frameIndex }: { frameIndex: number }) {
      if (failing.includes(frameIndex)) throw new Error(`frame ${frameIndex} is corrupt`);
      decoded.push(frameIndex);
      return { image: { index: frameIndex, close: () => void closed.push(frameIndex) } };
    }
    close() {
      decoderClosed = true;
    }
  }
  vi.stubGlobal('ImageDecoder', StandInDecoder);
  return { decoded, closed, decoderClosed: () => decoderClosed };
}

const indexOf = async (frame: VideoFrame) => (frame as unknown as { index: number }).index;

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('eachAnimationFrame', () => {
  it('without ImageDecoder checks the first frame only (null: decode the image whole) and says so once', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    expect(typeof ImageDecoder).toBe('undefined');
    expect(await eachAnimationFrame(GIF, signal, indexOf)).toBeNull();
    expect(await eachAnimationFrame(GIF, signal, indexOf)).toBeNull();
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0]?.[0]).toContain('first frame only');
  });

  it('never opens a decoder for an image that cannot be animated', async () => {
    const { decoded } = standIn(12);
    expect(await eachAnimationFrame(JPEG, signal, indexOf)).toBeNull();
    expect(decoded).toEqual([]);
  });

  it('decodes the picked frames one at a time, closing each, and the decoder', async () => {
    const { decoded, closed, decoderClosed } = standIn(12);
    expect(await eachAnimationFrame(GIF, signal, indexOf)).toEqual([0, 2, 3, 5, 6, 8, 9, 11]);
    expect(decoded).toEqual([0, 2, 3, 5, 6, 8, 9, 11]);
    expect(closed).toEqual(decoded);
    expect(decoderClosed()).toBe(true);
  });

  it('treats a one-frame image as still', async () => {
    standIn(1);
    expect(await eachAnimationFrame(GIF, signal, indexOf)).toBeNull();
  });

  it('leaves out frames that fail to decode or to scale', async () => {
    const { closed } = standIn(4, [1]);
    const use = async (frame: VideoFrame) => {
      const index = await indexOf(frame);
      if (index === 2) throw new Error('decode failed: out of memory');
      return index;
    };
    expect(await eachAnimationFrame(GIF, signal, use)).toEqual([0, 3]);
    expect(closed).toEqual([0, 2, 3]);
  });

  it('checks the frames read before the damage in a truncated file', async () => {
    standIn(5, [], true);
    expect(await eachAnimationFrame(GIF, signal, indexOf)).toEqual([0, 1, 2, 3, 4]);
  });

  it("throws when no frame decodes, so the image is couldn't check", async () => {
    const { decoderClosed } = standIn(3, [0, 1, 2]);
    await expect(eachAnimationFrame(GIF, signal, indexOf)).rejects.toThrow(
      'decode failed: no frame of the animation decodes (frame 0 is corrupt)',
    );
    expect(decoderClosed()).toBe(true);
  });
});
