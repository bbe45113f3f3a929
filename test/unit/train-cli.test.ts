// `npm run train` end to end: the real CLI in a child process, on a tiny export, at a tiny input size
// (36 px, so a run takes seconds; scripts/train/bench-train.ts measures 256 px).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMeganeModel } from '../../src/train/megane-model';
import { fileModelLoader } from '../../scripts/train/train-loop';
import { exportDataset } from '../../src/marks/dataset-zip';
import { colourThumbnail, markRecord } from './train-fixtures';

const ROOT = resolve(import.meta.dirname, '..', '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const train = (...args: string[]) => run(join(ROOT, 'node_modules', '.bin', 'vite-node'), ['scripts/train/train-model3.ts', '--', ...args]);

let dir: string;
let zip: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'megane-cli-'));
  const red = await colourThumbnail(220, 30, 30);
  const blue = await colourThumbnail(30, 30, 220);
  const records = Array.from({ length: 12 }, (_, i) =>
    markRecord(
      `https://img.example/${i}.jpg`,
      i % 2 ? { tags: ['dog', 'user:blue_things'], dislike: true } : { tags: ['cat'], like: true },
      i % 2 ? blue : red,
    ),
  );
  zip = join(dir, 'export.zip');
  // One of the user's own tags, named in the export's tags.json.
  const customTags = [{ id: 'user:blue_things' as const, label: 'Blue things' }];
  await writeFile(zip, exportDataset(records, { exportedAt: 1_700_000_000_000, extensionVersion: 'test', customTags }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run train', () => {
  it('prints usage with --help, through the npm script', async () => {
    const result = await run('npm', ['run', '--silent', 'train', '--', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run train -- --data export.zip --out DIR \[options\]/);
    expect(result.stdout).toContain('--mining-ratio R');
  });

  it('answers bad arguments with a message and exit code 2, and a dataset it cannot use with 1', async () => {
    const out = join(dir, 'never');
    const [unknown, missing, badTag, noPositives, notZip] = await Promise.all([
      train('--data', zip, '--out', out, '--frobnicate'),
      train('--out', out),
      train('--data', zip, '--out', out, '--tags', 'cat,kitten'),
      train('--data', zip, '--out', out, '--tags', 'food'),
      train('--data', join(ROOT, 'package.json'), '--out', out),
    ]);
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('train: unknown argument "--frobnicate"\nRun with --help for usage.'),
    });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('train: --data is required') });
    expect(badTag).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("train: unknown tag 'kitten' in --tags; known tags: original_art, nsfw,"),
    });
    expect(noPositives).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`tag 'food' has no positive examples in ${zip}; mark some images or drop it from --tags`),
    });
    expect(notZip).toMatchObject({ code: 1, stderr: expect.stringContaining('Not a Megane dataset: the file is not a ZIP archive') });
  });

  it('trains, writes a model folder the extension can read, and resumes', async () => {
    const out = join(dir, 'model');
    const common = [
      '--data',
      zip,
      '--out',
      out,
      '--input-size',
      '36',
      '--batch',
      '4',
      '--val-fraction',
      '0.3',
      '--tags',
      'cat,dislike,user:blue_things',
    ];
    const first = await train(...common, '--epochs', '1');
    expect(first.stderr).not.toMatch(/CPU backend/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('backend wasm; input 36x36, batch 4 in passes of 4');
    expect(first.stdout).toMatch(/epoch 0 \(untrained\): validation loss \d\.\d{4}/);
    expect(first.stdout).toMatch(/epoch 1: train loss \d\.\d{4}, validation loss \d\.\d{4}/);
    expect(first.stderr).toMatch(/epoch 1\/1 \[#+\] 8\/8 images {2}loss \d\.\d{4} {2}[\d.]+ img\/s {2}ETA 0s/);

    const descriptor = parseMeganeModel(JSON.parse(await readFile(join(out, 'megane-model.json'), 'utf8')));
    expect(descriptor).toMatchObject({
      name: 'model3',
      inputSize: 36,
      tags: ['cat', 'dislike', 'user:blue_things'],
      customTags: [{ id: 'user:blue_things', label: 'Blue things' }],
      output: 'logits',
      dataset: { images: 12, train: 8, validation: 4 },
    });
    expect(descriptor.training?.epochs).toBe(1);
    expect(Object.keys(descriptor.metrics)).toEqual(['cat', 'dislike', 'user:blue_things']);
    await tf.setBackend('cpu');
    const model = await tf.loadLayersModel(fileModelLoader(out));
    const logits = model.predict(tf.zeros([1, 36, 36, 3])) as tf.Tensor;
    expect(logits.shape).toEqual([1, 3]);
    tf.dispose([logits]);
    model.dispose();

    const again = await train(...common, '--epochs', '2');
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining('already has a checkpoint of an earlier run; pass --resume') });

    const resumed = await train(...common, '--epochs', '2', '--resume');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`resuming after epoch 1 of ${out}`);
    expect(resumed.stdout).not.toContain('epoch 1:');
    expect(resumed.stdout).toContain('epoch 2:');
    const after = parseMeganeModel(JSON.parse(await readFile(join(out, 'megane-model.json'), 'utf8')));
    expect(after.training?.epochs).toBe(2);
  });
});
