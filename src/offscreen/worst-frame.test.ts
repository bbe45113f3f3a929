import { describe, expect, it } from 'vitest';
import { maxTags, worstFrame, type FrameScores } from './worst-frame';

// classes: Drawing, Hentai, Neutral, Porn, Sexy; the NSFW score is Hentai + Porn + Sexy.
const frame = (nsfw: number, tags: FrameScores['tags'], extra: Partial<FrameScores> = {}): FrameScores => ({
  classes: [0, 0, 1 - nsfw, nsfw, 0],
  embedding: [nsfw, nsfw],
  tags: { nsfw, ...tags },
  trained: null,
  ...extra,
});

describe('worstFrame', () => {
  it('gives a single frame back unchanged (a still image scores as before)', () => {
    const only = frame(0.2, { cat: 0.1 }, { faces: [] });
    expect(worstFrame([only])).toBe(only);
  });

  it('takes each tag at its highest over the frames', () => {
    const combined = worstFrame([frame(0.1, { cat: 0.05, photo: 0.9 }), frame(0.3, { cat: 0.92, photo: 0.4 }), frame(0.2, { face: 0.7 })]);
    expect(combined.tags).toEqual({ nsfw: 0.3, cat: 0.92, photo: 0.9, face: 0.7 });
  });

  it('takes the classes and the embedding together from the frame with the highest NSFW score', () => {
    const combined = worstFrame([frame(0.1, {}), frame(0.8, {}), frame(0.4, {})]);
    expect(combined.classes).toEqual([0, 0, 0.19999999999999996, 0.8, 0]);
    expect(combined.embedding).toEqual([0.8, 0.8]);
  });

  it('goes to the earlier frame on a tie', () => {
    const a = frame(0.5, {});
    const b = { ...frame(0.5, {}), embedding: [9, 9] };
    expect(worstFrame([a, b]).embedding).toEqual([0.5, 0.5]);
  });

  it('keeps the face boxes of the frame with the most faces, and none when no detector looked', () => {
    const box = { left: 0, top: 0, right: 1, bottom: 1, score: 0.9 };
    expect(worstFrame([frame(0, {}, { faces: [box] }), frame(0, {}, { faces: [box, box] }), frame(0, {}, { faces: [] })]).faces).toEqual([
      box,
      box,
    ]);
    expect(worstFrame([frame(0, {}, { faces: [] }), frame(0, {}, { faces: [] })]).faces).toEqual([]);
    expect('faces' in worstFrame([frame(0, {}), frame(0, {})])).toBe(false);
  });

  it("takes the trained model's tags at their highest, and none when it did not run", () => {
    expect(
      worstFrame([frame(0, {}, { trained: { megane: 0.2, cat: 0.9 } }), frame(0, {}, { trained: { megane: 0.7, cat: 0.1 } })]).trained,
    ).toEqual({ megane: 0.7, cat: 0.9 });
    expect(worstFrame([frame(0, {}), frame(0, {})]).trained).toBeNull();
  });

  it('refuses an empty list', () => {
    expect(() => worstFrame([])).toThrow('no frame');
  });
});

describe('maxTags', () => {
  it('keeps tags that only some sets have', () => {
    expect(maxTags([{ cat: 0.1 }, { dog: 0.4 }, { cat: 0.3, dog: 0.2 }])).toEqual({ cat: 0.3, dog: 0.4 });
    expect(maxTags([])).toEqual({});
  });
});
