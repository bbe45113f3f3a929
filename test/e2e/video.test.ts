// Video: every <video> is covered from its first frame until what it plays has been checked. Files the
// extension can fetch (WebM, MP4: the "GIFs" of feeds) are scanned frame by frame in the offscreen
// document before they show; streams only the page can read (a blob: URL, a MediaStream) are sampled
// in the content script while they play, and a frame that should be hidden covers them. Megane hides
// "cat": the clips show food for 4 s, then a cat; the food clips never show a cat. The clips are made
// at test time from the gallery's photos with ffmpeg and served from their own origin.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GALLERY_DIR, launchWithExtension, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { meganeStates } from './helpers/megane-world';
import { SAMPLER_SCRIPT, filterOf, seenIn, waitForStates } from './helpers/observe';

const FOOD = ['photo-coffee-cup.jpg', 'photo-sushi.jpg'];
const CAT = 'photo-cat-tabby.jpg';
const SIZE = 320;
/** Seconds each picture shows in a clip. */
const SCENE_S = 4;

let dir: string;
let media: { server: Server; origin: string };
let site: { server: Server; origin: string };
let browser: ExtensionBrowser;
let page: Page;

/** A clip of `scenes` (a picture and how many seconds it shows), at `fps` frames per second. */
function clip(scenes: [picture: string, seconds: number][], out: string, codec: string[], fps = 10): void {
  const inputs = scenes.flatMap(([picture, seconds]) => ['-loop', '1', '-t', String(seconds), '-i', join(GALLERY_DIR, picture)]);
  const scaled = scenes
    .map(
      (_, i) =>
        `[${i}]scale=${SIZE}:${SIZE}:force_original_aspect_ratio=increase,crop=${SIZE}:${SIZE},setsar=1,fps=${fps},format=yuv420p[v${i}]`,
    )
    .join(';');
  const concat = `${scenes.map((_, i) => `[v${i}]`).join('')}concat=n=${scenes.length}:v=1[out]`;
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    `${scaled};${concat}`,
    '-map',
    '[out]',
    ...codec,
    join(dir, out),
  ]);
}

/** Pictures shown SCENE_S seconds each. */
const scenes = (...pictures: string[]): [string, number][] => pictures.map((p) => [p, SCENE_S]);

const WEBM = ['-c:v', 'libvpx', '-b:v', '400k'];

/**
 * A 300 s clip, two frames a second: food, but a cat from 204.5 s to 207.5 s. Checked a segment at a
 * time (2 minutes, a frame every 2 s) the frame at 206 s shows the cat; 60 frames spread over the
 * whole video (every 5.08 s: 203.4 s, 208.4 s) would miss it.
 */
const LONG_SCENES: [string, number][] = [
  [FOOD[0]!, 204.5],
  [CAT, 3],
  [FOOD[1]!, 92.5],
];
const MP4 = ['-c:v', 'libx264', '-preset', 'veryfast', '-movflags', '+faststart'];
const TYPES: Record<string, string> = { webm: 'video/webm', mp4: 'video/mp4', jpg: 'image/jpeg' };

/** Serves the clips (and the gallery's photos) on their own origin; CORS lets the page read them too. */
function serveMedia(request: IncomingMessage, response: ServerResponse): void {
  const name = (request.url ?? '').slice(1);
  const file = /^[a-z0-9-]+\.(webm|mp4)$/.test(name) ? join(dir, name) : /^photo-[a-z-]+\.jpg$/.test(name) ? join(GALLERY_DIR, name) : null;
  try {
    if (!file) throw new Error('not served');
    // A server that labels a clip as bytes of no kind: Megane reads it whole and knows it by its bytes.
    const type = name.startsWith('octet-')
      ? 'application/octet-stream'
      : (TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream');
    const bytes = readFileSync(file);
    const headers = { 'content-type': type, 'access-control-allow-origin': '*', 'accept-ranges': 'bytes' };
    // Byte ranges, as every real media server answers them: without them a video cannot seek.
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : bytes.length - 1, bytes.length - 1);
      response.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}` }).end(bytes.subarray(start, end + 1));
    } else response.writeHead(200, headers).end(bytes);
  } catch {
    response.writeHead(404).end();
  }
}

/**
 * Serves the page from a server of its own (playwright's page.route breaks the page's media requests:
 * their video then fails with a format error), on another origin than the media.
 */
async function serve(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  host: string,
): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, origin: `http://${host}:${(server.address() as AddressInfo).port}` };
}

