// Checks the e2e plumbing itself (demo server, browser launcher) with a throwaway extension, so a
// failure here points at the harness rather than at Megane.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { galleryImages, launchWithExtension, startDemoServer, type DemoServer } from './index';
import { SAMPLER_SCRIPT, seenIn } from './observe';

describe('demo server', () => {
  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(() => server?.close());

  it('serves pages and images from two different origins', () => {
    expect(new URL(server.pageOrigin).host).not.toBe(new URL(server.imageOrigin).host);
  });

  it('serves every gallery image with its content type and no CORS header', async () => {
    expect(galleryImages().length).toBeGreaterThanOrEqual(56);
    for (const { file } of galleryImages()) {
      const res = await fetch(`${server.imageOrigin}/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type')).toBe(file.endsWith('.png') ? 'image/png' : 'image/jpeg');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      await res.arrayBuffer();
    }
  });

  it('fills in the image origin and the gallery grid in pages', async () => {
    const index = await (await fetch(`${server.pageOrigin}/`)).text();
    expect(index).not.toContain('{{');
    expect(index.match(/<img /g)?.length).toBe(galleryImages().length);
    const kinds = await (await fetch(`${server.pageOrigin}/kinds.html`)).text();
    expect(kinds).toContain(`${server.imageOrigin}/photo-cat-tabby.jpg`);
    const css = await (await fetch(`${server.pageOrigin}/kinds.css`)).text();
    expect(css).toContain(server.imageOrigin);
  });

  it('serves the broken image as image/jpeg and delays /slow/ responses', async () => {
    const garbage = await fetch(`${server.imageOrigin}/garbage.jpg`);
    expect(garbage.headers.get('content-type')).toBe('image/jpeg');
    const started = Date.now();
    const slow = await fetch(`${server.imageOrigin}/slow/photo-owl.jpg?ms=300`);
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('refuses paths outside the fixture folders', async () => {
    expect((await fetch(`${server.pageOrigin}/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${server.imageOrigin}/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('closes promptly while a /never.jpg request hangs', async () => {
    const other = await startDemoServer();
    const hanging = fetch(`${other.imageOrigin}/never.jpg`).then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await hanging).toBe('dropped');
  });
});

describe('launchWithExtension', () => {
  let extensionDir: string;
  beforeAll(() => {
    // A minimal MV3 extension: a service worker and a content script that marks the page.
    extensionDir = mkdtempSync(join(tmpdir(), 'megane-fake-ext-'));
    writeFileSync(
      join(extensionDir, 'manifest.json'),
      JSON.stringify({
        manifest_version: 3,
        name: 'harness check',
        version: '0.0.1',
        background: { service_worker: 'worker.js' },
        content_scripts: [{ matches: ['<all_urls>'], js: ['content.js'], run_at: 'document_end' }],
      }),
    );
    writeFileSync(join(extensionDir, 'worker.js'), 'self.harnessReady = true;\n');
    writeFileSync(join(extensionDir, 'content.js'), "document.documentElement.dataset.harness = 'ran';\n");
  });
  afterAll(() => rmSync(extensionDir, { recursive: true, force: true }));

  it('loads an unpacked extension and reports its id and service worker', async () => {
    const server = await startDemoServer();
    const browser = await launchWithExtension({ extensionDir });
    try {
      expect(browser.extensionId).toMatch(/^[a-p]{32}$/);
      expect(await browser.serviceWorker.evaluate(() => (self as unknown as { harnessReady: boolean }).harnessReady)).toBe(true);
      expect(browser.extensionUrl('/popup.html')).toBe(`chrome-extension://${browser.extensionId}/popup.html`);

      const page = await browser.context.newPage();
      await page.goto(`${server.pageOrigin}/kinds.html`);
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.harness)).toBe('ran');
      // The page's images really came from the other origin.
      expect(server.requests.some((r) => r.origin === 'image' && r.url === '/photo-cat-tabby.jpg')).toBe(true);

      // With nothing covering them, the frame sampler sees every kind of image flash, including a
      // stylesheet background: the flash checks of the Megane tests can fail.
      const sampled = await browser.context.newPage();
      await sampled.addInitScript(SAMPLER_SCRIPT);
      await sampled.goto(`${server.pageOrigin}/kinds.html`, { waitUntil: 'load' });
      await expect
        .poll(async () => {
          const seen = await seenIn(sampled);
          return ['plain', 'bg', 'bg-pseudo', 'bg-inline', 'poster'].map((id) => (seen[id]?.flashes ?? 0) > 0 && seen[id]?.covered === 0);
        })
        .toEqual([true, true, true, true, true]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
