// What a <video> shows, as URLs the pipeline checks: its poster (an image of its own) and what it
// plays. A file at an http(s) or data: URL is fetched and scanned frame by frame in the offscreen
// document; a stream only the page can read (a blob: URL, a MediaSource or MediaStream in
// `srcObject`) is sampled here while it plays (video-sampler.ts). Either way the video is covered until
// both are checked, and a poster that is fine never uncovers frames that are not.
import { absolute, STREAM_SCHEME } from './image-sources';

/** The little of a <video> this reads, so it can be table-tested without a DOM. */
export interface VideoShape {
  readonly poster: string;
  readonly currentSrc: string;
  readonly src: string;
  readonly srcObject: unknown;
  readonly preload: string;
  readonly autoplay: boolean;
  readonly paused: boolean;
  readonly readyState: number;
  getAttribute(name: string): string | null;
  querySelector(selector: string): unknown;
  readonly ownerDocument: { readonly baseURI: string };
}

const streamKeys = new WeakMap<object, string>();
let streams = 0;

/** A stable key for a `srcObject` (no URL): the same stream keeps its key. */
export function streamKey(stream: object): string {
  let key = streamKeys.get(stream);
  if (key === undefined) {
    key = `${STREAM_SCHEME}${++streams}`;
    streamKeys.set(stream, key);
  }
  return key;
}

/**
 * The URLs a video shows now, poster first; 'loading' while the browser is still choosing among its
 * <source> children (its loadstart event looks again). A video that will not load anything before the
 * user presses play (`preload="none"`, no autoplay) is checked by its poster until it plays: fetching
 * every such file to scan it would cost the user the download they chose not to make.
 */
export function videoUrls(video: VideoShape): readonly string[] | 'loading' {
  const urls: string[] = [];
  if (video.getAttribute('poster') && video.poster) urls.push(video.poster);
  const media = mediaOf(video);
  if (media === 'loading') return media;
  const waitsForPlay = video.preload === 'none' && !video.autoplay && video.paused && video.readyState === 0;
  if (media && !waitsForPlay) urls.push(media);
  return urls;
}

function mediaOf(video: VideoShape): string | 'loading' | null {
  if (video.srcObject !== null && typeof video.srcObject === 'object') return streamKey(video.srcObject);
  if (video.currentSrc) return video.currentSrc;
  if (video.getAttribute('src')) return video.src || absolute(video.getAttribute('src') ?? '', video.ownerDocument.baseURI);
  return video.querySelector('source[src]') ? 'loading' : null;
}
