// Animated images are checked frame by frame: a GIF, an animated WebP and an APNG whose first frames
// show food and whose later frames show a cat end covered when the user hides "cat"; animations of the
// same length without a cat end shown. The animations are made at test time from the gallery's photos
// with ImageMagick (the APNG is assembled here from PNG frames: ImageMagick's APNG writer needs ffmpeg)
// and served from their own origin, without CORS headers, like the demo's image origin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GALLERY_DIR, launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { meganeStates } from './helpers/megane-world';
import { SAMPLER_SCRIPT, filterOf, seenIn, waitForStates } from './helpers/observe';

/** ImageMagick itself: the `convert` on PATH may be a stand-in. */
const CONVERT = '/usr/bin/convert';
const FOOD = ['photo-coffee-cup.jpg', 'photo-sushi.jpg', 'photo-pancakes.jpg', 'photo-fig-in-bowl.jpg'];
const CATS = ['photo-cat-tabby.jpg', 'photo-cat-chelsea.jpg'];
/**
 * 12 frames: food for the first 9, cats for the last 3. With 12 frames the host scores 8 spread over
 * them (frame-pick.ts), two of which show a cat; the first frame (all Megane checked before) is food.
 */
const CAT_FRAMES = [...FOOD, ...FOOD, FOOD[0]!, CATS[0]!, CATS[1]!, CATS[0]!];
const FOOD_FRAMES = [...FOOD, ...FOOD, ...FOOD];
const SIZE = 320;
const DELAY_MS = 200;

/** What the page shows, by element id: the animations with a cat and those without. */
const CAT_IDS = ['cat-gif', 'cat-webp', 'cat-apng'];
const FOOD_IDS = ['food-gif', 'food-webp', 'food-apng'];

let dir: string;
let images: { server: Server; origin: string };
let demo: DemoServer;
let browser: ExtensionBrowser;
let page: Page;

