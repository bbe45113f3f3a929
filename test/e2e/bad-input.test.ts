// Bad input and hung servers change nothing: every broken, hostile or hung image on a page ends with a
// defined outcome a person can see (shown if it decodes and is fine, otherwise covered with the
// "Couldn't check" label, which names no HTTP status and no size), and good images from another host
// on the same page get their verdicts while the hung ones still hang.
//
// The servers are made here (node:http): one page origin, a "bad" image host answering each case at
// once, a "hung" host that never answers, trickles or stalls, and a "good" host with gallery photos.
// The broken files are made at test time from a gallery photo with sharp (libvips).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GALLERY_DIR, launchWithExtension, type ExtensionBrowser } from './helpers';
import { inMeganeWorld, meganeStates } from './helpers/megane-world';
import { SAMPLER_SCRIPT, filterOf, seenIn, waitForStates } from './helpers/observe';

const SIZE = 160;
const GOOD = ['photo-books.jpg', 'photo-coffee-cup.jpg', 'photo-dandelions.jpg', 'photo-goldfish.jpg'];
const SOURCE = join(GALLERY_DIR, 'photo-mountain-meadow.jpg');
/** Over the 40 MB cap. */
const HUGE_BYTES = 41 * 1024 * 1024;

/** A served answer: status, headers, body; `chunked` leaves Content-Length out. */
interface Answer {
  type: string;
  body: Buffer;
  status?: number;
  chunked?: boolean;
}

/** Each case the bad host answers at once, by path, and the outcome a person must see. */
const BAD: Record<string, { outcome: 'shown' | 'error'; answer?: Answer }> = {};

/**
 * The hung host's cases: never answered, a byte a second forever, a first chunk and then silence.
 * They are CSS backgrounds: Megane asks about an <img> only once the page's own load of it ends,
 * and a hung server never ends it; a background's URL is asked about at once.
 */
// The drip first: it runs longest (the 30 s total limit), and no host slot it waits for adds to that.
const HUNG = ['drip', 'stall', ...Array.from({ length: 8 }, (_, i) => `never-${i}`)];

let browser: ExtensionBrowser;
const servers: { server: Server; sockets: Set<Socket> }[] = [];
let pageOrigin: string;
let badOrigin: string;
let hungOrigin: string;
let goodOrigin: string;
const badRequests: string[] = [];
let page: Page;
let badPage: Page;

