import { describe, expect, it } from 'vitest';
import { streamKey, videoUrls, type VideoShape } from './video-sources';

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
  ])('%s', (_, shape, expected) => {
    expect(videoUrls(shape)).toEqual(expected);
  });

  it('keys each stream once and apart from others', () => {
    const a = {};
    const b = {};
    expect(streamKey(a)).toBe(streamKey(a));
    expect(streamKey(a)).not.toBe(streamKey(b));
  });
});
