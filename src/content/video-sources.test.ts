import { describe, expect, it } from 'vitest';
import { nextSegment, streamKey, videoUrls, type VideoShape } from './video-sources';

const BASE = 'https://site.test/page/';

function video(overrides: Partial<VideoShape> & { attrs?: Record<string, string>; sources?: boolean } = {}): VideoShape {
  const { attrs = {}, sources = false, ...rest } = overrides;
  return {
    poster: attrs.poster ? new URL(attrs.poster, BASE).href : '',
    currentSrc: '',
    src: attrs.src ? new URL(attrs.src, BASE).href : '',
    srcObject: null,
    preload: 'auto',
    autoplay: false,
    paused: true,
    readyState: 0,
    currentTime: 0,
    duration: Number.NaN,
    getAttribute: (name) => attrs[name] ?? null,
    querySelector: () => (sources ? {} : null),
    ownerDocument: { baseURI: BASE },
    ...rest,
  };
}

describe('videoUrls', () => {
  const stream = {};
  it.each<[string, VideoShape, readonly string[] | 'loading']>([
    ['nothing to show', video(), []],
    ['a poster only', video({ attrs: { poster: 'p.jpg' } }), [`${BASE}p.jpg`]],
    ['a src not yet chosen', video({ attrs: { src: 'a.mp4' } }), [`${BASE}a.mp4`]],
    ['poster first, then what it plays', video({ attrs: { poster: 'p.jpg', src: 'a.mp4' } }), [`${BASE}p.jpg`, `${BASE}a.mp4`]],
    ['the source the browser chose', video({ currentSrc: 'https://cdn.test/b.webm', sources: true }), ['https://cdn.test/b.webm']],
    ['<source> children still being chosen', video({ sources: true }), 'loading'],
    ['a MediaSource blob: URL', video({ currentSrc: 'blob:https://site.test/123' }), ['blob:https://site.test/123']],
    ['a stream in srcObject', video({ srcObject: stream }), [streamKey(stream)]],
    ['preload="none", paused, nothing loaded', video({ attrs: { poster: 'p.jpg', src: 'a.mp4' }, preload: 'none' }), [`${BASE}p.jpg`]],
    ['preload="none" but autoplay', video({ attrs: { src: 'a.mp4' }, preload: 'none', autoplay: true }), [`${BASE}a.mp4`]],
    ['preload="none" and playing', video({ attrs: { src: 'a.mp4' }, preload: 'none', paused: false }), [`${BASE}a.mp4`]],
    ['an empty poster attribute', video({ attrs: { poster: '' } }), []],
    ['a long file at its start', video({ attrs: { src: 'a.mp4' }, duration: 600, currentTime: 5 }), [`${BASE}a.mp4`]],
    [
      'a long file in its third segment',
      video({ attrs: { src: 'a.mp4' }, duration: 600, currentTime: 250 }),
      [`${BASE}a.mp4`, `${BASE}a.mp4#megane-from=120`, `${BASE}a.mp4#megane-from=240`],
    ],
    [
      'a stream is never split',
      video({ currentSrc: 'blob:https://site.test/1', duration: 600, currentTime: 250 }),
      ['blob:https://site.test/1'],
    ],
  ])('%s', (_, shape, expected) => {
    expect(videoUrls(shape)).toEqual(expected);
  });

  it('names the next segment of a long file while one plays, and none past the end or for a stream', () => {
    expect(nextSegment(video({ attrs: { src: 'a.mp4' }, duration: 600, currentTime: 5 }))).toBe(`${BASE}a.mp4#megane-from=120`);
    expect(nextSegment(video({ attrs: { src: 'a.mp4' }, duration: 600, currentTime: 500 }))).toBeNull();
    expect(nextSegment(video({ attrs: { src: 'a.mp4' }, duration: 100, currentTime: 5 }))).toBeNull();
    expect(nextSegment(video({ attrs: { src: 'a.mp4' } }))).toBeNull();
    expect(nextSegment(video({ currentSrc: 'blob:https://site.test/1', duration: 600 }))).toBeNull();
  });

  it('keys each stream once and apart from others', () => {
    const a = {};
    const b = {};
    expect(streamKey(a)).toBe(streamKey(a));
    expect(streamKey(a)).not.toBe(streamKey(b));
  });
});
