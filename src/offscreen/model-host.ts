// The model host: owns the loaded models and their backend, turns image jobs into scores. Images are
// fetched and decoded independently (each with its own time limit, so one slow image never holds
// back the others); decoded images that are ready together are scored in one batched predict. An
// animated image is scored on a bounded number of its frames, queued together so they share a batch,
// and the worst frame decides (worst-frame.ts).
// Detectors (faces, objects) load only when a job asks for them, i.e. when an enabled tag rule
// needs their tags; with only the NSFW rule on, none is ever loaded.
// Model health: every answer is checked (score-check.ts) and a broken one is "couldn't check", never
// safe; a known image is scored at start and again while work flows (the watchdog); a broken answer,
// a drifting watchdog reading or a lost GPU retires the loaded models and resets the backend, and the
// next image loads them afresh. Images in flight on a retired model are scored again on the new one.
// The status names messages for people (words.ts): this document cannot read them; the service
// worker says them.
import {
  CANCELLED,
  type HostStatus,
  type ImageJob,
  type ModelConfig,
  type ModelState,
  type OffscreenResult,
  type TrainedScores,
} from '../messaging/background-offscreen';
import { type Words, WordsError, words, wordsOf, wordsText } from '../messaging/words';
import type { Backend, BackendChoice } from '../model/backends';
import { MODELS, type ModelId, type ModelSpec } from '../model/catalog';
import { fuseDetectorScores } from '../tags/fuse-scores';
import { DETECTORS, type AnyTagId, type Detector, type FaceBox, type TagId } from '../tags/vocabulary';
import { applyPersonalModel, type PersonalModel } from '../personal/personal-model';
import { createLimitedDecoder, type Decoded } from './limited-decode';
import { createBatcher, type Batcher } from './micro-batcher';
import { chooseBatchSize, measureBatchSizes } from './batch-tuning';
import { errorText } from '../util/checks';
import { worstFrame, type FrameScores } from './worst-frame';
import { classesProblem, scoresProblem } from '../model/score-check';
import { DRIFT_TOLERANCE, drift } from '../model/reference-image';

export type TagScores = Partial<Record<TagId, number>>;
export type Fit = 'stretch' | 'contain';
/**
 * How to downscale: 'low' is closest to the NSFW models' bilinear resize (measured in the bench,
 * docs/benchmark.md); 'high' goes through a smoothed 256 px thumbnail first, the route a trained model's
 * images took (a mark's thumbnail, decoded by `npm run train`), which brings Chromium's scores much
 * closer to Node's than one direct resize (figures: docs/training.md, "Chromium and Node agree").
 */
export type ResizeQuality = 'low' | 'high';

/** What the host needs from the platform; the offscreen page wires tfjs and DOM decoding in. */
export interface ModelHostDeps<Source, Pixels> {
  /** Starts a backend for `choice`, never one in `avoid` (backends lost twice). */
  setupBackend(choice: BackendChoice, avoid: readonly Backend[]): Promise<{ backend: Backend; reason: Words }>;
  /** Frees a backend's state (its GPU context, its WASM memory) so the next setup starts it afresh. */
  resetBackend?(backend: Backend): void;
  /** The watchdog's known image (reference-image.ts) decoded at `size`; without it there is no watchdog. */
  referencePixels?(size: number): Promise<Pixels>;
  /** Loads the NSFW model on `backend`, which setupBackend started; `workers` is ModelConfig's. */
  loadModel(spec: ModelSpec, backend: Backend, workers: number): Promise<HostedModel<Pixels>>;
  loadDetector(kind: Detector): Promise<HostedDetector<Pixels>>;
  /**
   * Fetches one image within its own fetch limits (fetch-limits.ts), without cookies when `anonymous`
   * (ImageJob.anonymous); throws a readable Error.
   */
  loadSource(url: string, signal: AbortSignal, anonymous: boolean): Promise<Source>;
  /**
   * Decodes a fetched image; throws a readable Error. 'stretch' gives exactly size x size (the NSFW
   * models were trained on squashed squares); 'contain' keeps the aspect ratio at `size` wide, for
   * detectors that letterbox. `signal` aborts when the decode's time runs out: the decode must stop.
   */
  toPixels(source: Source, size: number, fit: Fit, quality: ResizeQuality | undefined, signal: AbortSignal): Promise<Pixels>;
  /**
   * For an animated image: runs `decodeFrame` on a bounded number of its frames spread over the
   * animation and returns the results in frame order; null for a still image, which `toPixels` decodes
   * whole. Frames that fail to decode are left out; throws a readable Error when none decodes. Without
   * it every image is scored by the frame `toPixels` decodes (the first).
   */
  eachFrame?<T>(source: Source, signal: AbortSignal, decodeFrame: (frame: Source) => Promise<T>, url: string): Promise<T[] | null>;
  /** Frees decoded pixels that will not be scored. */
  release(pixels: Pixels): void;
  /** The user's personal model for an NSFW model (trained from their marks), null when there is none. */
  loadPersonal(model: ModelId): Promise<PersonalModel | null>;
  /** An imported trained model (model3), by its id. */
  loadTrained(id: string): Promise<HostedTrainedModel<Pixels>>;
  /**
   * Orders the jobs waiting for a download or a place among the decoded: lower goes first
   * (check-priority.ts). Asked each time a queue picks, so it may change while a job waits.
   */
  priorityOf?(job: ImageJob): number;
}

