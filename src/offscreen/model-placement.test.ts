import { describe, expect, it } from 'vitest';
import { say } from '../background/say';
import { FakeModelWorker } from '../../test/helpers/fake-model-worker';
import type { Backend } from '../model/backends';
import { MODELS } from '../model/catalog';
import { createModelPlacement, runsOnDevice } from './model-placement';

function placement(
  options: { startError?: (n: number) => string | null; hereFails?: Backend[]; hangStart?: boolean; runningHere?: string | null } = {},
) {
  const workers: FakeModelWorker[] = [];
  const startedHere: Backend[] = [];
  const loadedHere: string[] = [];
  const p = createModelPlacement({
    runningHere: () => options.runningHere ?? null,
    startTimeoutMs: 50,
    newWorker: () => {
      const w = new FakeModelWorker({ startError: options.startError?.(workers.length) ?? null, hangStart: options.hangStart ?? false });
      workers.push(w);
      return w as unknown as Worker;
    },
    wasmWorkers: (workers) => workers || 3,
    startHere: async (backend) => {
      startedHere.push(backend);
      return options.hereFails?.includes(backend) ? `${backend} missing` : null;
    },
    loadHere: async (spec) => {
      loadedHere.push(spec.id);
      return { predict: async () => [], dispose() {} };
    },
  });
  return { p, workers, startedHere, loadedHere };
}

describe('runsOnDevice', () => {
  it.each([
    ['webgpu', true],
    ['webgl', true],
    ['wasm', false],
    ['cpu', false],
  ] as const)('%s → %s', (backend, expected) => expect(runsOnDevice(backend)).toBe(expected));
});

describe('createModelPlacement', () => {
  it('starts a GPU backend in a model worker and loads the model in that same worker; the document runs WASM', async () => {
    const { p, workers, startedHere } = placement();
    expect(await p.start('webgl')).toBeNull();
    expect(workers.map((w) => w.starts)).toEqual([['webgl']]);
    expect(startedHere).toEqual(['wasm']);
    const model = await p.load(MODELS.mobilenet_v2_mid, 'webgl', 0);
    expect(model.lanes).toBe(1);
    expect(workers).toHaveLength(1);
    expect(workers[0]?.loads).toEqual(['webgl']);
  });

  it('says why a GPU backend did not start in the worker and ends that worker', async () => {
    const { p, workers, startedHere } = placement({ startError: () => 'WebGPU failed to start (no adapter)' });
    expect(await p.start('webgpu')).toBe('WebGPU failed to start (no adapter)');
    expect(workers[0]?.terminated).toBe(true);
    expect(startedHere).toEqual([]);
  });

  it('the document falls back to the CPU when its WASM does not start', async () => {
    const { p, startedHere } = placement({ hereFails: ['wasm'] });
    expect(await p.start('webgpu')).toBeNull();
    expect(startedHere).toEqual(['wasm', 'cpu']);
  });

  it('WASM starts in the document and loads in a pool of workers, each starting WASM itself', async () => {
    const { p, workers, startedHere } = placement();
    expect(await p.start('wasm')).toBeNull();
    expect(startedHere).toEqual(['wasm']);
    expect(workers).toHaveLength(0);
    const model = await p.load(MODELS.mobilenet_v2_mid, 'wasm', 2);
    expect(model.lanes).toBe(2);
    expect(workers.map((w) => [w.starts, w.loads])).toEqual([
      [[], ['wasm']],
      [[], ['wasm']],
    ]);
  });

  it('the CPU fallback loads in the document', async () => {
    const { p, workers, loadedHere } = placement();
    expect(await p.start('cpu')).toBeNull();
    await p.load(MODELS.mobilenet_v2_mid, 'cpu', 0);
    expect(loadedHere).toEqual(['mobilenet_v2_mid']);
    expect(workers).toHaveLength(0);
  });

  it('a GPU worker started and then passed over (the choice moved on) is ended, and a reload starts a fresh one', async () => {
    const { p, workers } = placement();
    expect(await p.start('webgl')).toBeNull();
    expect(await p.start('wasm')).toBeNull();
    expect(workers[0]?.terminated).toBe(true);
    // A load on a GPU backend with no worker waiting (a reload after a loss) gets a new worker, which starts it with the load.
    await p.load(MODELS.mobilenet_v2_mid, 'webgl', 0);
    expect(workers).toHaveLength(2);
    expect(workers[1]?.loads).toEqual(['webgl']);
  });

  it('a worker that never says whether its GPU started is ended after the time limit, and the choice moves on', async () => {
    const { p, workers } = placement({ hangStart: true });
    expect(say((await p.start('webgpu')) ?? '')).toBe('it did not start within 0 s');
    expect(workers[0]?.terminated).toBe(true);
  });

  it('a worker started on one GPU backend is ended when the model loads on another', async () => {
    const { p, workers } = placement();
    expect(await p.start('webgpu')).toBeNull();
    await p.load(MODELS.mobilenet_v2_mid, 'webgl', 0);
    expect(workers[0]?.terminated).toBe(true);
    expect(workers[1]?.loads).toEqual(['webgl']);
  });

  it.each([
    [null, ['wasm']],
    ['webgl', ['wasm']],
    ['webgpu', ['wasm']],
    ['wasm', []],
    ['cpu', []],
  ] as const)('readyHere with the document on %s starts %j (its own tfjs never takes a GPU)', async (running, started) => {
    const { p, startedHere } = placement({ runningHere: running });
    await p.readyHere();
    expect(startedHere).toEqual(started);
  });
});
