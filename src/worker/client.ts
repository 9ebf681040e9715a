/**
 * The page side of the inference worker: starts it and wraps it in a typed comlink proxy.
 */
import { proxy, type Remote, releaseProxy, transfer, wrap } from 'comlink';
import type {
  AnalysisStage,
  AnalyzePhotoOptions,
  EngineApi,
  EngineStatus,
  InitOptions,
  LoadProgress,
  PhotoAnalysis,
  PhotoInput,
  TensorData,
} from './api.ts';

export interface AnalyzeCallOptions {
  /** Aborting rejects the call at once with an AbortError; the worker finishes the photo unseen. */
  readonly signal?: AbortSignal;
  readonly onStage?: (stage: AnalysisStage) => void;
}

export interface EngineClient {
  readonly api: Remote<EngineApi>;
  /** Starts the engine; rejects as well if the worker script itself fails to load or crashes. */
  init(
    options: Omit<InitOptions, 'modelsUrl'>,
    onProgress: (progress: LoadProgress) => void,
  ): Promise<EngineStatus>;
  status(): Promise<EngineStatus>;
  /** Transfers the input buffer to the worker: `input.data` is detached afterwards. */
  runModel(...args: Parameters<EngineApi['runModel']>): Promise<TensorData[]>;
  /** Transfers `photo.bytes` to the worker: the caller's buffer is detached afterwards. */
  analyzePhoto(
    photo: PhotoInput,
    options: AnalyzePhotoOptions,
    call?: AnalyzeCallOptions,
  ): Promise<PhotoAnalysis>;
  /** How many photos were sent to the worker so far (tests prove re-scoring sends none). */
  analyzeCallCount(): number;
  terminate(): void;
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

export function createEngineClient(): EngineClient {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), {
    type: 'module',
    name: 'facecheck-engine',
  });
  const api = wrap<EngineApi>(worker);

  // comlink calls never settle if the worker dies, so worker errors reject a racing promise.
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      const detail = event.message !== '' ? event.message : 'script error (see the console)';
      reject(new Error(`inference worker failed: ${detail}`));
    });
  });
  crashed.catch(() => {}); // Observed through `init`; avoid an unhandled-rejection report.
  let analyzeCalls = 0;

  return {
    api,
    init(options, onProgress) {
      const initOptions: InitOptions = { ...options, modelsUrl: defaultModelsUrl() };
      return Promise.race([api.init(initOptions, proxy(onProgress)), crashed]);
    },
    status: () => api.status(),
    runModel(id, input, outputs) {
      return api.runModel(id, transfer(input, [input.data.buffer]), outputs);
    },
    analyzePhoto(photo, options, call = {}) {
      if (call.signal?.aborted) return Promise.reject(abortError());
      analyzeCalls++;
      const onStage = call.onStage === undefined ? undefined : proxy(call.onStage);
      const work = api.analyzePhoto(transfer(photo, [photo.bytes]), options, onStage);
      return abortable(Promise.race([work, crashed]), call.signal);
    },
    analyzeCallCount: () => analyzeCalls,
    terminate() {
      api[releaseProxy]();
      worker.terminate();
    },
  };
}
