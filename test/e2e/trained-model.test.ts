// A model trained with `npm run train` on an exported dataset runs in the extension: the options page
// imports its folder, the offscreen host scores with it, its scores agree with the same model in Node,
// and hiding a tag it decides covers what it scores over the threshold.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodePixels } from '../../scripts/train/dataset';
import { parseMeganeModel } from '../../src/train/megane-model';
import { fileModelLoader } from '../../scripts/train/train-loop';
import { exportZip, galleryByKind, galleryThumbnail, markRecord } from '../unit/train-fixtures';
import { launchWithExtension, startDemoServer, type DemoServer, type ExtensionBrowser } from './helpers';
import { patchSettings } from './helpers/extension';
import { stateOfTile } from './helpers/gallery-page';

const ROOT = resolve(import.meta.dirname, '..', '..');
const INPUT = 48;

let browser: ExtensionBrowser;
let server: DemoServer;
let dir: string;
let out: string;
/** Gallery files the model was not trained on, and what it scores for them in Node. */
const unseen: { file: string; node: number }[] = [];

function train(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn('npm', ['run', 'train', '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, output }));
  });
}

/**
 * What the model gives in Node for a gallery file, fed as in training: the thumbnail a mark keeps, decoded
 * by the trainer's own decodePixels (stretched to its input, RGB), / 255, sigmoid.
 */
