// The model host: owns the loaded models and their backend, turns image jobs into scores. Images are
// fetched and decoded independently (each with its own time limit, so one slow image never holds
// back the others); decoded images that are ready together are scored in one batched predict. An
// animated image is scored on a bounded number of its frames, queued together so they share a batch,
// and the worst frame decides (worst-frame.ts).
// Detectors (faces, objects) load only when a job asks for them, i.e. when an enabled tag rule
// needs their tags; with only the NSFW rule on, none is ever loaded.
import type { ImageJob, ModelConfig, ModelState, ModelStatus, OffscreenResult, TrainedScores } from '../messaging/background-offscreen';
import type { Backend, BackendChoice } from '../model/backends';
import { MODELS, type ModelId, type ModelSpec } from '../model/catalog';
import { DETECTORS, type Detector, type FaceBox, type TagId } from '../tags/vocabulary';
import { applyPersonalModel, type PersonalModel } from '../personal/personal-model';
import { createHostSlots, hostOf } from './fetch-limits';
import { createBatcher, type Batcher } from './micro-batcher';
import { errorText } from '../util/checks';
import { worstFrame, type FrameScores } from './worst-frame';

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
  setupBackend(choice: BackendChoice): Promise<{ backend: Backend; reason: string }>;
  loadModel(spec: ModelSpec): Promise<HostedModel<Pixels>>;
  loadDetector(kind: Detector): Promise<HostedDetector<Pixels>>;
  /** Fetches one image within its own fetch limits (fetch-limits.ts); throws a readable Error. */
  loadSource(url: string, signal: AbortSignal): Promise<Source>;
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
}

/** An imported trained model: square input, stretched; sigmoid tag scores out. */
export interface HostedTrainedModel<Pixels> {
  inputSize: number;
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
  /** Scores a batch; takes ownership of the pixels. */
  predict(batch: Pixels[]): Promise<Prediction[]>;
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
}

