/**
 * The page side of the inference worker: starts it and wraps it in a typed comlink proxy.
 */
import { proxy, type Remote, releaseProxy, transfer, wrap } from 'comlink';
import type { EngineApi, EngineStatus, InitOptions, LoadProgress, TensorData } from './api.ts';

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
  terminate(): void;
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
    terminate() {
      api[releaseProxy]();
      worker.terminate();
    },
  };
}
