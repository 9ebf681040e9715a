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
    onError: (listener) =>
      worker.addEventListener('error', (event) => {
        // Handled here: not cancelled, the error would go on to this worker's own scope and from there
        // to the page, which would take the main engine for crashed and restart it.
        event.preventDefault();
        listener(event.message);
      }),
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
  /** Starting, running (its nets, live tensors and the calls it answered), or stopped and why. */
  state(): Promise<SecondEngineState>;
  /** Calls it has answered so far (without a round trip, unlike state()). */
  answered(): number;
  /** Ends the second engine. */
  close(): void;
  /** Test-only: crashes its worker (an uncaught error there), as a real crash would. */
  crashForTest(): void;
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
  // Why it stopped, once it has; it never starts again.
  let stopped: string | null = null;
  let answered = 0;
  // Calls under way: a terminated worker never answers them, so stopping rejects them at once.
  const pending = new Set<(error: Error) => void>();
  const end = (reason: string) => {
    if (stopped !== null) return false;
    stopped = reason;
    nets = [];
    worker.terminate();
    for (const reject of pending) reject(new Error(`the second engine stopped: ${reason}`));
    pending.clear();
    return true;
  };
  const stop = (error: unknown) => {
    if (end(error instanceof Error ? error.message : String(error)))
      console.warn('FaceCheck: the second engine stopped; photos continue on one', error);
  };
  worker.onError(stop);
  const started = api.start(backend, modelsUrl, OFFLOADED_EMBEDDERS).then((loaded) => {
    if (stopped === null) nets = loaded;
  }, stop);

  /**
   * A call settles when answered, when the engine stops (its worker crashed: the error event), or
   * after callTimeoutMs (a worker that died unnoticed never answers), which stops the engine.
   */
  const answerInTime = <T>(run: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (stopped !== null) {
        reject(new Error(`the second engine stopped: ${stopped}`));
        return;
      }
      const timer = setTimeout(() => reject(new Error('the second engine did not answer')), callTimeoutMs);
      pending.add(reject);
      run()
        .then(resolve, reject)
        .finally(() => {
          clearTimeout(timer);
          pending.delete(reject);
        });
    }).catch((error: unknown) => {
      stop(error);
      throw error;
    });

  /** A failed or hung call stops the second engine; the caller redoes the work itself. */
  const call = <T>(run: () => Promise<T>): Promise<T> =>
    answerInTime(run).then((result) => {
      answered++;
      return result;
    });

  const offload: NetOffload = {
    has: (net) => stopped === null && nets.includes(net),
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
    state: async (): Promise<SecondEngineState> => {
      // Asked only once it has started: before that its tfjs backend may not exist yet.
      if (stopped === null && nets.length > 0) {
        const tensors = await answerInTime(() => api.tensors()).catch(() => null);
        if (tensors !== null && stopped === null) return { phase: 'running', nets, tensors, answered };
      }
      return stopped === null ? { phase: 'starting' } : { phase: 'stopped', reason: stopped, answered };
    },
    close: () => {
      end('closed by the engine');
    },
    crashForTest: () => {
      void api.crashForTest();
    },
  };
}