interface Loaded<Pixels> {
  key: string;
  ready: Promise<{ model: HostedModel<Pixels>; batcher: Batcher<Pixels, Prediction>; maxBatch: number }>;
  detectors: Map<Detector, Promise<BatchedDetector<Pixels>>>;
  trained: Map<string, Promise<BatchedTrained<Pixels>>>;
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

const idleDetectors = (): ModelStatus['detectors'] =>
  Object.fromEntries(DETECTORS.map((d) => [d, { state: 'idle' as ModelState }])) as ModelStatus['detectors'];

export function createModelHost<Source, Pixels>(deps: ModelHostDeps<Source, Pixels>, options: ModelHostOptions) {
  let current: Loaded<Pixels> | null = null;
  let status: ModelStatus = {
    model: 'mobilenet_v2_mid',
    state: 'idle',
    backend: null,
    reason: 'starts with the first image',
    detectors: idleDetectors(),
  };
  // Fetch slots per host and in total, so a host that never answers holds only its own share while its
  // requests time out; decode slots, which only a fetched image takes, so no server can hold one.
  const fetchSlots = createHostSlots(options.maxFetchesPerHost, options.maxConcurrentFetches);
  const decodeSlots = createHostSlots(options.maxConcurrentDecodes, options.maxConcurrentDecodes);
  let personal: { key: string; model: Promise<PersonalModel | null> } | null = null;

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
    const key = `${config.model}|${config.backend}`;
    if (current?.key === key) return current;
    const previous = current;
    const spec = MODELS[config.model];
    status = { model: config.model, state: 'loading', backend: null, reason: 'choosing a backend', detectors: idleDetectors() };
    const ready = (async () => {
      if (previous) await dispose(previous);
      const { backend, reason } = await deps.setupBackend(config.backend);
      status = { ...status, model: config.model, state: 'loading', backend, reason };
      const model = await deps.loadModel(spec);
      status = { ...status, state: 'ready' };
      const maxBatch = options.maxBatch(backend);
      const batcher = createBatcher<Pixels, Prediction>((batch) => model.predict(batch), { maxBatch });
      return { model, batcher, maxBatch };
    })();
    const loaded: Loaded<Pixels> = { key, ready, detectors: new Map(), trained: new Map() };
    ready.catch((error: unknown) => {
      if (current !== loaded) return;
      status = { ...status, state: 'failed', error: errorText(error) };
      current = null; // the next image tries again
    });
    current = loaded;
    return loaded;
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
    load: (maxBatch: number) => Promise<T>,
    report: (state: { state: ModelState; error?: string }) => void,
  ): Promise<T> => {
    let extra = loads.get(key);
    if (!extra) {
      report({ state: 'loading' });
      extra = loaded.ready.then(({ maxBatch }) => load(maxBatch));
      loads.set(key, extra);
      extra.then(
        () => current === loaded && report({ state: 'ready' }),
        (error: unknown) => {
          if (current !== loaded) return;
          report({ state: 'failed', error: errorText(error) });
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
      async (maxBatch) => {
        const hosted = await deps.loadDetector(kind);
        const batcher = createBatcher<Pixels, DetectorResult>((batch) => hosted.scoreBatch(batch), { maxBatch });
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
      async (maxBatch) => {
        const model = await deps.loadTrained(id);
        return { model, batcher: createBatcher<Pixels, TagScores>((batch) => model.predict(batch), { maxBatch }) };
      },
      (state) => (status = { ...status, trained: { id, ...state } }),
    );

  /**
   * Fetches the image (within the fetch limits) and decodes each of its frames (one for a still image)
   * once per size needed, within the decode limit: per frame, its pixels in the order of `sizes`.
   */
  const decode = async (url: string, sizes: { size: number; fit: Fit; quality?: ResizeQuality }[]): Promise<Pixels[][]> => {
    const controller = new AbortController();
    const releaseFetch = await fetchSlots.acquire(hostOf(url), controller.signal);
    let releaseDecode = () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const decoded: Pixels[] = [];
    const atSizes = async (frame: Source): Promise<Pixels[]> => {
      const pixels: Pixels[] = [];
      try {
        for (const { size, fit, quality } of sizes) {
          if (controller.signal.aborted) throw new Error('timed out');
          pixels.push(await deps.toPixels(frame, size, fit, quality, controller.signal));
        }
      } catch (error) {
        pixels.forEach((p) => deps.release(p));
        throw error;
      }
      decoded.push(...pixels); // released if the image fails later
      return pixels;
    };
    // The time limit counts from the last progress: each decoded frame of a video or an animation
    // starts it anew, so a long clip that decodes steadily is not cut off, and a stalled one is.
    let timedOut: (error: Error) => void = () => {};
    const arm = (ms = options.decodeTimeoutMs) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        controller.abort();
        timedOut(new Error(`timed out after ${Math.round(ms / 1000)} s`));
      }, ms);
    };
    const frameDone = async (frame: Source): Promise<Pixels[]> => {
      const pixels = await atSizes(frame);
      arm();
      return pixels;
    };
    const limit = new Promise<never>((_, reject) => {
      timedOut = reject;
    });
    try {
      // The fetch runs on its own limits; the decode limit starts once the image is here.
      arm(options.fetchTimeoutMs);
      const source = await Promise.race([deps.loadSource(url, controller.signal), limit]);
      clearTimeout(timer);
      // The fetch slot is kept until a decode slot is free, so fetched images waiting are bounded too.
      releaseDecode = await decodeSlots.acquire('', controller.signal);
      releaseFetch();
      arm();
      const work = (async () => {
        const frames = deps.eachFrame ? await deps.eachFrame(source, controller.signal, frameDone, url) : null;
        return frames ?? [await atSizes(source)];
      })();
      return await Promise.race([work, limit]);
    } catch (error) {
      decoded.forEach((p) => deps.release(p));
      throw error;
    } finally {
      clearTimeout(timer);
      releaseFetch();
      releaseDecode();
    }
  };

  return {
    status: (): ModelStatus => status,
    async classify(config: ModelConfig, job: ImageJob): Promise<OffscreenResult> {
      const spec = MODELS[config.model];
      const loaded = ensureModel(config);
      let detectors: BatchedDetector<Pixels>[];
      try {
        detectors = await Promise.all(config.detectors.map((kind) => ensureDetector(loaded, kind)));
      } catch (error) {
        // A rule needs this detector; without it the image is unchecked, never silently shown.
        return { ok: false, error: `detector failed to load: ${errorText(error)}` };
      }
      let trained: BatchedTrained<Pixels> | null = null;
      try {
        if (config.trained !== null) trained = await ensureTrained(loaded, config.trained);
      } catch (error) {
        // The user chose this model to score tags; without it the image is unchecked.
        return { ok: false, error: `trained model failed to load: ${errorText(error)}` };
      }
      let frames: Pixels[][];
      try {
        frames = await decode(job.url, [
          { size: spec.inputSize, fit: 'stretch' },
          ...detectors.map(({ decodeSize, fit }) => ({ size: decodeSize, fit })),
          ...(trained ? [{ size: trained.model.inputSize, fit: 'stretch' as const, quality: 'high' as const }] : []),
        ]);
      } catch (error) {
        return { ok: false, error: errorText(error) };
      }
      try {
        const [{ batcher }, personalModel] = await Promise.all([loaded.ready, personalFor(config)]);
        // Every frame of the image goes to the NSFW model and to each detector at once (no await in
        // between), so the frames batch together and with other images.
        const scored = await Promise.all(
          frames.map(async (pixels): Promise<FrameScores> => {
            const [main, ...rest] = pixels as [Pixels, ...Pixels[]];
            const forTrained = trained ? (rest[detectors.length] as Pixels) : null;
            const [[prediction, ...found], trainedTags] = await Promise.all([
              Promise.all([batcher.add(main), ...detectors.map((d, i) => d.batcher.add(rest[i] as Pixels))] as const),
              trained && forTrained !== null ? trained.batcher.add(forTrained) : Promise.resolve(null),
            ]);
            const tags: TagScores = { ...prediction.tags, ...personalScores(personalModel, prediction.embedding) };
            let faces: FaceBox[] | undefined;
            for (const result of found) {
              Object.assign(tags, result.tags);
              if (result.faces) faces = result.faces;
            }
            return {
              classes: prediction.classes,
              embedding: prediction.embedding,
              tags,
              ...(faces ? { faces } : {}),
              trained: trainedTags,
            };
          }),
        );
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
      } catch (error) {
        frames.flat().forEach((p) => deps.release(p));
        return { ok: false, error: `model failed: ${errorText(error)}` };
      }
    },
  };

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
