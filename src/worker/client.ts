/**
 * The page side of the inference worker: a typed comlink client that survives its worker. When the
 * worker dies (crash, out of memory, killed) or loses its WebGL context, the client starts a new one
 * with the same backend choice (WASM after a lost GPU), rejects every analysis the old one had not
 * finished with EngineRestartedError so its caller can send the photo again, and tells observers.
 */
import { proxy, type Remote, transfer } from 'comlink';
import type {
  AnalysisStage,
  AnalyzePhotoOptions,
  BackendName,
  EngineApi,
  EngineStatus,
  InitOptions,
  LoadProgress,
  PhotoAnalysis,
  PhotoInput,
  TensorData,
} from './api.ts';
import { type EngineConnection, type SpawnEngine, spawnWorker } from './engine-connection.ts';
import { EngineRestartedError, isGpuContextLost, type RestartCause } from './engine-faults.ts';

export interface AnalyzeCallOptions {
  /** Aborting rejects the call at once with an AbortError; the worker finishes the photo unseen. */
  readonly signal?: AbortSignal;
  readonly onStage?: (stage: AnalysisStage) => void;
}

export interface EngineRestart {
  readonly cause: RestartCause;
  /** Analyses the old worker had not finished; each was rejected with EngineRestartedError. */
  readonly interrupted: number;
  /** The backend the new worker is asked for; null when it may choose (remembered choice). */
  readonly backend: BackendName | null;
}

/** Follows restarts; `progress` streams the new worker's model loading like `init`'s. */
export interface RestartObserver {
  restarting(restart: EngineRestart): void;
  progress(progress: LoadProgress): void;
  restarted(status: EngineStatus): void;
  failed(error: unknown): void;
}

type ClientInitOptions = Omit<InitOptions, 'modelsUrl'>;

export interface EngineClient {
  /** The current worker's API (a new one after a restart): read it for every call. */
  readonly api: Remote<EngineApi>;
  /** Starts the engine; rejects as well if the worker script itself fails to load or crashes. */
  init(options: ClientInitOptions, onProgress: (progress: LoadProgress) => void): Promise<EngineStatus>;
  status(): Promise<EngineStatus>;
  /**
   * Any other worker call, made on the current worker once it is ready; rejects with
   * EngineRestartedError if that worker dies first (a bare `api` call would never settle).
   */
  call<T>(work: (api: Remote<EngineApi>) => Promise<T>): Promise<T>;
  /** Transfers the input buffer to the worker: `input.data` is detached afterwards. */
  runModel(...args: Parameters<EngineApi['runModel']>): Promise<TensorData[]>;
  /**
   * Transfers `photo.bytes` to the worker: the caller's buffer is detached afterwards. Waits for a
   * restarting engine to be ready. Rejects with EngineRestartedError when the worker died first.
   */
  analyzePhoto(
    photo: PhotoInput,
    options: AnalyzePhotoOptions,
    call?: AnalyzeCallOptions,
  ): Promise<PhotoAnalysis>;
  /** How many photos were sent to the worker so far, re-sent ones included (tests count them). */
  analyzeCallCount(): number;
  /** Analyses sent and not yet settled. */
  analysesInFlight(): number;
  /** Calls the observer on every restart from now on; returns the unsubscribe function. */
  observeRestarts(observer: RestartObserver): () => void;
  /** Test-only: kills the worker abruptly, as a crash would; the client finds out by itself. */
  killWorkerForTest(): void;
  /** Test-only: loses the worker's WebGL context; false when it is not on WebGL. */
  loseGpuContextForTest(): Promise<boolean>;
  terminate(): void;
}

export interface EngineClientOptions {
  /** Starts a worker (default: src/worker/worker.ts); tests pass a fake transport. */
  readonly spawn?: SpawnEngine;
  /** Absolute URL of public/models (default: `defaultModelsUrl()`). */
  readonly modelsUrl?: () => string;
}

const abortError = () => new DOMException('The analysis was cancelled', 'AbortError');