/** Writes `out` (its extension picks the format) from the gallery photos, cropped to one square size. */
function animation(frames: string[], out: string): void {
  execFileSync(CONVERT, [
    ...['-delay', String(DELAY_MS / 10), '-loop', '0'],
    ...frames.map((f) => join(GALLERY_DIR, f)),
    ...['-resize', `${SIZE}x${SIZE}^`, '-gravity', 'center', '-extent', `${SIZE}x${SIZE}`, '+dither', '-quality', '80'],
    join(dir, out),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const pngChunk = (type: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  return Buffer.concat([u32(data.length), body, u32(crc32(body))]);
};
function pngChunks(png: Buffer): { type: string; data: Buffer }[] {
  const chunks = [];
  for (let at = 8; at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at);
    chunks.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

/** An APNG (acTL, then per frame an fcTL and its image data) from same-sized PNG frames. */
function apng(frames: string[], out: string): void {
  const pngs = frames.map((f, i) => {
    const path = join(dir, `frame-${out}-${i}.png`);
    execFileSync(CONVERT, [
      join(GALLERY_DIR, f),
      '-resize',
      `${SIZE}x${SIZE}^`,
      '-gravity',
      'center',
      '-extent',
      `${SIZE}x${SIZE}`,
      `PNG24:${path}`,
    ]);
    return pngChunks(readFileSync(path));
  });
  const ihdr = pngs[0]?.find((c) => c.type === 'IHDR')?.data;
  if (!ihdr) throw new Error('no IHDR');
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr)];
  parts.push(pngChunk('acTL', Buffer.concat([u32(pngs.length), u32(0)])));
  let sequence = 0;
  pngs.forEach((chunks, i) => {
    const delay = Buffer.from([DELAY_MS >> 8, DELAY_MS & 255, 1000 >> 8, 1000 & 255, 0, 0]); // num/den, dispose none, blend source
    parts.push(pngChunk('fcTL', Buffer.concat([u32(sequence++), ihdr.subarray(0, 8), u32(0), u32(0), delay])));
    for (const { type, data } of chunks.filter((c) => c.type === 'IDAT')) {
      parts.push(i === 0 ? pngChunk(type, data) : pngChunk('fdAT', Buffer.concat([u32(sequence++), data])));
    }
  });
  parts.push(pngChunk('IEND', Buffer.alloc(0)));
  writeFileSync(join(dir, out), Buffer.concat(parts));
}

const TYPES: Record<string, string> = { gif: 'image/gif', webp: 'image/webp', png: 'image/png' };

/** Serves the animations from `dir` on their own origin, without CORS headers. */
async function serveImages(): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const name = (request.url ?? '').slice(1);
    if (!/^[a-z-]+\.(gif|webp|png)$/.test(name)) return void response.writeHead(404).end();
    try {
      const bytes = readFileSync(join(dir, name));
      response.writeHead(200, { 'content-type': TYPES[name.split('.')[1] ?? ''] ?? 'application/octet-stream' }).end(bytes);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

function html(origin: string): string {
  const img = (id: string, file: string) => `<img id="${id}" src="${origin}/${file}" width="${SIZE}" height="${SIZE}" alt="">`;
  return `<!doctype html><meta charset="utf-8"><title>Animated images</title><body>
${img('cat-gif', 'cat.gif')}${img('food-gif', 'food.gif')}
${img('cat-webp', 'cat.webp')}${img('food-webp', 'food.webp')}
${img('cat-apng', 'cat-apng.png')}${img('food-apng', 'food-apng.png')}
</body>`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'megane-animated-'));
  animation(CAT_FRAMES, 'cat.gif');
  animation(FOOD_FRAMES, 'food.gif');
  animation(CAT_FRAMES, 'cat.webp');
  animation(FOOD_FRAMES, 'food.webp');
  apng(CAT_FRAMES, 'cat-apng.png');
  apng(FOOD_FRAMES, 'food-apng.png');
  images = await serveImages();
  demo = await startDemoServer();
  browser = await launchWithExtension();
  await patchSettings(browser.serviceWorker, { tags: { cat: { hide: true } } });
  page = await browser.context.newPage();
  await page.addInitScript(SAMPLER_SCRIPT);
  // The page lives on the demo's page origin; only its HTML is made here.
  await page.route(`${demo.pageOrigin}/animated.html`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html(images.origin) }),
  );
  await page.goto(`${demo.pageOrigin}/animated.html`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await new Promise((resolve) => images?.server.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('animated images', () => {
  it('made the fixtures as animations: every frame a picture of its own', () => {
    for (const file of ['cat.gif', 'cat.webp', 'food.gif', 'food.webp']) {
      const frames = execFileSync('/usr/bin/identify', [join(dir, file)], { encoding: 'utf8' })
        .trim()
        .split('\n');
      expect(frames.length, file).toBe(12);
    }
    expect(pngChunks(readFileSync(join(dir, 'cat-apng.png'))).filter((c) => c.type === 'fcTL')).toHaveLength(12);
  });

  it('covers a GIF, a WebP and an APNG whose later frames show a cat, and shows those without one', async () => {
    const verdicts = ['shown', 'hidden', 'nsfw', 'error'];
    await waitForStates(page, Object.fromEntries([...CAT_IDS, ...FOOD_IDS].map((id) => [id, verdicts])), 150_000);
    const states = await meganeStates(page, [...CAT_IDS, ...FOOD_IDS]);
    expect(Object.values(states)).toEqual([...CAT_IDS.map(() => 'hidden'), ...FOOD_IDS.map(() => 'shown')]);
    const seen = await seenIn(page);
    for (const id of CAT_IDS) {
      expect(await filterOf(page, `#${id}`), id).toContain('blur');
      expect(seen[id]?.visible, `${id} was shown at some point: ${JSON.stringify(seen[id])}`).toBe(0);
    }
    for (const id of FOOD_IDS) {
      expect(await filterOf(page, `#${id}`), id).toBe('none');
      expect(seen[id]?.flashes, `${id} was shown before it was checked: ${JSON.stringify(seen[id])}`).toBe(0);
      expect(seen[id]?.covered, `${id} was never covered`).toBeGreaterThan(0);
    }
  }, 180_000);
});
