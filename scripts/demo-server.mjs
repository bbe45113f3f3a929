// Demo/test web server with two origins, so that every image a page shows is cross-origin and
// served without CORS headers - the situation Megane meets on real sites, where a content script
// cannot read the pixels itself and must hand the URL to the extension.
//
//   PAGE origin  http://127.0.0.1:<pagePort>  the pages in test/fixtures/demo/ (+ /local/<image>,
//                                              a same-origin copy of gallery images for blob: tests)
//   IMAGE origin http://localhost:<imagePort>  test/fixtures/gallery/*, /garbage.jpg,
//                                              /slow/<file>?ms=N (&only=fetch: only requests
//                                              that are not a page's <img> load wait), /never.jpg,
//                                              /cors/<file>
//                                              (the one path served with CORS headers)
//   both origins                               /changing/<first>/<then>/<name>: <first> to the
//                                              first request of that exact URL, <then> to every
//                                              later one (a "random image" URL, or a server that
//                                              cloaks); <name> only names it (its extension too)
//   PAGE origin                                /to-images/<file>: a redirect to IMAGE's <file>
//
// Pages say {{IMAGES}} where they mean the image origin, and index.html says {{GALLERY}} where the
// grid of every gallery image goes; both are filled in as the page is served.
//
// Dependency-free on purpose: tests, `npm start` and a bare `node scripts/demo-server.mjs` all use it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_DIR = join(ROOT, 'test/fixtures/demo');
const GALLERY_DIR = join(ROOT, 'test/fixtures/gallery');
const GARBAGE = join(ROOT, 'test/fixtures/garbage.jpg');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};
const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.gif', '.webp', '.svg']);
const TEXT_EXT = new Set(['.html', '.css', '.js']);
// One path segment of ordinary characters: no "..", no slashes, nothing to escape the folder.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function fileIfExists(dir, name) {
  if (!SAFE_NAME.test(name)) return null;
  const path = join(dir, name);
  try {
    return statSync(path).isFile() ? path : null;
  } catch {
    return null;
  }
}

function galleryImage(name) {
  if (name === 'garbage.jpg') return GARBAGE;
  return IMAGE_EXT.has(extname(name).toLowerCase()) ? fileIfExists(GALLERY_DIR, name) : null;
}

function galleryIndex() {
  try {
    return JSON.parse(readFileSync(join(GALLERY_DIR, 'index.json'), 'utf8'));
  } catch {
    // Without the index still show whatever images are there.
    return readdirSync(GALLERY_DIR)
      .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()))
      .map((file) => ({ file, kind: file.split('-')[0], subject: file.replace(/^[a-z]+-|\.[a-z]+$/g, '') }));
  }
}

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// Photos and drawings alternate in the grid so the demo shows both kinds side by side.
function interleaveKinds(entries) {
  const photos = entries.filter((e) => e.kind === 'photo');
  const others = entries.filter((e) => e.kind !== 'photo');
  const out = [];
  for (let i = 0; i < Math.max(photos.length, others.length); i++) {
    if (photos[i]) out.push(photos[i]);
    if (others[i]) out.push(others[i]);
  }
  return out;
}

function galleryHtml(imageOrigin) {
  return interleaveKinds(galleryIndex())
    .map(
      ({ file, kind, subject }) =>
        `<figure class="tile" data-kind="${escapeHtml(kind)}"><img src="${imageOrigin}/${escapeHtml(file)}" alt="${escapeHtml(subject)}" data-file="${escapeHtml(file)}"><figcaption>${escapeHtml(subject.replace(/-/g, ' '))}</figcaption></figure>`,
    )
    .join('\n      ');
}

function send(res, status, type, body, extra = {}) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

const notFound = (res) => send(res, 404, 'text/plain; charset=utf-8', 'not found\n');

function sendFile(res, path, extra = {}) {
  const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  send(res, 200, type, readFileSync(path), extra);
}

/**
 * `/changing/<first>/<then>/<name>`: serves `first` to the first request of this exact URL (path and
 * query) and `then` to every later one, never cached. Answers whether it handled the request.
 */
function serveChanging(res, path, url, seen, extra = {}) {
  const match = path.match(/^\/changing\/([^/]+)\/([^/]+)\/[^/]+$/);
  if (!match) return false;
  const first = !seen.has(url);
  seen.add(url);
  const file = galleryImage(first ? match[1] : match[2]);
  if (file) sendFile(res, file, { 'Cache-Control': 'no-store', ...extra });
  else notFound(res);
  return true;
}

// Keeps every socket so close() can end the server now, including /never.jpg requests that are
// designed to hang and would otherwise keep server.close() waiting forever.
function trackSockets(server) {
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

function listen(server, port, host) {
  return new Promise((resolveListen, reject) => {
    const onError = (err) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolveListen(server.address().port);
    });
  });
}

/**
 * Starts both origins. Ports default to 0 (any free port).
 * @returns {Promise<{ pageOrigin: string, imageOrigin: string, requests: Array<{ origin: 'page'|'image', method: string, url: string, at: number, byPage: boolean }>, close(): Promise<void> }>}
 *   `requests` logs every request, so tests can see what was fetched and by whom.
 */