function html(origin: string): string {
  const video = (id: string, attrs: string) => `<video id="${id}" width="${SIZE}" height="${SIZE}" muted playsinline ${attrs}></video>`;
  return `<!doctype html><meta charset="utf-8"><title>Video</title><body>
${video('cat-webm', `autoplay loop src="${origin}/cat.webm"`)}
${video('food-webm', `autoplay loop src="${origin}/food.webm"`)}
${video('cat-octet', `autoplay loop src="${origin}/octet-cat.webm"`)}
<video id="cat-mp4" width="${SIZE}" height="${SIZE}" muted playsinline autoplay loop><source src="${origin}/cat.mp4" type="video/mp4"></video>
${video('cat-safe-poster', `poster="${origin}/${FOOD[0]}" src="${origin}/cat.webm"`)}
${video('food-poster', `poster="${origin}/${FOOD[1]}"`)}
${video('long', `preload="auto" src="${origin}/long.webm"`)}
${video('cat-blob', '')}
${video('food-blob', '')}
${video('cat-stream', '')}
<script>
  // Streams only the page can read: clips fetched and played from blob: URLs, and a canvas's stream.
  const play = async (id, file) => {
    const blob = await (await fetch('${origin}/' + file)).blob();
    const video = document.getElementById(id);
    video.src = URL.createObjectURL(blob);
    video.loop = true;
    video.play();
  };
  play('cat-blob', 'cat.webm');
  play('food-blob', 'food.webm');
  const load = (file) => new Promise((resolve) => {
    const img = new Image();
    img.crossOrigin = 'anonymous';
    img.onload = () => resolve(img);
    img.src = '${origin}/' + file;
  });
  Promise.all([load('${FOOD[0]}'), load('${CAT}')]).then(([food, cat]) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = ${SIZE};
    const context = canvas.getContext('2d');
    const started = performance.now();
    const draw = () => {
      context.drawImage(performance.now() - started < ${SCENE_S * 1000} ? food : cat, 0, 0, ${SIZE}, ${SIZE});
      requestAnimationFrame(draw);
    };
    draw();
    const video = document.getElementById('cat-stream');
    video.srcObject = canvas.captureStream(10);
    video.play();
  });
</script>
</body>`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'megane-video-'));
  clip(scenes(FOOD[0]!, CAT), 'cat.webm', WEBM);
  clip(scenes(FOOD[0]!, FOOD[1]!), 'food.webm', WEBM);
  clip(scenes(FOOD[0]!, CAT), 'cat.mp4', MP4);
  clip(LONG_SCENES, 'long.webm', WEBM, 2);
  copyFileSync(join(dir, 'cat.webm'), join(dir, 'octet-cat.webm'));
  media = await serve(serveMedia, 'localhost');
  site = await serve(
    (_, response) => void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html(media.origin)),
    '127.0.0.1',
  );
  browser = await launchWithExtension();
  await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true } } });
  page = await browser.context.newPage();
  await page.addInitScript(SAMPLER_SCRIPT);
  await page.goto(`${site.origin}/video.html`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.server.close(resolve));
  await new Promise((resolve) => media?.server.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const VERDICTS = ['shown', 'hidden', 'nsfw', 'error'];

describe('video', () => {
  it('plays the clips in this browser (the fixtures are real videos)', async () => {
    await page.waitForFunction(
      () => ['cat-webm', 'cat-mp4', 'food-webm'].every((id) => (document.getElementById(id) as HTMLVideoElement).readyState >= 2),
      null,
      {
        timeout: 30_000,
      },
    );
  });

  it('scans a WebM and an MP4 (played from their URL, or read whole when the server does not say video) before they show: one with a cat later on stays covered, one without shows', async () => {
    const files = ['cat-webm', 'cat-mp4', 'cat-octet', 'cat-safe-poster', 'food-webm', 'food-poster'];
    await waitForStates(page, Object.fromEntries(files.map((id) => [id, VERDICTS])), 120_000);
    expect(await meganeStates(page, files)).toEqual({
      'cat-webm': 'hidden',
      'cat-mp4': 'hidden',
      'cat-octet': 'hidden',
      // The poster shows food, and it is fine; what the video plays is not, so the video stays covered.
      'cat-safe-poster': 'hidden',
      'food-webm': 'shown',
      'food-poster': 'shown',
    });
    const seen = await seenIn(page);
    for (const id of ['cat-webm', 'cat-mp4', 'cat-octet', 'cat-safe-poster']) {
      expect(await filterOf(page, `#${id}`), id).toContain('blur');
      expect(seen[id]?.visible, `${id} was shown at some point: ${JSON.stringify(seen[id])}`).toBe(0);
    }
    for (const id of ['food-webm', 'food-poster']) {
      expect(await filterOf(page, `#${id}`), id).toBe('none');
      expect(seen[id]?.flashes, `${id} was shown before it was checked: ${JSON.stringify(seen[id])}`).toBe(0);
      expect(seen[id]?.covered, `${id} was never covered`).toBeGreaterThan(0);
    }
  }, 150_000);

  it('samples streams only the page can read while they play: the cat that comes later covers them', async () => {
    // The first frame (food) is checked before the stream shows; the cat arrives after SCENE_S seconds.
    await waitForStates(page, { 'cat-blob': 'hidden', 'cat-stream': 'hidden', 'food-blob': 'shown' }, 90_000);
    const seen = await seenIn(page);
    for (const id of ['cat-blob', 'cat-stream', 'food-blob']) {
      expect(seen[id]?.flashes, `${id} showed a frame before its first one was checked: ${JSON.stringify(seen[id])}`).toBe(0);
      expect(seen[id]?.covered, `${id} was never covered`).toBeGreaterThan(0);
    }
    // The food it showed first was checked and shown before the cat came.
    expect(seen['cat-blob']?.visible, 'cat-blob showed its food first').toBeGreaterThan(0);
    expect(await filterOf(page, '#cat-blob')).toContain('blur');
    expect(await filterOf(page, '#food-blob')).toBe('none');
  }, 120_000);

  it('checks a long file a segment at a time: a seek into a later one covers it until that is checked', async () => {
    // The first two minutes show food: the video is shown.
    await waitForStates(page, { long: 'shown' }, 90_000);
    await page.evaluate(() => {
      (document.getElementById('long') as HTMLVideoElement).currentTime = 205;
    });
    await waitForStates(page, { long: 'hidden' }, 90_000);
    expect(await filterOf(page, '#long')).toContain('blur');
  }, 200_000);

  it('reveals a covered video with one click', async () => {
    // The pointer on the video (its label takes the click as well).
    const box = await page.locator('#cat-webm').boundingBox();
    if (!box) throw new Error('no box');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height - 10);
    await waitForStates(page, { 'cat-webm': 'shown' }, 10_000);
    expect(await filterOf(page, '#cat-webm')).toBe('none');
  });
});