/** An imported trained model: square input, stretched; sigmoid tag scores out. */
export interface HostedTrainedModel<Pixels> {
  inputSize: number;
  /** The tags it scores, in output order: each answer must have all of them. */
  tags: readonly AnyTagId[];
  /** Scores a batch, results in order; takes ownership of the pixels. */
  predict(batch: Pixels[]): Promise<TrainedScores['tags'][]>;
  dispose(): void;
}

export interface Prediction {
  classes: number[];
  embedding: number[];
  /** Tags computed from the classes and the embedding (nsfw, photo, illust, ...). */
  tags: TagScores;
}

export interface HostedModel<Pixels> {
  /** Batches it scores at once (a pool of model workers); 1 when absent. */
  lanes?: number;
  /** Tensors it holds, where they live apart from this document's tfjs (model workers); after its last batch. */
  tensors?(): number;
  /** Scores a batch; takes ownership of the pixels. */
  predict(batch: Pixels[]): Promise<Prediction[]>;
  /**
   * Loads a detector where this model runs (its model workers), to share their cores; without it the
   * host loads detectors with deps.loadDetector, in its own document.
   */
  loadDetector?(kind: Detector): Promise<HostedDetector<Pixels>>;
  /** The same for an imported trained model (deps.loadTrained without it). */
  loadTrained?(id: string): Promise<HostedTrainedModel<Pixels>>;
  /**
   * Calls `onLost` once when the device under the model goes away (a lost WebGL context, a lost
   * WebGPU device, seen where the model runs: its model worker); returns the function that stops
   * watching. Absent where there is no device (WASM, CPU).
   */
  watchDevice?(onLost: (why: Words) => void): () => void;
  dispose(): void;
}

export interface DetectorResult {
  tags: TagScores;
  faces?: FaceBox[];
}

export interface HostedDetector<Pixels> {
  /** Width (and for 'stretch', height) to decode the image at for this detector. */
  decodeSize: number;
  fit: Fit;
  /** Scores a batch of images, results in order; takes ownership of the pixels. */
  scoreBatch(batch: Pixels[]): Promise<DetectorResult[]>;
  dispose(): void;
}

