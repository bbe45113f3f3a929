import { describe, expect, it } from 'vitest';
import { say } from '../background/say';
import { type Words, wordsOf } from '../messaging/words';
import type { Backend } from '../model/backends';
import { MODELS } from '../model/catalog';
import { loadPooledModel } from './inference-pool';
import { FakeModelWorker } from '../../test/helpers/fake-model-worker';

const bitmap = () => ({ close() {} }) as unknown as ImageBitmap;
const tick = () => new Promise((r) => setTimeout(r, 0));

async function pool(size: number, loadError: (i: number) => string | null = () => null, backend: Backend = 'wasm') {
  const workers: FakeModelWorker[] = [];
  const model = loadPooledModel(
    MODELS.mobilenet_v2_mid,
    size,
    () => {
      const w = new FakeModelWorker({ loadError: loadError(workers.length) });
      workers.push(w);
      return w as unknown as Worker;
    },
    backend,
  );
  return { model, workers };
}

describe('loadPooledModel', () => {
  it('scores one batch per worker at once; a third waits for a free worker', async () => {
    const { model, workers } = await pool(2);
    const m = await model;
    expect(m.lanes).toBe(2);
    const answers = [m.predict([bitmap()]), m.predict([bitmap(), bitmap()]), m.predict([bitmap()])];
    await tick();
    expect(workers.map((w) => w.held.length)).toEqual([1, 1]);
    workers[1]?.finish();
    await expect(answers[1]).resolves.toHaveLength(2);
    await tick();
    expect(workers.map((w) => w.held.length)).toEqual([1, 1]);
    workers[0]?.finish();
    workers[1]?.finish();
    await expect(Promise.all(answers)).resolves.toHaveLength(3);
    // Each worker's count after its last batch: 101 and 101 here.
    expect(m.tensors?.()).toBe(202);
  });

  it('fails when a worker cannot load, and terminates them all', async () => {
    const { model, workers } = await pool(3, (i) => (i === 1 ? 'weights missing' : null));
    await expect(model).rejects.toThrow('weights missing');
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('a worker that stops fails what it was scoring and every later predict', async () => {
    const { model, workers } = await pool(2);
    const m = await model;
    const running = m.predict([bitmap()]);
    await tick();
    workers[0]?.crash();
    // Its words say why: the host's status may show them.
    const said = (work: Promise<unknown>) =>
      work.then(
        () => null,
        (error: unknown) => say(wordsOf(error)),
      );
    expect(await said(running)).toBe('a model worker stopped (out of memory)');
    expect(await said(m.predict([bitmap()]))).toBe('a model worker stopped (out of memory)');
  });

  it("loads a detector in every worker; its batches take a free worker like the model's", async () => {
    const { model, workers } = await pool(2);
    const m = await model;
    const faces = await m.loadDetector('faces');
    expect(workers.map((w) => w.extras)).toEqual([['load detector:faces'], ['load detector:faces']]);
    expect([faces.decodeSize, faces.fit]).toEqual([512, 'contain']);
    const nsfw = m.predict([bitmap()]);
    const found = faces.scoreBatch([bitmap(), bitmap()]);
    const third = faces.scoreBatch([bitmap()]);
    await tick();
    // Two workers, two batches in flight: the third waits for whichever frees first.
    expect(workers.map((w) => w.held.map((h) => h.extra))).toEqual([['nsfw'], ['detector:faces']]);
    workers[1]?.finish();
    await expect(found).resolves.toEqual([{ tags: { 'detector:faces': 1 } }, { tags: { 'detector:faces': 1 } }]);
    await tick();
    expect(workers[1]?.held.map((h) => h.extra)).toEqual(['detector:faces']);
    workers[0]?.finish();
    workers[1]?.finish();
    await expect(Promise.all([nsfw, third])).resolves.toHaveLength(2);
    faces.dispose();
    expect(workers[0]?.extras).toEqual(['load detector:faces', 'unload detector:faces']);
  });

  it('loads a trained model in the workers and answers its tags', async () => {
    const { model, workers } = await pool(1);
    const m = await model;
    const trained = await m.loadTrained('model3-v1');
    expect([trained.inputSize, trained.tags]).toEqual([224, ['cat']]);
    const scores = trained.predict([bitmap()]);
    await tick();
    workers[0]?.finish();
    await expect(scores).resolves.toEqual([{ tags: { 'trained:model3-v1': 1 } }]);
  });

  it('dispose terminates the workers and fails what waits', async () => {
    const { model, workers } = await pool(1);
    const m = await model;
    const running = m.predict([bitmap()]);
    const waiting = m.predict([bitmap()]);
    await tick();
    m.dispose();
    await expect(running).rejects.toThrow('unloaded');
    await expect(waiting).rejects.toThrow('unloaded');
    expect(workers[0]?.terminated).toBe(true);
  });

  it('loads the model on the backend it was given, and tells the host of a lost device once it watches', async () => {
    const { model, workers } = await pool(1, () => null, 'webgl');
    const m = await model;
    expect(workers[0]?.loads).toEqual(['webgl']);
    // Lost before the host watches: told as soon as it does, once.
    workers[0]?.loseDevice('the WebGL context was lost');
    const told: Words[] = [];
    const unwatch = m.watchDevice((why) => told.push(why));
    workers[0]?.loseDevice('the WebGL context was lost');
    expect(told).toEqual(['the WebGL context was lost']);
    unwatch();
  });

  it('tells nobody once the host stopped watching', async () => {
    const { model, workers } = await pool(1, () => null, 'webgpu');
    const m = await model;
    const told: Words[] = [];
    m.watchDevice((why) => told.push(why))();
    workers[0]?.loseDevice('the WebGPU device was lost (destroyed)');
    expect(told).toEqual([]);
  });
});