/** A PNG of `width` x `height`, 1-bit grey, all black: a few kB that decode to width x height x 4 bytes. */
function pngBomb(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale
  const raw = Buffer.alloc((Math.ceil(width / 8) + 1) * height); // filter byte 0 and zero pixels per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The first `share` of a file: a download cut short. */
const truncated = (bytes: Buffer, share = 0.5) => bytes.subarray(0, Math.floor(bytes.length * share));
/** The header kept, everything after it noise (the same noise every run, so each case has one outcome). */
function corrupt(bytes: Buffer, keep = 64): Buffer {
  const out = Buffer.from(bytes);
  let x = 0x9e3779b9;
  for (let i = keep; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function makeCases(): Promise<void> {
  const photo = sharp(SOURCE).resize(320, 320, { fit: 'cover' });
  const jpeg = await photo.clone().jpeg().toBuffer();
  const png = await photo.clone().png().toBuffer();
  const gif = await photo.clone().gif().toBuffer();
  const webp = await photo.clone().webp().toBuffer();
  const huge = Buffer.alloc(HUGE_BYTES);
  jpeg.copy(huge); // a real JPEG followed by padding: what a 40 MB photo looks like to a size check
  const svg = (inner: string) =>
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="320" height="320">
<rect width="320" height="320" fill="#8ac"/><circle cx="160" cy="160" r="90" fill="#fc4"/>${inner}</svg>`);
  const cases: [string, 'shown' | 'error', Answer | undefined][] = [
    ['trunc-jpeg', 'error', { type: 'image/jpeg', body: truncated(jpeg) }],
    ['corrupt-jpeg', 'error', { type: 'image/jpeg', body: corrupt(jpeg) }],
    ['trunc-png', 'error', { type: 'image/png', body: truncated(png) }],
    ['corrupt-png', 'error', { type: 'image/png', body: corrupt(png) }],
    ['trunc-gif', 'error', { type: 'image/gif', body: truncated(gif) }],
    ['corrupt-gif', 'error', { type: 'image/gif', body: corrupt(gif) }],
    ['trunc-webp', 'error', { type: 'image/webp', body: truncated(webp) }],
    // Noise after a VP8 header decodes (to noise), and noise is nothing to hide.
    ['corrupt-webp', 'shown', { type: 'image/webp', body: corrupt(webp) }],
    ['empty', 'error', { type: 'image/jpeg', body: Buffer.alloc(0) }],
    ['html', 'error', { type: 'image/jpeg', body: Buffer.from('<!doctype html><title>Not found</title><p>Sorry.</p>') }],
    ['svg', 'shown', { type: 'image/svg+xml', body: svg('') }],
    [
      'svg-external',
      'shown',
      {
        type: 'image/svg+xml',
        body: svg(
          `<image href="/external-ref.jpg" width="100" height="100"/><image xlink:href="/external-ref.jpg" x="200" width="100" height="100"/>`,
        ),
      },
    ],
    ['bomb', 'error', { type: 'image/png', body: pngBomb(16_000, 16_000) }],
    ['huge', 'error', { type: 'image/jpeg', body: huge }],
    ['huge-chunked', 'error', { type: 'image/jpeg', body: huge, chunked: true }],
    ['chunked', 'shown', { type: 'image/jpeg', body: jpeg, chunked: true }],
    ['not-found', 'error', { type: 'text/html', body: Buffer.from('missing'), status: 404 }],
    ['server-error', 'error', { type: 'text/html', body: Buffer.from('oops'), status: 500 }],
    ['loop', 'error', undefined],
  ];
  for (const [id, outcome, answer] of cases) BAD[id] = answer ? { outcome, answer } : { outcome };
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, host = 'localhost'): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  servers.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

function serveBad(req: IncomingMessage, res: ServerResponse): void {
  const name = (req.url ?? '/').slice(1).split('?')[0] ?? '';
  badRequests.push(name);
  if (name === 'loop') return void res.writeHead(302, { location: `/loop?${Math.random()}` }).end();
  const answer = BAD[name]?.answer;
  if (!answer) return void res.writeHead(404).end();
  res.writeHead(answer.status ?? 200, {
    'content-type': answer.type,
    'cache-control': 'no-store',
    ...(answer.chunked ? {} : { 'content-length': String(answer.body.length) }),
  });
  if (!answer.chunked) return void res.end(answer.body);
  // Without Content-Length: Transfer-Encoding chunked, 1 MB at a time.
  for (let at = 0; at < answer.body.length; at += 1 << 20) res.write(answer.body.subarray(at, at + (1 << 20)));
  res.end();
}

function serveHung(req: IncomingMessage, res: ServerResponse): void {
  const name = (req.url ?? '/').slice(1);
  if (name.startsWith('never-')) return; // accepted, never answered
  res.writeHead(200, { 'content-type': 'image/jpeg', 'cache-control': 'no-store' });
  const jpeg = readFileSync(SOURCE);
  if (name === 'stall') return void res.write(jpeg.subarray(0, 1000)); // a first chunk, then silence
  // A byte a second: within any stall limit, never done.
  let at = 0;
  const drip = setInterval(() => {
    if (res.destroyed) return clearInterval(drip);
    res.write(jpeg.subarray(at, at + 1));
    at++;
  }, 1000);
  res.on('close', () => clearInterval(drip));
}

function servePage(req: IncomingMessage, res: ServerResponse): void {
  const img = (id: string, src: string) => `<img id="${id}" src="${src}" width="${SIZE}" height="${SIZE}" alt="">`;
  const url = req.url ?? '/';
  if (url === '/local.jpg')
    return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end(readFileSync(join(GALLERY_DIR, GOOD[0] ?? '')));
  const pages: Record<string, string[]> = {
    '/warm.html': [img('warm', `${goodOrigin}/${GOOD[0]}?warm`)],
    // The hung ones first, so they are asked for first and would hold every slot if they could.
    '/race.html': [
      ...HUNG.map(
        (id) => `<div id="${id}" style="display:inline-block;width:${SIZE}px;height:${SIZE}px;background:url(${hungOrigin}/${id})"></div>`,
      ),
      ...GOOD.map((file, i) => img(`good-${i}`, `${goodOrigin}/${file}`)),
    ],
    '/bad.html': [
      ...Object.keys(BAD).map((id) => img(id, `${badOrigin}/${id}`)),
      img('bad-base64', 'data:image/png;base64,iVBORw0K@@@not*base64!!'),
      img('blob-revoked', ''),
      // A blob: URL revoked before the image could read it.
      `<script>fetch('/local.jpg').then((r) => r.blob()).then((blob) => {
        const url = URL.createObjectURL(blob);
        URL.revokeObjectURL(url);
        document.getElementById('blob-revoked').src = url;
      });</script>`,
    ],
  };
  const body = pages[url];
  if (!body) return void res.writeHead(404).end();
  res
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    .end(`<!doctype html><meta charset="utf-8"><body>${body.join('\n')}</body>`);
}

function serveGood(req: IncomingMessage, res: ServerResponse): void {
  const name = (req.url ?? '/').slice(1).split('?')[0] ?? '';
  if (!GOOD.includes(name)) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'image/jpeg' }).end(readFileSync(join(GALLERY_DIR, name)));
}

/** What each element's label says and its tooltip, read in Megane's isolated world. */
async function labels(p: Page, ids: string[]): Promise<Record<string, { text: string; title: string } | null>> {
  return inMeganeWorld(
    p,
    (wanted: string[]) => {
      const host = document.querySelector('megane-labels');
      const dom = (globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(el: Element): ShadowRoot | null } } }).chrome.dom;
      const root = host ? dom.openOrClosedShadowRoot(host) : null;
      const out: Record<string, { text: string; title: string } | null> = {};
      for (const id of wanted) {
        const box = document.getElementById(id)?.getBoundingClientRect();
        out[id] = null;
        for (const label of root?.querySelectorAll<HTMLElement>('.label') ?? []) {
          const r = label.getBoundingClientRect();
          if (box && Math.abs(r.left - box.left) < 2 && Math.abs(r.top - box.top) < 2) {
            const button = label.querySelector('button');
            out[id] = { text: label.textContent ?? '', title: button?.title ?? '' };
          }
        }
      }
      return out;
    },
    ids,
  );
}

const GOOD_IDS = GOOD.map((_, i) => `good-${i}`);
/** What each element on the race page and on the bad page must end as. */
const ON_RACE = (): Record<string, 'shown' | 'error'> => ({
  ...Object.fromEntries(HUNG.map((id) => [id, 'error' as const])),
  ...Object.fromEntries(GOOD_IDS.map((id) => [id, 'shown' as const])),
});
const ON_BAD = (): Record<string, 'shown' | 'error'> => ({
  ...Object.fromEntries(Object.entries(BAD).map(([id, { outcome }]) => [id, outcome])),
  'bad-base64': 'error',
  'blob-revoked': 'error',
});

beforeAll(async () => {
  await makeCases();
  pageOrigin = await listen(servePage, '127.0.0.1');
  badOrigin = await listen(serveBad);
  hungOrigin = await listen(serveHung);
  goodOrigin = await listen(serveGood, '127.0.0.1');
  browser = await launchWithExtension();
  // The model loads on a page of its own first, so the race below is between hosts, not with the model's load.
  const warm = await browser.context.newPage();
  await warm.goto(`${pageOrigin}/warm.html`);
  await waitForStates(warm, { warm: 'safe' });
  await warm.close();
  page = await browser.context.newPage();
  await page.addInitScript(SAMPLER_SCRIPT);
  // The hung images keep the load event from ever firing.
  await page.goto(`${pageOrigin}/race.html`, { waitUntil: 'domcontentloaded' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const { server, sockets } of servers) {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('bad input and hung servers', () => {
  it("answers the good host's images while the hung host's requests still hang", async () => {
    await waitForStates(page, Object.fromEntries(GOOD_IDS.map((id) => [id, 'safe'])), 30_000);
    // Read at once: not one of the hung requests has run out of time yet, and none holds the others back.
    const hung = await meganeStates(page, HUNG);
    expect(hung).toEqual(Object.fromEntries(HUNG.map((id) => [id, 'pending'])));
    for (const id of GOOD_IDS) expect(await filterOf(page, `#${id}`), id).toBe('none');
  });

  it('gives every case its own visible outcome, and stays covered wherever it could not check', async () => {
    badPage = await browser.context.newPage();
    await badPage.addInitScript(SAMPLER_SCRIPT);
    await badPage.goto(`${pageOrigin}/bad.html`);
    for (const [p, expected] of [
      [badPage, ON_BAD()],
      [page, ON_RACE()],
    ] as const) {
      // The hung host's ten requests go six at a time, each given up after 30 s (two tries for headers).
      await waitForStates(p, expected, 80_000).catch(async (error: Error) => {
        throw new Error(`${error.message}\nall: ${JSON.stringify(await meganeStates(p, Object.keys(expected)))}`);
      });
      const seen = await seenIn(p);
      for (const [id, outcome] of Object.entries(expected)) {
        const filter = await filterOf(p, `#${id}`);
        if (outcome === 'error') expect(filter, id).toContain('blur');
        else expect(filter, id).toBe('none');
        expect(seen[id]?.flashes ?? 0, `${id} was shown before it was checked`).toBe(0);
      }
    }
  }, 120_000);

  it('says only "Couldn\'t check": no HTTP status and no size in the label or its tooltip', async () => {
    for (const [p, expected] of [
      [badPage, ON_BAD()],
      [page, ON_RACE()],
    ] as const) {
      const errors = Object.keys(expected).filter((id) => expected[id] === 'error');
      const found = await labels(p, errors);
      for (const id of errors) {
        expect(found[id]?.text, id).toBe("Couldn't check — click to show");
        expect(found[id]?.title, id).not.toMatch(/HTTP|\b[45]\d\d\b|\d{4,}|bytes|\bpx\b|MB/);
      }
    }
  });

  it('never loads what an SVG refers to, in the page or in the check', () => {
    expect(badRequests).toContain('svg-external');
    expect(badRequests).not.toContain('external-ref.jpg');
  });
});