export async function startDemoServer({ pagePort = 0, imagePort = 0 } = {}) {
  const requests = [];
  const timers = new Set();
  /** The /changing/ URLs asked for so far. */
  const changingSeen = new Set();
  let imageOrigin = '';

  const imageServer = createServer((req, res) => {
    requests.push({ origin: 'image', method: req.method, url: req.url, at: Date.now(), byPage: req.headers['sec-fetch-dest'] === 'image' });
    const url = new URL(req.url, 'http://localhost');
    const path = decodeURIComponent(url.pathname);

    // Accepted and never answered: the image stays "loading" for as long as the page lives.
    if (path === '/never.jpg') return;

    const slow = path.match(/^\/slow\/([^/]+)$/);
    if (slow) {
      const file = galleryImage(slow[1]);
      if (!file) return notFound(res);
      const byPage = req.headers['sec-fetch-dest'] === 'image';
      const ms =
        url.searchParams.get('only') === 'fetch' && byPage ? 0 : Math.min(Math.max(Number(url.searchParams.get('ms')) || 0, 0), 600_000);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) sendFile(res, file, { 'Cache-Control': 'no-store' });
      }, ms);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }

    // With CORS headers, so an <img crossorigin> may read it; without the attribute it is an ordinary
    // cross-origin image.
    if (serveChanging(res, path, `image:${req.url}`, changingSeen, { 'Access-Control-Allow-Origin': '*' })) return;

    // Hotlink protection, as pixiv's image host has: 403 unless the Referer is a page of the page origin.
    const hotlink = path.match(/^\/hotlink\/([^/]+)$/);
    if (hotlink) {
      const file = galleryImage(hotlink[1]);
      if (!file) return notFound(res);
      if (!String(req.headers.referer ?? '').startsWith(`${pageOrigin}/`)) return res.writeHead(403).end('Forbidden');
      return sendFile(res, file, { 'Cache-Control': 'no-cache' });
    }

    // With CORS: a page may draw these into a canvas and still read it (test/fixtures/demo/canvas.html).
    const cors = path.match(/^\/cors\/([^/]+)$/);
    if (cors) {
      const file = galleryImage(cors[1]);
      return file ? sendFile(res, file, { 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' }) : notFound(res);
    }

    const name = path.replace(/^\//, '');
    const file = galleryImage(name);
    // Served as image/jpeg like any other .jpg: the bytes are the broken part, not the headers.
    if (file) return sendFile(res, file, { 'Cache-Control': 'no-cache' });
    notFound(res);
  });

  const pageServer = createServer((req, res) => {
    requests.push({ origin: 'page', method: req.method, url: req.url, at: Date.now(), byPage: req.headers['sec-fetch-dest'] === 'image' });
    const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);

    // Browsers ask for it on every page; an empty answer keeps the console free of 404 noise.
    if (path === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }

    if (serveChanging(res, path, `page:${req.url}`, changingSeen)) return;

    // A same-origin URL that redirects to the image origin (no CORS): the picture taints a canvas.
    const away = path.match(/^\/to-images\/([^/]+)$/);
    if (away) {
      res.writeHead(302, { Location: `${imageOrigin}/${away[1]}${new URL(req.url, 'http://x').search}`, 'Cache-Control': 'no-store' });
      return res.end();
    }

    const local = path.match(/^\/local\/([^/]+)$/);
    if (local) {
      const file = galleryImage(local[1]);
      return file ? sendFile(res, file, { 'Cache-Control': 'no-cache' }) : notFound(res);
    }

    const name = path === '/' ? 'index.html' : path.replace(/^\//, '');
    const file = fileIfExists(DEMO_DIR, name);
    if (!file) return notFound(res);
    const ext = extname(file).toLowerCase();
    if (!TEXT_EXT.has(ext)) return sendFile(res, file);
    const text = readFileSync(file, 'utf8')
      .replaceAll('{{GALLERY}}', () => galleryHtml(imageOrigin))
      .replaceAll('{{IMAGES}}', imageOrigin);
    send(res, 200, TYPES[ext], text, { 'Cache-Control': 'no-cache' });
  });

  const sockets = [trackSockets(imageServer), trackSockets(pageServer)];

  // The image origin is named "localhost" while the page origin is 127.0.0.1: different hosts,
  // so the browser treats every gallery image as cross-origin.
  const boundImagePort = await listen(imageServer, imagePort, '127.0.0.1');
  imageOrigin = `http://localhost:${boundImagePort}`;
  // Browsers may try ::1 first for "localhost"; answer there too when the machine has IPv6.
  const imageServer6 = createServer((req, res) => imageServer.emit('request', req, res));
  sockets.push(trackSockets(imageServer6));
  const has6 = await listen(imageServer6, boundImagePort, '::1').then(
    () => true,
    () => false,
  );
  const boundPagePort = await listen(pageServer, pagePort, '127.0.0.1');
  const pageOrigin = `http://127.0.0.1:${boundPagePort}`;

  let closing;
  function close() {
    closing ??= (async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const servers = [imageServer, pageServer, ...(has6 ? [imageServer6] : [])];
      const closed = servers.map((s) => new Promise((r) => s.close(() => r())));
      for (const set of sockets) for (const socket of set) socket.destroy();
      await Promise.all(closed);
    })();
    return closing;
  }

  return { pageOrigin, imageOrigin, requests, close };
}

// `node scripts/demo-server.mjs`: fixed, memorable ports for trying pages by hand.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const pagePort = Number(process.env.DEMO_PAGE_PORT) || 8180;
  const imagePort = Number(process.env.DEMO_IMAGE_PORT) || 8181;
  const server = await startDemoServer({ pagePort, imagePort });
  console.log(`Megane demo gallery: ${server.pageOrigin}/`);
  console.log(`Every kind of image: ${server.pageOrigin}/kinds.html`);
  console.log(`(images are served cross-origin from ${server.imageOrigin}; Ctrl-C to stop)`);
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