export interface ModelHostOptions {
  /**
   * Time allowed to decode an image once it is fetched, counted from the last decoded frame. The
   * fetch has its own limits (loadSource).
   */
  decodeTimeoutMs: number;
  /** A backstop for the fetch, whose own limits (loadSource's) should end it first. */
  fetchTimeoutMs: number;
  /** Largest batch for one predict on this backend (measured per backend in `npm run bench`). */
  maxBatch: (backend: Backend) => number;
  /**
   * Images fetched at the same time, fetched images waiting for a decode included (which bounds the
   * memory they hold); of those, images from one host, so a host that never answers holds only these.
   */
  maxConcurrentFetches: number;
  maxFetchesPerHost: number;
  /** Images decoded (or a video scanned) at the same time. */
  maxConcurrentDecodes: number;
  /**
   * Images decoded and not yet scored: past it, fetched images wait to be decoded, so a backlog
   * (models slower than the downloads) costs no memory for pixels.
   */
  maxDecodedImages: number;
  /**
   * Time one batch's prediction may take (default 60 s: a full batch takes seconds on WASM on a busy
   * machine). Past it the backend counts as hung: the models are given up and the images waiting on
   * them are scored again on the reloaded ones.
   */
  inferenceTimeoutMs?: number;
  /**
   * The watchdog scores its image again after this many images or this long, whichever comes first,
   * and resets the backend when that reading takes longer than `timeoutMs` (a hung readback).
   */
  watchdog?: { everyImages: number; everyMs: number; timeoutMs: number };
  /** Clock for the watchdog and the recovery line; tests pass a fake one. */
  now?: () => number;
  /**
   * Backends whose batch size is measured at load (batch-tuning.ts) within `batchTuningMs` (default
   * 3 s), up to maxBatch; elsewhere maxBatch is the size.
   */
  tuneBatchOn?: readonly Backend[];
  batchTuningMs?: number;
}

/** Times one image is scored again because the model it was on was retired (a lost GPU, a reset). */
const MAX_REQUEUES = 2;
/** Loads in a row with unusable scores after which a backend is given up (`unusable`). */
const GARBAGE_LIMIT = 3;
const DEFAULT_WATCHDOG = { everyImages: 200, everyMs: 5 * 60_000, timeoutMs: 30_000 };

/** Thrown into work in flight on a retired model: the image is scored again on the next one. */
class Retired extends Error {}
/** A model's answer that fails score-check.ts. */
class BadScores extends Error {}
const DEFAULT_INFERENCE_TIMEOUT_MS = 60_000;

interface Ready<Pixels> {
  model: HostedModel<Pixels>;
  batcher: Batcher<Pixels, Prediction>;
  maxBatch: number;
}

interface Loaded<Pixels> {
  key: string;
  model: ModelId;
  ready: Promise<Ready<Pixels>>;
  detectors: Map<Detector, Promise<BatchedDetector<Pixels>>>;
  trained: Map<string, Promise<BatchedTrained<Pixels>>>;
  /** The backend the models run on, once set up. */
  backend: Backend | null;
  /** The NSFW model once loaded (for the tensors its workers report). */
  hosted: HostedModel<Pixels> | null;
  /** Set once the models were given up; work in flight on them is scored again. */
  retired: boolean;
  /** Rejects with Retired when the models are given up, so work waiting on a hung readback moves on. */
  retiredSignal: Promise<never>;
  retire: (error: Retired) => void;
  unwatch: () => void;
  /** The watchdog: the first reading of the known image, and when and after how many images it last looked. */
  watchdog: { reference: number[] | null; images: number; at: number; running: boolean };
}

interface BatchedTrained<Pixels> {
  model: HostedTrainedModel<Pixels>;
  batcher: Batcher<Pixels, TagScores>;
}

/** A loaded detector and the queue that gathers images arriving together into one scoreBatch call. */
interface BatchedDetector<Pixels> {
  detector: HostedDetector<Pixels>;
  decodeSize: number;
  fit: Fit;
  batcher: Batcher<Pixels, DetectorResult>;
}

const idleDetectors = (): HostStatus['detectors'] =>
  Object.fromEntries(DETECTORS.map((d) => [d, { state: 'idle' as ModelState }])) as HostStatus['detectors'];