async function nodeScore(model: tf.LayersModel, file: string): Promise<number> {
  const thumbnail = await galleryThumbnail(file);
  const data = await decodePixels({ bytes: thumbnail.bytes, file, key: file }, INPUT);
  const score = tf.tidy(() => tf.sigmoid(model.predict(tf.div(tf.tensor4d(data, [1, INPUT, INPUT, 3], 'int32'), 255)) as tf.Tensor));
  const [value] = await score.data();
  score.dispose();
  return value ?? Number.NaN;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'megane-model3-'));
  const { photos, drawings } = galleryByKind();
  // Trained on the first 16 of each kind, tagged as the user would with "Tag as ▸ Photo"; the rest is unseen.
  const records = await Promise.all([
    ...photos.slice(0, 16).map(async (f) => markRecord(`https://img.test/${f}`, { tags: ['photo'] }, await galleryThumbnail(f))),
    ...drawings.slice(0, 16).map(async (f) => markRecord(`https://img.test/${f}`, { tags: ['illust'] }, await galleryThumbnail(f))),
  ]);
  const zip = join(dir, 'export.zip');
  writeFileSync(zip, exportZip(records));
  out = join(dir, 'model');
  const run = await train([
    '--data',
    zip,
    '--out',
    out,
    '--tags',
    'photo',
    '--input-size',
    String(INPUT),
    '--epochs',
    '4',
    '--batch',
    '8',
    '--learning-rate',
    '0.001',
    '--val-fraction',
    '0.3',
  ]);
  if (run.code !== 0) throw new Error(`npm run train failed:\n${run.output}`);

  await tf.setBackend('cpu');
  const model = await tf.loadLayersModel(fileModelLoader(out));
  for (const file of [...photos.slice(16, 24), ...drawings.slice(16, 24)]) unseen.push({ file, node: await nodeScore(model, file) });
  model.dispose();

  server = await startDemoServer();
  browser = await launchWithExtension();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a trained model (model3) in the extension', () => {
  let page: Page;

  it('imports from its folder in the options page and becomes the active model', async () => {
    const descriptor = parseMeganeModel(JSON.parse(readFileSync(join(out, 'megane-model.json'), 'utf8')));
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await options
      .locator('#import-model-files')
      .setInputFiles(['megane-model.json', descriptor.modelFile, 'weights.bin'].map((f) => join(out, f)));
    await expect.poll(() => options.locator('#import-model-result').textContent(), { timeout: 30_000 }).toContain('Imported model3');
    expect(await options.locator('#trained-tags tr[data-tag="photo"]').count()).toBe(1);
    expect(await activeModel()).toBe(`model3@${descriptor.trainedAt}`);
    await options.close();
  });

  /** The trained model's photo score for an image URL, from the offscreen host. */
  const hostScore = async (url: string, trained: string): Promise<number> => {
    // The page's first images create the offscreen document; until its listener is up, ask again.
    const ask = () =>
      browser.serviceWorker.evaluate(
        async ({ url, trained }) =>
          chrome.runtime.sendMessage({
            channel: 'background->offscreen',
            type: 'classify',
            config: { model: 'mobilenet_v2_mid', backend: 'auto', detectors: [], personal: null, trained, workers: 0 },
            job: { url },
          }),
        { url, trained },
      );
    let answer: unknown;
    for (let attempt = 0; ; attempt++) {
      try {
        answer = await ask();
        break;
      } catch (error) {
        if (attempt > 40 || !String(error).includes('Receiving end does not exist')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const score = (answer as { trained?: { tags: { photo?: number } } }).trained?.tags.photo;
    if (typeof score !== 'number') throw new Error(`no trained score for ${url.slice(0, 80)}: ${JSON.stringify(answer).slice(0, 200)}`);
    return score;
  };
  const activeModel = () =>
    browser.serviceWorker.evaluate(
      async () => ((await chrome.storage.local.get('settings')).settings as { trainedModel?: string } | undefined)?.trainedModel ?? '',
    );
  /** The host's scores for the unseen gallery images, as the page's images are checked. */
  const chromium = new Map<string, number>();

  it('scores the same pixels in the offscreen host as the same model does in Node', async () => {
    page = await browser.context.newPage();
    await page.goto(`${server.pageOrigin}/index.html`); // starts the offscreen host with the trained model
    const id = await activeModel();
    const diffs: number[] = [];
    for (const { file, node } of unseen) {
      // The exact pixels Node scored, as a PNG at the model's size: no resize on either side.
      const thumbnail = await galleryThumbnail(file);
      const pixels = await decodePixels({ bytes: thumbnail.bytes, file, key: file }, INPUT);
      const png = await sharp(Buffer.from(pixels), { raw: { width: INPUT, height: INPUT, channels: 3 } })
        .png()
        .toBuffer();
      diffs.push(Math.abs((await hostScore(`data:image/png;base64,${png.toString('base64')}`, id)) - node));
    }
    const max = Math.max(...diffs);
    console.info(
      `trained model on the same pixels, Chromium (WASM) vs Node (CPU), ${diffs.length} images: max |Δ| ${max.toExponential(2)}`,
    );
    expect(max).toBeLessThan(1e-3);
  }, 120_000);

  it('scores the original images close to Node, decoding them itself', async () => {
    const id = await activeModel();
    const diffs: number[] = [];
    for (const { file, node } of unseen) {
      const score = await hostScore(`${server.imageOrigin}/${file}`, id);
      chromium.set(file, score);
      diffs.push(Math.abs(score - node));
    }
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const max = Math.max(...diffs);
    // Node feeds the 256 px thumbnail a mark keeps through sharp; the host makes the same thumbnail from
    // the original with createImageBitmap, then stretches it to the input. The filters differ a little,
    // and a small, briefly trained model magnifies that. Training is not bit-for-bit repeatable, so the
    // numbers move between runs: mean 0.07-0.08 and max 0.23-0.39 over four runs on 2026-12-04 (earlier
    // runs: mean 0.02-0.07, max 0.04-0.22). One direct resize instead gives mean 0.12, max 0.40: the mean
    // is what tells the right decoding from a wrong one; the max bound only catches one image gone badly
    // wrong (a flipped or channel-swapped decode). The exact agreement is the test above.
    console.info(
      `trained model on the original images, Chromium vs Node, ${diffs.length} images: mean |Δ| ${mean.toFixed(4)}, max ${max.toFixed(4)}`,
    );
    expect(mean).toBeLessThan(0.1);
    expect(max).toBeLessThan(0.5);
  }, 120_000);

  it('hiding a tag the trained model decides covers the images it scores over the threshold', async () => {
    await patchSettings(browser.serviceWorker, { tags: { photo: { hide: true } }, tagSources: { photo: 'trained' } });
    await page.reload();
    // The host's own scores for these images decide, so the page must follow them exactly.
    const clear = [...chromium].filter(([, score]) => Math.abs(score - 0.5) > 0.02);
    for (const [file, score] of clear) {
      await page.locator(`img[data-file="${file}"]`).scrollIntoViewIfNeeded();
      await expect.poll(() => stateOfTile(page, file), { timeout: 60_000 }).toBe(score >= 0.5 ? 'hidden' : 'shown');
    }
    expect(clear.length).toBeGreaterThan(0);
  }, 180_000);
});
