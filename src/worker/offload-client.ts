/**
 * Starts the second engine (offload-worker.ts) from the main engine's worker and presents it to the
 * pipeline as a NetOffload (docs/offload.md). Until it has loaded its nets, and for good once a call
 * failed or it died, `has()` is false and the pipeline does everything itself.
 */
import { type Endpoint, transfer, wrap } from 'comlink';
import type { EmbedderId } from '../models/embedders.ts';
import type { HostBatch, NetOffload, OffloadNet } from '../pipeline/offload.ts';
import type { BackendName, SecondEngineState } from './api.ts';
import { type OffloadWorkerApi, ownedArray } from './offload-protocol.ts';

/** The embedders the second engine loads: the default one (others run in the main engine only). */
const OFFLOADED_EMBEDDERS: readonly EmbedderId[] = ['mobilefacenet'];

/**
 * A call the second engine has not answered by then is redone by the main engine. Far above any
 * real call (a 3072 px photo's largest pyramid level takes ~2 s here), so only a hung worker hits it.
 */
const CALL_TIMEOUT_MS = 30_000;

/** The second engine's worker as the client uses it (tests substitute an in-process one). */
export interface OffloadWorker {
  readonly endpoint: Endpoint;
  /** Calls `listener` when the worker's script fails or an error escapes it. */
  onError(listener: (message: string) => void): void;
  terminate(): void;
}

/** Starts src/worker/offload-worker.ts as a module worker. */
function spawnOffloadWorker(): OffloadWorker {
  const worker = new Worker(new URL('./offload-worker.ts', import.meta.url), {
    type: 'module',
    name: 'facecheck-offload',
  });
  return {
    endpoint: worker,
    onError: (listener) => worker.addEventListener('error', (event) => listener(event.message)),
    terminate: () => worker.terminate(),
  };
}

export interface OffloadOptions {
  readonly spawn?: () => OffloadWorker;
  readonly callTimeoutMs?: number;
}

/**
 * Whether a second engine can make a photo faster: only on the CPU-bound backends (on WebGL both
 * engines would queue on the same GPU) and with a core to spare.
 */
export function offloadHelps(backend: BackendName, cores: number): boolean {
  return (backend === 'wasm' || backend === 'cpu') && cores >= 2;
}

export interface OffloadHandle {
  readonly offload: NetOffload;
  /** Resolves once the second engine has started, or failed to. */
  ready(): Promise<void>;
  /** What it runs, its live tensors and the calls it answered; null once it stopped. */
  state(): Promise<SecondEngineState | null>;
  /** Calls it has answered so far (without a round trip, unlike state()). */
  answered(): number;
  /** Ends the second engine. */
  close(): void;
}

/** Inputs are moved, not copied, to the second engine (the pipeline made them for it). */
const moved = (batch: HostBatch): HostBatch => ({ values: ownedArray(batch.values), shape: batch.shape });

export function startOffload(
  backend: BackendName,
  modelsUrl: string,
  { spawn = spawnOffloadWorker, callTimeoutMs = CALL_TIMEOUT_MS }: OffloadOptions = {},
): OffloadHandle {
  const worker = spawn();
  const api = wrap<OffloadWorkerApi>(worker.endpoint);
  let nets: readonly OffloadNet[] = [];
  let running = true;
  let answered = 0;
  const stop = (reason: unknown) => {
    if (!running) return;
    running = false;
    nets = [];
    worker.terminate();
    console.warn('FaceCheck: the second engine stopped; photos continue on one', reason);
  };
  worker.onError(stop);
  const started = api.start(backend, modelsUrl, OFFLOADED_EMBEDDERS).then((loaded) => {
    if (running) nets = loaded;
  }, stop);

  /** A failed or hung call stops the second engine; the caller redoes the work itself. */
  const call = <T>(run: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the second engine did not answer')), callTimeoutMs);
      run()
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    }).then(
      (result) => {
        answered++;
        return result;
      },
      (error: unknown) => {
        stop(error);
        throw error;
      },
    );

  const offload: NetOffload = {
    has: (net) => running && nets.includes(net),
    pnet: (levels) => {
      const batches = levels.map(moved);
      return call(() =>
        api.pnet(
          transfer(
            batches,
            batches.map((b) => b.values.buffer),
          ),
        ),
      );
    },
    crops: (net, patches) => {
      const batch = moved(patches);
      return call(() => api.crops(net, transfer(batch, [batch.values.buffer])));
    },
    embed: (embedder, faces) => {
      const batch = moved(faces);
      return call(() => api.embed(embedder, transfer(batch, [batch.values.buffer])));
    },
  };
  return {
    offload,
    ready: () => started,
    answered: () => answered,
    state: async () => {
      if (!running) return null;
      // Asked only once it has started: before that its tfjs backend may not exist yet.
      const tensors = nets.length === 0 ? null : await api.tensors();
      return { nets, tensors, answered };
    },
    close: () => {
      running = false;
      nets = [];
      worker.terminate();
    },
  };
}
