// What a <video> shows, as URLs the pipeline checks: its poster (an image of its own) and what it
// plays. A file at an http(s) or data: URL is fetched and scanned frame by frame in the offscreen
// document; a stream only the page can read (a blob: URL, a MediaSource or MediaStream in
// `srcObject`) is sampled here while it plays (video-sampler.ts). Either way the video is covered until
// both are checked, and a poster that is fine never uncovers frames that are not.
import { segmentUrl, VIDEO_SEGMENT_S } from '../offscreen/video-times';
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
  readonly currentTime: number;
  readonly duration: number;
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
  if (media && !waitsForPlay) urls.push(...segmentsUpTo(video, media));
  return urls;
}

/**
 * A file longer than one segment is checked a segment at a time (video-times.ts): every segment up to
 * the one that plays now must be fine, so a seek ahead covers the video until the segments it jumped
 * to are checked.
 */
function segmentsUpTo(video: VideoShape, media: string): string[] {
  if (!isFile(media)) return [media];
  const playing = Math.floor(Math.min(video.currentTime, video.duration || 0) / VIDEO_SEGMENT_S);
  return Array.from({ length: (Number.isFinite(playing) ? playing : 0) + 1 }, (_, k) => segmentUrl(media, k * VIDEO_SEGMENT_S));
}

/**
 * The segment after the one that plays now, to check while this one plays (so it is ready when
 * playback gets there); null when there is none.
 */
export function nextSegment(video: VideoShape): string | null {
  const media = mediaOf(video);
  if (typeof media !== 'string' || media === 'loading' || !isFile(media) || !Number.isFinite(video.duration)) return null;
  const next = (Math.floor(video.currentTime / VIDEO_SEGMENT_S) + 1) * VIDEO_SEGMENT_S;
  return next < video.duration ? segmentUrl(media, next) : null;
}

/** A file the offscreen document fetches (not a stream sampled here). */
const isFile = (url: string) => /^https?:/i.test(url);

function mediaOf(video: VideoShape): string | 'loading' | null {
  if (video.srcObject !== null && typeof video.srcObject === 'object') return streamKey(video.srcObject);
  if (video.currentSrc) return video.currentSrc;
  if (video.getAttribute('src')) return video.src || absolute(video.getAttribute('src') ?? '', video.ownerDocument.baseURI);
  return video.querySelector('source[src]') ? 'loading' : null;
}
