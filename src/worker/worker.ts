/**
 * Module-worker entry: registers the tfjs backends, creates one engine and exposes it over comlink.
 * All inference runs here so the page stays responsive while models load and run.
 */
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { expose, releaseProxy, transfer } from 'comlink';
import { isImportedEmbedderId } from '../models/embedders.ts';
import type { AnyEmbedder } from '../pipeline/embedders/embedder.ts';
import { createPixelStaging } from '../pipeline/face-pipeline.ts';
import { warmUp } from '../pipeline/warm-up.ts';
import { analyzePhoto, decodePhotoInput, transferablesOf } from './analysis.ts';
import type {
  AnalysisStage,
  BackendInfo,
  EngineApi,
  EngineStatus,
  PhotoAnalysis,
  TensorData,
} from './api.ts';
import { isGraphModelId } from './api.ts';
import { initBackend } from './backend.ts';
import { createBitmapCounter } from './bitmap-counter.ts';
import { GpuContextLostError } from './engine-faults.ts';
import { type GpuWatch, watchGpuContext } from './gpu-watch.ts';
import { createImportedModels, type ImportedModels, importedModelsCalls } from './imported-models.ts';
import { createKioskAnalysis } from './kiosk-analysis.ts';
import { holdLifeLock } from './life-lock.ts';
import { createFetchReader, type LoadedModels, loadModels } from './model-store.ts';
import { type OffloadHandle, offloadHelps, startOffload } from './offload-client.ts';
import { trimWebglCaches } from './webgl-caches.ts';

interface Ready {
  readonly status: EngineStatus;
  readonly models: LoadedModels;
}

function checkInput(input: TensorData): void {
  const size = input.shape.reduce((n, d) => n * d, 1);
  if (size !== input.data.length) {
    throw new Error(`input shape [${input.shape.join(', ')}] needs ${size} values, got ${input.data.length}`);
  }
}

type StageListener = (stage: AnalysisStage) => void;

/**
 * Calls a page callback without waiting for it (it crosses the worker boundary) and without letting
 * a closed page port turn into an unhandled rejection.
 */
function notifier(listener: StageListener | undefined): StageListener {
  return (stage) => {
    if (listener !== undefined) void Promise.resolve(listener(stage)).catch(() => {});
  };
}

/** Closes a comlink callback proxy's port; a plain function (direct calls in tests) has none. */
function release(listener: StageListener | undefined): void {
  const close = (listener as { [releaseProxy]?: unknown } | undefined)?.[releaseProxy];
  if (typeof close === 'function') close();
}