export function createModelHost<Source, Pixels>(deps: ModelHostDeps<Source, Pixels>, options: ModelHostOptions) {
  let current: Loaded<Pixels> | null = null;
  let status: HostStatus = {
    model: 'mobilenet_v2_mid',
    state: 'idle',
    backend: null,
    reason: words('background.model.startsWithFirstImage'),
    detectors: idleDetectors(),
  };
  const decode = createLimitedDecoder(deps, options);
  let personal: { key: string; model: Promise<PersonalModel | null> } | null = null;
  const now = options.now ?? Date.now;
  const watchdog = options.watchdog ?? DEFAULT_WATCHDOG;
  /** Models being disposed and their backend reset; the next load waits for it. */
  let retiring: Promise<void> = Promise.resolve();
  /** How often each backend's device was lost; one lost twice is not started again by this host. */
  const losses = new Map<Backend, number>();
  /** Loads in a row on each backend whose models answered unusable scores (`unusable`). */
  const garbage = new Map<Backend, number>();
  /** What went wrong last and what the host did about it, for the popup. */
  let recovery: { why: Words; at: number; reloadedOn: Backend | null } | null = null;

  /** The personal model the config names, loaded once per version. Never throws: none is no personal tags. */
  const personalFor = (config: ModelConfig): Promise<PersonalModel | null> => {
    if (config.personal === null) return Promise.resolve(null);
    const key = `${config.model}|${config.personal}`;
    if (personal?.key !== key) {
      const model = deps.loadPersonal(config.model).catch((error: unknown) => {
        console.warn('[Megane] personal model unavailable:', error);
        return null;
      });
      personal = { key, model };
    }
    return personal.model;
  };

  const ensureModel = (config: ModelConfig): Loaded<Pixels> => {
    // Weights live on the backend, so a backend change reloads everything.
    const key = `${config.model}|${config.backend}|${config.workers}`;
    if (current?.key === key) return current;
    const previous = current;
    const spec = MODELS[config.model];
    status = {
      model: config.model,
      state: 'loading',
      backend: null,
      reason: words('background.model.choosingBackend'),
      detectors: idleDetectors(),
      ...recoveryField(),
    };
    let retire: (error: Retired) => void = () => {};
    const retiredSignal = new Promise<never>((_, reject) => (retire = reject));
    retiredSignal.catch(() => {});
    const loaded: Loaded<Pixels> = {
      key,
      model: config.model,
      ready: Promise.reject(new Error('not started')),
      detectors: new Map(),
      trained: new Map(),
      backend: null,
      hosted: null,
      retired: false,
      retiredSignal,
      retire,
      unwatch: () => {},
      watchdog: { reference: null, images: 0, at: now(), running: false },
    };
    loaded.ready.catch(() => {});
    loaded.ready = (async () => {
      await retiring;
      if (previous) await dispose(previous);
      const avoid = [...losses].filter(([, n]) => n >= 2).map(([b]) => b);
      const { backend, reason } = await deps.setupBackend(config.backend, avoid);
      loaded.backend = backend;
      status = { ...status, model: config.model, state: 'loading', backend, reason };
      const model = await deps.loadModel(spec, backend, config.workers);
      let maxBatch = options.maxBatch(backend);
      let tuned: HostStatus['batch'];
      try {
        const reference = deps.referencePixels;
        if (reference && options.tuneBatchOn?.includes(backend)) {
          const curve = await measureBatchSizes(
            async (n) => void (await model.predict(await Promise.all(Array.from({ length: n }, () => reference(spec.inputSize))))),
            { maxSize: maxBatch, budgetMs: options.batchTuningMs ?? 3_000, ...(options.now ? { now: options.now } : {}) },
          );
          maxBatch = chooseBatchSize(curve);
          tuned = { size: maxBatch, curve };
        }
        // The watchdog's first reading: a backend that is broken from the start fails the load.
        loaded.watchdog.reference = await readReference({ model }, spec.inputSize);
      } catch (error) {
        model.dispose();
        throw error;
      }
      const batcher = createBatcher<Pixels, Prediction>((batch) => timed(loaded, model.predict(batch)), { maxBatch, lanes: model.lanes });
      const ready = { model, batcher, maxBatch };
      loaded.hosted = model;
      if (model.watchDevice) loaded.unwatch = model.watchDevice((why) => lost(loaded, backend, why));
      if (recovery && recovery.reloadedOn === null) recovery = { ...recovery, reloadedOn: backend };
      status = {
        ...status,
        state: 'ready',
        ...(model.lanes && model.lanes > 1 ? { workers: model.lanes } : {}),
        ...(tuned ? { batch: tuned } : {}),
        ...recoveryField(),
      };
      return ready;
    })();
    loaded.ready.catch((error: unknown) => {
      if (current !== loaded) return;
      status = { ...status, state: 'failed', error: wordsOf(error) };
      current = null; // the next image tries again
    });
    current = loaded;
    return loaded;
  };

  const recoveryField = (): { recovery?: Words } => {
    if (recovery === null) return {};
    const at = new Date(recovery.at).toTimeString().slice(0, 5);
    return {
      recovery:
        recovery.reloadedOn === null
          ? words('background.recovery.at', recovery.why, at)
          : words('background.recovery.reloadedAt', recovery.why, recovery.reloadedOn, at),
    };
  };

  /**
   * Gives up the loaded models: work in flight on them is scored again on the next load, which waits
   * until they are disposed and their backend is reset. Once per load.
   */
  /**
   * One batch's prediction within the inference limit. A prediction that never ends (a hung readback)
   * gives up the models: the images waiting on them are scored again on the reloaded ones. Only the
   * prediction itself is timed, not an image's wait for its batch, which grows with the load.
   */
  const timed = <T>(loaded: Loaded<Pixels>, prediction: Promise<T>): Promise<T> => {
    const ms = options.inferenceTimeoutMs ?? DEFAULT_INFERENCE_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        retireModels(loaded, words('background.recovery.predictionTimeout', String(Math.round(ms / 1000))));
        reject(new Retired('prediction timed out'));
      }, ms);
    });
    return Promise.race([prediction, limit]).finally(() => clearTimeout(timer));
  };

  /**
   * Gives the models up: work on them ends as Retired (and moves to the next load), they are disposed
   * and their backend reset, and the next image loads them again. A failure is a recovery the status
   * reports; `idle` is the user's "Keep the model loaded" running out, which is not.
   */
  const retireModels = (loaded: Loaded<Pixels>, why: Words, idle = false): void => {
    if (loaded.retired) return;
    loaded.retired = true;
    loaded.unwatch();
    loaded.retire(new Retired(wordsText(why)));
    if (!idle) {
      console.warn(`[Megane] model host reset: ${wordsText(why)}`);
      recovery = { why, at: now(), reloadedOn: null };
    }
    if (current === loaded) {
      current = null;
      status = { ...status, state: 'idle', reason: words('background.model.reloadsWithNextImage'), ...recoveryField() };
    }
    const backend = loaded.backend;
    retiring = retiring
      .then(() => dispose(loaded))
      .then(() => {
        if (backend) deps.resetBackend?.(backend);
      })
      .catch((error: unknown) => console.warn('[Megane] backend reset failed:', error));
  };

  /**
   * The models answered with scores that fail the check: reload them. A backend whose freshly loaded
   * models do that GARBAGE_LIMIT times in a row (with no good image between) is broken, not unlucky:
   * it is avoided like a backend lost twice, so the host stops reloading into the same garbage.
   */
  const unusable = (loaded: Loaded<Pixels>, why: Words): void => {
    if (loaded.retired) return; // one count per load: every image of a bad batch lands here
    const backend = loaded.backend;
    const count = backend ? (garbage.get(backend) ?? 0) + 1 : 0;
    if (backend && count >= GARBAGE_LIMIT) {
      garbage.delete(backend);
      losses.set(backend, Math.max(2, losses.get(backend) ?? 0));
      retireModels(loaded, words('background.recovery.unusableRepeated', why, String(count), backend));
      return;
    }
    if (backend) garbage.set(backend, count);
    retireModels(loaded, why);
  };

  /** The device under the backend was lost: reload on it, or on the next backend if it was lost before. */
  const lost = (loaded: Loaded<Pixels>, backend: Backend, why: Words): void => {
    if (loaded.retired) return;
    const count = (losses.get(backend) ?? 0) + 1;
    losses.set(backend, count);
    retireModels(loaded, count >= 2 ? words('background.recovery.lostAgain', why, backend) : why);
  };

  /**
   * Scores the known image straight on the model, not behind the images queued for it: under a
   * backlog (twenty tabs loading) the queue's wait says nothing about the backend, and a reading
   * timed with it would reset a sound backend and send every image in flight back to be fetched
   * again. Its classes, checked.
   */
  async function readReference(ready: Pick<Ready<Pixels>, 'model'>, inputSize: number): Promise<number[] | null> {
    if (!deps.referencePixels) return null;
    const [prediction] = await ready.model.predict([await deps.referencePixels(inputSize)]);
    if (!prediction) throw new WordsError(words('background.recovery.watchdogNoAnswer'));
    const problem = classesProblem(prediction.classes);
    if (problem) throw new WordsError(words('background.recovery.watchdogScoredBadly', problem));
    return prediction.classes;
  }

  /**
   * Scores the known image again when it is due (or `now` after an error) and retires the models when
   * its scores drifted from the first reading. One look at a time per load.
   */
  const watch = async (loaded: Loaded<Pixels>, force: boolean): Promise<void> => {
    const dog = loaded.watchdog;
    if (loaded.retired || dog.reference === null || dog.running) return;
    if (!force && dog.images < watchdog.everyImages && now() - dog.at < watchdog.everyMs) return;
    dog.running = true;
    dog.images = 0;
    dog.at = now();
    try {
      const ready = await Promise.race([loaded.ready, loaded.retiredSignal]);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hung = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new WordsError(words('background.recovery.noAnswerIn', String(watchdog.timeoutMs / 1000)))),
          watchdog.timeoutMs,
        );
      });
      const reading = await Promise.race([readReference(ready, MODELS[loaded.model].inputSize), loaded.retiredSignal, hung]).finally(() =>
        clearTimeout(timer),
      );
      const moved = drift(reading ?? [], dog.reference);
      if (moved > DRIFT_TOLERANCE) retireModels(loaded, words('background.recovery.drifted', moved.toFixed(3)));
    } catch (error) {
      if (!(error instanceof Retired)) retireModels(loaded, words('background.recovery.watchdogFailed', wordsOf(error)));
    } finally {
      dog.running = false;
    }
  };

  /**
   * An extra model (a detector, a trained model) loaded once per key, after the main model, on its
   * backend and with its batch size; its state is reported through `report`. A failed load is
   * forgotten, so the next image tries again.
   */
  const ensureExtra = <K, T>(
    loaded: Loaded<Pixels>,
    loads: Map<K, Promise<T>>,
    key: K,
    load: (ready: Ready<Pixels>) => Promise<T>,
    report: (state: { state: ModelState; error?: Words }) => void,
  ): Promise<T> => {
    let extra = loads.get(key);
    if (!extra) {
      report({ state: 'loading' });
      extra = loaded.ready.then(load);
      loads.set(key, extra);
      extra.then(
        () => current === loaded && report({ state: 'ready' }),
        (error: unknown) => {
          if (current !== loaded) return;
          report({ state: 'failed', error: wordsOf(error) });
          loads.delete(key);
        },
      );
    }
    return extra;
  };

  const ensureDetector = (loaded: Loaded<Pixels>, kind: Detector): Promise<BatchedDetector<Pixels>> =>
    ensureExtra(
      loaded,
      loaded.detectors,
      kind,
      async ({ model, maxBatch }) => {
        // In the model's workers when it runs in a pool (they share its cores), else in this document.
        const hosted = await (model.loadDetector ? model.loadDetector(kind) : deps.loadDetector(kind));
        const batcher = createBatcher<Pixels, DetectorResult>((batch) => timed(loaded, hosted.scoreBatch(batch)), {
          maxBatch,
          lanes: model.lanes,
        });
        return { detector: hosted, decodeSize: hosted.decodeSize, fit: hosted.fit, batcher };
      },
      (state) => (status = { ...status, detectors: { ...status.detectors, [kind]: state } }),
    );

  /** The imported trained model, loaded once per id, with its own queue. */
  const ensureTrained = (loaded: Loaded<Pixels>, id: string): Promise<BatchedTrained<Pixels>> =>
    ensureExtra(
      loaded,
      loaded.trained,
      id,
      async ({ model: main, maxBatch }) => {
        const model = await (main.loadTrained ? main.loadTrained(id) : deps.loadTrained(id));
        return {
          model,
          batcher: createBatcher<Pixels, TagScores>((batch) => timed(loaded, model.predict(batch)), { maxBatch, lanes: main.lanes }),
        };
      },
      (state) => (status = { ...status, trained: { id, ...state } }),
    );

  return {
    /**
     * Frees the models where the host's page stays open (Firefox's background page: Chrome closes the
     * offscreen document instead); the next image loads them again.
     */
    unload(): void {
      if (current) retireModels(current, words('background.model.reloadsWithNextImage'), true);
    },
    status: (): HostStatus => {
      const tensors = current?.hosted?.tensors?.();
      return tensors === undefined ? status : { ...status, workerTensors: tensors };
    },
    /** Scores one image; `cancel` stops it wherever it is (it then answers CANCELLED). */
    async classify(config: ModelConfig, job: ImageJob, cancel?: AbortSignal): Promise<OffscreenResult> {
      for (let requeued = 0; ; requeued++) {
        if (cancel?.aborted) return { ok: false, error: CANCELLED };
        const loaded = ensureModel(config);
        try {
          return await classifyOn(loaded, config, job, cancel);
        } catch (error) {
          if (!(error instanceof Retired)) throw error;
          // The model this image was on was given up (a lost GPU, a reset): score it on the next one.
          if (requeued >= MAX_REQUEUES) return { ok: false, error: `model reset while checking: ${error.message}` };
        }
      }
    },
  };

  /** One try at an image on one load of the models; throws Retired when that load is given up meanwhile. */
  async function classifyOn(loaded: Loaded<Pixels>, config: ModelConfig, job: ImageJob, cancel?: AbortSignal): Promise<OffscreenResult> {
    const spec = MODELS[config.model];
    /** Waits for `work`, or throws Retired as soon as the load is given up (a readback may never return). */
    const onLoaded = <T>(work: Promise<T>): Promise<T> => Promise.race([work, loaded.retiredSignal]);
    const gaveUp = (error: unknown): boolean => error instanceof Retired || loaded.retired;
    let detectors: BatchedDetector<Pixels>[];
    try {
      detectors = await onLoaded(Promise.all(config.detectors.map((kind) => ensureDetector(loaded, kind))));
    } catch (error) {
      if (gaveUp(error)) throw asRetired(error);
      // A rule needs this detector; without it the image is unchecked, never silently shown.
      return { ok: false, error: `detector failed to load: ${errorText(error)}` };
    }
    let trained: BatchedTrained<Pixels> | null = null;
    try {
      if (config.trained !== null) trained = await onLoaded(ensureTrained(loaded, config.trained));
    } catch (error) {
      if (gaveUp(error)) throw asRetired(error);
      // The user chose this model to score tags; without it the image is unchecked.
      return { ok: false, error: `trained model failed to load: ${errorText(error)}` };
    }
    let decoded: Decoded<Pixels>;
    try {
      decoded = await decode(
        job,
        [
          { size: spec.inputSize, fit: 'stretch' },
          ...detectors.map(({ decodeSize, fit }) => ({ size: decodeSize, fit })),
          ...(trained ? [{ size: trained.model.inputSize, fit: 'stretch' as const, quality: 'high' as const }] : []),
        ],
        cancel,
        () => deps.priorityOf?.(job) ?? 0,
      );
    } catch (error) {
      return { ok: false, error: cancel?.aborted ? CANCELLED : errorText(error) };
    }
    try {
      return await scoreDecoded(decoded.frames);
    } finally {
      decoded.done();
    }

    /** The decoded image's frames on every model the config asks for; the worst frame decides. */
    async function scoreDecoded(frames: Pixels[][]): Promise<OffscreenResult> {
      if (cancel?.aborted) {
        // Decoded just as it was cancelled: the models are spared the work.
        frames.flat().forEach((p) => deps.release(p));
        return { ok: false, error: CANCELLED };
      }
      let scored: FrameScores[];
      try {
        const [{ batcher }, personalModel] = await onLoaded(Promise.all([loaded.ready, personalFor(config)]));
        // Every frame of the image goes to the NSFW model and to each detector at once (no await in
        // between), so the frames batch together and with other images.
        scored = await onLoaded(
          Promise.all(
            frames.map(async (pixels): Promise<FrameScores> => {
              const [main, ...rest] = pixels as [Pixels, ...Pixels[]];
              const forTrained = trained ? (rest[detectors.length] as Pixels) : null;
              const [[prediction, ...found], trainedTags] = await Promise.all([
                Promise.all([batcher.add(main), ...detectors.map((d, i) => d.batcher.add(rest[i] as Pixels))] as const),
                trained && forTrained !== null ? trained.batcher.add(forTrained) : Promise.resolve(null),
              ]);
              let tags: TagScores = { ...prediction.tags, ...personalScores(personalModel, prediction.embedding) };
              let faces: FaceBox[] | undefined;
              for (const result of found) {
                tags = fuseDetectorScores(tags, result.tags);
                if (result.faces) faces = result.faces;
              }
              const problem = scoresProblem({
                classes: prediction.classes,
                embedding: prediction.embedding,
                tags,
                trained: trained && trainedTags ? { tags: trainedTags, expected: trained.model.tags } : null,
              });
              if (problem) throw new BadScores(problem);
              return {
                classes: prediction.classes,
                embedding: prediction.embedding,
                tags,
                ...(faces ? { faces } : {}),
                trained: trainedTags,
              };
            }),
          ),
        );
      } catch (error) {
        frames.flat().forEach((p) => deps.release(p));
        if (error instanceof BadScores) {
          // Never safe: this image is unchecked, and the backend that computed it is reset.
          unusable(loaded, words('background.recovery.unusableScores', error.message));
          return { ok: false, error: `model gave unusable scores: ${error.message}` };
        }
        if (gaveUp(error)) throw asRetired(error);
        // A backend error: the watchdog looks at once, and if the backend is gone (a readback that
        // failed before the lost event came) the image is scored again on the reloaded models.
        await watch(loaded, true);
        if (loaded.retired) throw asRetired(error);
        return { ok: false, error: `model failed: ${errorText(error)}` };
      }
      if (loaded.backend) garbage.delete(loaded.backend);
      loaded.watchdog.images++;
      void watch(loaded, false);
      const { classes, embedding, tags, faces, trained: trainedTags } = worstFrame(scored);
      return {
        ok: true,
        model: config.model,
        classes,
        embedding,
        tags,
        detectors: [...config.detectors],
        ...(faces ? { faces } : {}),
        ...(trainedTags && config.trained !== null
          ? { trained: { id: config.trained, tags: trainedTags as Partial<Record<TagId, number>> } }
          : {}),
      };
    }
  }

  /** The error work in flight on a retired load ends with (a disposed model's own error says less). */
  function asRetired(error: unknown): Retired {
    return error instanceof Retired ? error : new Retired(errorText(error));
  }

  async function dispose(loaded: Loaded<Pixels>): Promise<void> {
    await loaded.ready.then(({ model }) => model.dispose()).catch(() => {});
    for (const detector of loaded.detectors.values()) await detector.then((d) => d.detector.dispose()).catch(() => {});
    for (const trained of loaded.trained.values()) await trained.then((t) => t.model.dispose()).catch(() => {});
  }
}

export type ModelHost = ReturnType<typeof createModelHost>;

/** Personal tag scores for an embedding; none when there is no model or it was made for another size. */
function personalScores(model: PersonalModel | null, embedding: readonly number[]): TagScores {
  if (model === null || model.embeddingSize !== embedding.length) return {};
  return applyPersonalModel(model, embedding) as TagScores;
}