/** Settles with `work`, or rejects as soon as `signal` aborts (the work itself keeps running). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Absolute URL of public/models as deployed, so the worker needs no knowledge of the page's base. */
export function defaultModelsUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}models/`, document.baseURI).href;
}

/** One worker's life as the client sees it. */
interface Generation {
  readonly connection: EngineConnection;
  /** Rejects, once, when this worker is given up; every call on it races this. */
  readonly gone: Promise<never>;
  readonly giveUp: (error: Error) => void;
  /** `init` on this worker; null until asked. */
  ready: Promise<EngineStatus> | null;
  /** True once `init` succeeded here: only such a worker is restarted (no loop on a broken build). */
  started: boolean;
  alive: boolean;
  inFlight: number;
}

export function createEngineClient({
  spawn = spawnWorker,
  modelsUrl = defaultModelsUrl,
}: EngineClientOptions = {}): EngineClient {
  const observers = new Set<RestartObserver>();
  /** What the next worker is started with: the first `init`'s options, then the choice it made. */
  let initOptions: ClientInitOptions | null = null;
  let analyzeCalls = 0;
  let terminated = false;

  const race = <T>(gen: Generation, work: Promise<T>) => Promise.race([work, gen.gone]);

  const notify = (call: (observer: RestartObserver) => void) => {
    for (const observer of observers) call(observer);
  };

  const initOn = (
    gen: Generation,
    options: ClientInitOptions,
    onProgress: (progress: LoadProgress) => void,
  ): Promise<EngineStatus> => {
    const work = gen.connection.api.init({ ...options, modelsUrl: modelsUrl() }, proxy(onProgress));
    const ready = race(gen, work).then(async (status) => {
      gen.started = true;
      // A forced choice stays forced; otherwise the next worker reuses this one's measurement.
      initOptions = options.backend !== undefined ? options : { remembered: rememberedOf(status) };
      if (status.backend === 'webgl')
        await gen.connection.api.watchGpu(proxy(() => replace(gen, 'gpu-lost')));
      return status;
    });
    ready.catch(() => {}); // Observed by whoever awaits it; avoid an unhandled-rejection report.
    gen.ready = ready;
    return ready;
  };

  const start = (): Generation => {
    const connection = spawn();
    let giveUp: (error: Error) => void = () => {};
    const gone = new Promise<never>((_, reject) => {
      giveUp = reject;
    });
    gone.catch(() => {});
    const gen: Generation = {
      connection,
      gone,
      giveUp,
      ready: null,
      started: false,
      alive: true,
      inFlight: 0,
    };
    void connection.ended.then((reason) => replace(gen, 'crashed', reason));
    return gen;
  };

  let current = start();

  /** Gives up `gen` and, if it had started, starts its successor and re-inits it. */
  function replace(gen: Generation, cause: RestartCause, reason = 'WebGL context lost'): void {
    if (!gen.alive || terminated) return;
    gen.alive = false;
    gen.connection.close();
    if (!gen.started || initOptions === null) {
      // It never started: a broken build or missing script, not something a restart would fix.
      gen.giveUp(new Error(`inference worker failed: ${reason}`));
      return;
    }
    // After a lost GPU the rest of the session runs on WASM: a GPU that reset once may again.
    if (cause === 'gpu-lost') initOptions = { backend: 'wasm' };
    const options = initOptions;
    const next = start();
    current = next;
    // Observers first, so the engine reads as starting before any caller hears of the restart.
    notify((o) => o.restarting({ cause, interrupted: gen.inFlight, backend: options.backend ?? null }));
    gen.giveUp(new EngineRestartedError(cause, reason));
    initOn(next, options, (progress) => notify((o) => o.progress(progress))).then(
      (status) => notify((o) => o.restarted(status)),
      (error: unknown) => notify((o) => o.failed(error)),
    );
  }

  return {
    get api() {
      return current.connection.api;
    },
    init(options, onProgress) {
      initOptions = options;
      return initOn(current, options, onProgress);
    },
    status() {
      const gen = current;
      return race(gen, gen.connection.api.status());
    },
    call(work) {
      const gen = current;
      const send = async () => {
        if (gen.ready !== null) await gen.ready;
        return work(gen.connection.api);
      };
      return race(gen, send());
    },
    runModel(id, input, outputs) {
      const gen = current;
      return race(gen, gen.connection.api.runModel(id, transfer(input, [input.data.buffer]), outputs));
    },
    analyzePhoto(photo, options, call = {}) {
      if (call.signal?.aborted) return Promise.reject(abortError());
      analyzeCalls++;
      const gen = current;
      gen.inFlight++;
      const send = async (): Promise<PhotoAnalysis> => {
        // A restarted worker takes photos only once its models are loaded again.
        if (gen.ready !== null) await gen.ready;
        const onStage = call.onStage === undefined ? undefined : proxy(call.onStage);
        try {
          return await gen.connection.api.analyzePhoto(transfer(photo, [photo.bytes]), options, onStage);
        } catch (error) {
          if (!isGpuContextLost(error)) throw error;
          replace(gen, 'gpu-lost');
          throw new EngineRestartedError('gpu-lost', 'WebGL context lost');
        }
      };
      const work = race(gen, send()).finally(() => {
        gen.inFlight--;
      });
      return abortable(work, call.signal);
    },
    analyzeCallCount: () => analyzeCalls,
    analysesInFlight: () => current.inFlight,
    observeRestarts(observer) {
      observers.add(observer);
      return () => observers.delete(observer);
    },
    killWorkerForTest() {
      current.connection.kill();
    },
    loseGpuContextForTest() {
      const gen = current;
      return race(gen, gen.connection.api.loseGpuContextForTest());
    },
    terminate() {
      terminated = true;
      current.alive = false;
      current.giveUp(new Error('the engine was shut down'));
      current.connection.close();
    },
  };
}

/** The choice a started worker made, as the next worker's "remembered" backend. */
function rememberedOf(status: EngineStatus): NonNullable<InitOptions['remembered']> {
  return { backend: status.backend, renderer: status.renderer, probes: status.probes };
}