/** One inference engine; its state lives in this closure, not in module globals. */
export function createEngine(): EngineApi {
  let starting: Promise<Ready> | null = null;
  let ready: Ready | null = null;
  // Photos run one after another even if the page sends several: each holds a decoded image and
  // its tensors, and interleaving them would only add memory, not speed.
  let previousPhoto: Promise<unknown> = Promise.resolve();
  // Decoded images alive in this worker (diagnostics: proves a long batch keeps them bounded).
  const bitmaps = createBitmapCounter();
  // Host memory every photo's pixel upload reuses (face-pipeline.ts: PixelStaging).
  const staging = createPixelStaging();

  // The WebGL context's watcher when on WebGL: its loss voids every result computed since.
  let gpu: GpuWatch | null = null;
  // The second engine (offload-client.ts) on CPU-bound backends with a core to spare.
  let second: OffloadHandle | null = null;
  // keras-vggface models the user imported ("Add model…" or the CLI); known once init has the models URL.
  let imported: ImportedModels | null = null;
  // Photos sent so far: a warm-up not yet queued when the first one comes is not run at all.
  let photosSent = 0;
  // Settles when the warm-up after start-up has run, or was skipped.
  let warming: Promise<void> = Promise.resolve();

  const requireReady = (): Ready => {
    if (ready === null) throw new Error('engine not initialised: call init() first');
    return ready;
  };

  const requireImported = (): ImportedModels => {
    requireReady();
    if (imported === null) throw new Error('engine not initialised: call init() first');
    return imported;
  };

  /**
   * One pass over a synthetic image (pipeline/warm-up.ts) once the second engine has its nets, so the
   * first photo does not pay the one-time costs; queued like a photo (a photo added meanwhile waits
   * for the pass, ~0.2 s), and skipped when a photo came first. On WASM only: on WebGL the costs are
   * shader compiles per shape, and a photo's pyramid shapes are its own (on emulated GL the pass
   * would hold the first photo for seconds); on the CPU backend the pass took 5.8 s in Node and the
   * first photo was no faster.
   */
  const scheduleWarmUp = (backend: BackendInfo['backend'], models: LoadedModels) => {
    if (backend !== 'wasm') return;
    const run = async () => {
      try {
        await warmUp(models.detector, await models.embedder('mobilefacenet'), { offload: second?.offload });
      } catch (error) {
        // Costs the first photo its one-time costs, nothing else.
        console.warn('FaceCheck: the warm-up failed', error);
      }
    };
    warming = Promise.resolve(second?.ready()).then(() => {
      // A photo sent before pays the one-time costs itself: the pass would only delay it (and queued
      // behind a batch, hold memory() until the batch ends). Photos sent later queue behind the pass.
      if (photosSent > 0) return;
      const done = previousPhoto.then(run, run);
      previousPhoto = done;
      return done;
    });
  };

  const boot = async (...[options, onProgress]: Parameters<EngineApi['init']>): Promise<Ready> => {
    const started = performance.now();
    const choice = await initBackend(options.backend, options.remembered);
    gpu = watchGpuContext();
    // Started now so it loads its copy of the nets on the other core while this one loads its own.
    second = offloadHelps(choice.backend, navigator.hardwareConcurrency)
      ? startOffload(choice.backend, options.modelsUrl)
      : null;
    const backend: BackendInfo = { ...choice, secondEngine: second !== null };
    onProgress({ kind: 'backend', info: backend });
    let models: LoadedModels;
    try {
      models = await loadModels(createFetchReader(options.modelsUrl), onProgress, second?.offload);
    } catch (error) {
      // A failed start is retried from scratch (init); no second engine outlives it.
      second?.close();
      second = null;
      throw error;
    }
    imported = createImportedModels(createFetchReader(options.modelsUrl));
    const status: EngineStatus = {
      ...backend,
      models: models.info,
      tfjsVersion: tf.version_core,
      initMs: performance.now() - started,
    };
    ready = { status, models };
    scheduleWarmUp(choice.backend, models);
    return ready;
  };

  return {
    ...createKioskAnalysis(() => requireReady().models),
    ...importedModelsCalls(
      requireImported,
      (photo) => decodePhotoInput(photo, bitmaps),
      (id) => requireReady().models.embedder(id),
    ),

    init(options, onProgress) {
      // A second call (React remount, retry after success) shares the first boot.
      starting ??= boot(options, onProgress);
      // Forget a failed boot so the page can retry after the user fixes public/models.
      starting.catch(() => {
        starting = null;
      });
      return starting.then((r) => r.status);
    },

    async status() {
      return requireReady().status;
    },

    async memory() {
      // Counted with no warm-up under way: its tensors would land in a leak check's baseline.
      await warming;
      const { numTensors, numBytes } = tf.memory();
      const { live, maxLive, decoded } = bitmaps.counts();
      return {
        secondEngine: second === null ? null : await second.state(),
        tensors: numTensors,
        tensorBytes: numBytes,
        liveBitmaps: live,
        maxLiveBitmaps: maxLive,
        decodedBitmaps: decoded,
      };
    },

    async runModel(id, input, outputs) {
      if (!isGraphModelId(id)) throw new Error(`"${id}" is not a graph model`);
      checkInput(input);
      const model = await requireReady().models.graph(id);
      const results = tf.tidy(() => {
        const x = tf.tensor(input.data, [...input.shape], 'float32');
        return ([] as tf.Tensor[]).concat(model.execute(x, [...outputs]));
      });
      try {
        const data = await Promise.all(results.map((t) => t.data<'float32'>()));
        // Copies, so each result owns a whole ArrayBuffer that can be transferred (not a view).
        const tensors: TensorData[] = results.map((t, i) => ({
          shape: t.shape,
          data: Float32Array.from(data[i] ?? []),
        }));
        return transfer(
          tensors,
          tensors.map((t) => t.data.buffer),
        );
      } finally {
        tf.dispose(results);
      }
    },

    async detectDiagnostic(photo) {
      const { detector } = requireReady().models;
      return detector.detect(await decodePhotoInput(photo, bitmaps));
    },

    async analyzePhoto(photo, options, onStage) {
      photosSent++;
      const run = async (): Promise<PhotoAnalysis> => {
        if (ready === null) {
          return {
            ok: false,
            problem: {
              code: 'engine-not-ready',
              message: 'The face models are not loaded yet; this photo will need to be added again.',
            },
          };
        }
        let embedder: AnyEmbedder;
        try {
          // An imported model loads from IndexedDB (or the CLI's folder) on first use, then stays loaded.
          const id = options.embedder;
          embedder = isImportedEmbedderId(id)
            ? await requireImported().embedder(id)
            : await ready.models.embedder(id);
        } catch (error) {
          const message = `The embedder "${String(options.embedder)}" is not available (${error instanceof Error ? error.message : String(error)}).`;
          return { ok: false, problem: { code: 'engine-not-ready', message } };
        }
        const analysis = await analyzePhoto(
          photo,
          { detector: ready.models.detector, embedder, bitmaps, staging, offload: second?.offload },
          notifier(onStage),
        );
        // Between photos: a long batch of mixed sizes must not grow tfjs-webgl's caches forever.
        trimWebglCaches();
        return analysis;
      };
      const result = previousPhoto.then(run, run);
      previousPhoto = result.catch(() => {});
      try {
        const analysis = await result;
        // On a lost context tfjs may read zeros instead of throwing: such a result is never returned.
        if (gpu?.isLost() === true) throw new GpuContextLostError();
        return transfer(analysis, transferablesOf(analysis));
      } catch (error) {
        throw gpu?.isLost() === true ? new GpuContextLostError() : error;
      } finally {
        release(onStage);
      }
    },

    holdLifeLock,

    async watchGpu(onLost) {
      if (gpu === null) return false;
      gpu.onLost(() => void Promise.resolve(onLost()).catch(() => {}));
      return true;
    },

    async loseGpuContextForTest() {
      return gpu?.loseForTest() ?? false;
    },

    async crashSecondEngineForTest() {
      second?.crashForTest();
      return second !== null;
    },
  };
}

expose(createEngine());
