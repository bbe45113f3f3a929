// Work no one wants any more stops: closing a tab, taking an image off the page, or scrolling far past
// an image before its answer came cancels Megane's own download of it, so a hung or slow server holds
// nothing for images the user left behind; an image scrolled back to is checked again.
//
// The image hosts here never answer: a download the extension started ends only when the extension
// aborts it (the fetch limit would end it after 15 s; every wait below is shorter). The servers see
// which requests are the extension's (Sec-Fetch-Dest "empty") and which the page's ("image").
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GALLERY_DIR, launchWithExtension, type ExtensionBrowser } from './helpers';
import { waitForStates } from './helpers/observe';

const SIZE = 160;
/** Shorter than the 15 s the fetch limits give a server to answer: only a cancel ends a request sooner. */
const CANCELLED_WITHIN_MS = 10_000;
const PHOTO = join(GALLERY_DIR, 'photo-coffee-cup.jpg');

interface Seen {
  name: string;
  /** The page's own load (Sec-Fetch-Dest: image) rather than the extension's download. */
  byPage: boolean;
  closed: boolean;
}

let browser: ExtensionBrowser;
const servers: { server: Server; sockets: Set<Socket> }[] = [];
let pageOrigin: string;

/** A host that answers `good-*` with a photo and never answers anything else; it records every request. */
async function hungHost(): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const origin = await listen((req, res) => {
    const name = (req.url ?? '/').slice(1);
    const entry: Seen = { name, byPage: req.headers['sec-fetch-dest'] === 'image', closed: false };
    seen.push(entry);
    res.on('close', () => {
      entry.closed = true;
    });
    if (name.startsWith('good-')) res.writeHead(200, { 'content-type': 'image/jpeg' }).end(readFileSync(PHOTO));
  });
  return { origin, seen };
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

/** Pages are made per test from the query: `?host=<origin>&top=<names>&gap=<px>&bottom=<names>`. */
function servePage(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/warm.jpg') return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end(readFileSync(PHOTO));
  if (url.pathname !== '/page.html') return void res.writeHead(404).end();
  const host = url.searchParams.get('host') ?? '';
  // CSS backgrounds: Megane asks about them at once (an <img> is asked about once the page's own load
  // ends, which never happens here).
  const box = (name: string) =>
    `<div id="${name}" style="display:inline-block;width:${SIZE}px;height:${SIZE}px;background:url(${host}/${name})"></div>`;
  const list = (key: string) => (url.searchParams.get(key) ?? '').split(',').filter(Boolean);
  const body = [
    `<img id="warm" src="/warm.jpg" width="${SIZE}" height="${SIZE}" alt="">`,
    ...list('top').map(box),
    `<div style="height:${Number(url.searchParams.get('gap') ?? 0)}px"></div>`,
    ...list('bottom').map(box),
  ];
  res
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    .end(`<!doctype html><meta charset="utf-8"><body>${body.join('\n')}</body>`);
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const extensionRequests = (seen: Seen[], wanted: string[]) => seen.filter((s) => !s.byPage && wanted.includes(s.name));

async function open(query: Record<string, string>): Promise<Page> {
  const page = await browser.context.newPage();
  // The hung images keep the load event from ever firing.
  await page.goto(`${pageOrigin}/page.html?${new URLSearchParams(query)}`, { waitUntil: 'domcontentloaded' });
  return page;
}

/** Waits until the extension is downloading each of `wanted` (one request each, still open). */
async function downloading(seen: Seen[], wanted: string[]): Promise<void> {
  await expect
    .poll(() => extensionRequests(seen, wanted).filter((s) => !s.closed).length, { timeout: 30_000, interval: 100 })
    .toBe(wanted.length);
}

beforeAll(async () => {
  pageOrigin = await listen(servePage, '127.0.0.1');
  browser = await launchWithExtension();
  // The model host is up before the tests: their downloads start as soon as the page asks.
  const warm = await open({});
  await waitForStates(warm, { warm: 'safe' });
  await warm.close();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const { server, sockets } of servers) {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('cancelling checks no one wants', () => {
  it("closing a tab aborts the extension's downloads for it", async () => {
    const { origin, seen } = await hungHost();
    const wanted = names('tab', 4);
    const page = await open({ host: origin, top: wanted.join() });
    await downloading(seen, wanted);
    await page.close();
    await expect
      .poll(() => extensionRequests(seen, wanted).every((s) => s.closed), { timeout: CANCELLED_WITHIN_MS, interval: 100 })
      .toBe(true);
  });

  it("taking images off the page aborts the extension's downloads for them, and leaves the others", async () => {
    const { origin, seen } = await hungHost();
    const removed = names('gone', 3);
    const kept = names('kept', 1);
    const page = await open({ host: origin, top: [...removed, ...kept].join() });
    await downloading(seen, [...removed, ...kept]);
    await page.evaluate((ids) => ids.forEach((id) => document.getElementById(id)?.remove()), removed);
    await expect
      .poll(() => extensionRequests(seen, removed).every((s) => s.closed), { timeout: CANCELLED_WITHIN_MS, interval: 100 })
      .toBe(true);
    expect(extensionRequests(seen, kept).map((s) => s.closed)).toEqual([false]);
    // The image still on the page is still covered, waiting for its answer.
    await waitForStates(page, { [kept[0] ?? '']: 'pending' }, 5_000);
    await page.close();
  });

  it('scrolling far past images gives up their downloads for what is on screen now; they are checked again later, still covered', async () => {
    const { origin, seen } = await hungHost();
    const passed = names('passed', 4);
    const below = names('good', 2);
    const page = await open({ host: origin, top: passed.join(), gap: '8000', bottom: below.join() });
    await downloading(seen, passed);
    const first = extensionRequests(seen, passed);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect.poll(() => first.every((s) => s.closed), { timeout: CANCELLED_WITHIN_MS, interval: 100 }).toBe(true);
    await waitForStates(page, Object.fromEntries(below.map((id) => [id, 'safe'])), 30_000);
    // Once nothing nearer waits, the images left behind are downloaded again (with the far ones), and
    // stay covered meanwhile.
    await expect.poll(() => extensionRequests(seen, passed).filter((s) => !s.closed).length, { timeout: 30_000, interval: 100 }).toBe(4);
    await page.evaluate(() => window.scrollTo(0, 0));
    await waitForStates(page, Object.fromEntries(passed.map((id) => [id, 'pending'])), 5_000);
    await page.close();
  });
});
