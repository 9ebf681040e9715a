/**
 * What the page knows about the inference worker: phase, chosen backend, per-model load progress
 * and the first error. The store is created per app (createEngineStore) and handed down through
 * React context, so tests and future views can make their own instead of sharing a module global.
 */
import { createContext, useContext } from 'react';
import { createStore, type StoreApi, useStore } from 'zustand';
import { MODEL_IDS, MODEL_SPECS, type ModelId } from '../models/specs.ts';
import type { BackendInfo, BackendName, EngineStatus, LoadProgress } from '../worker/api.ts';
import type { EngineClient, EngineRestart } from '../worker/client.ts';
import type { BackendMemory } from './backend-memory.ts';

export type EnginePhase = 'starting' | 'loading' | 'ready' | 'error';
export type ModelLoadState = 'pending' | 'loading' | 'loaded' | 'failed';

export interface ModelProgress {
  readonly id: ModelId;
  readonly title: string;
  /** Known once index.json has been read. */
  readonly bytes: number | null;
  readonly state: ModelLoadState;
  readonly loadMs: number | null;
}

export interface EngineError {
  readonly message: string;
  /** The model that failed, when the failure is tied to one. */
  readonly modelId: ModelId | null;
  /** A shell command that fixes it, when one is known. */
  readonly fixCommand: string | null;
}

/**
 * The last fault the engine recovered from, for the one-line notice: what happened, how many
 * unfinished photos were sent again, and the backend it switched to (after a lost GPU).
 */
export interface EngineNotice {
  readonly cause: EngineRestart['cause'];
  readonly rerun: number;
  readonly backend: BackendName | null;
  /** How many times the engine was restarted in this tab. */
  readonly restarts: number;
}

export interface EngineState {
  readonly phase: EnginePhase;
  readonly requestedBackend: BackendName | null;
  readonly backend: BackendInfo | null;
  readonly models: readonly ModelProgress[];
  readonly totalBytes: number | null;
  readonly status: EngineStatus | null;
  readonly error: EngineError | null;
  readonly notice: EngineNotice | null;
  begin(requested: BackendName | null): void;
  /** The worker died or lost its GPU and a new one is starting (the client re-sends unfinished photos). */
  restarting(restart: EngineRestart): void;
  applyProgress(progress: LoadProgress): void;
  succeed(status: EngineStatus): void;
  fail(error: unknown): void;
}

export type EngineStore = StoreApi<EngineState>;

const pendingModels = (): ModelProgress[] =>
  MODEL_IDS.map((id) => ({ id, title: MODEL_SPECS[id].title, bytes: null, state: 'pending', loadMs: null }));

/** Errors raised by src/pipeline/models/load-model.ts and src/worker/model-store.ts (names survive comlink). */
const MODEL_FILE_ERRORS = new Set(['ModelLoadError', 'ModelIndexError']);

/** The loaders end their messages with this advice; the error card shows it as its own line. */
const FIX_SENTENCE = /\s*Run `npm run models` to regenerate public\/models\.\s*$/;

export function describeError(error: unknown, failedModel: ModelId | null): EngineError {
  const raw = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  const isModelFileError = MODEL_FILE_ERRORS.has(name) || raw.includes('npm run models');
  return {
    message: raw.replace(FIX_SENTENCE, ''),
    modelId: failedModel,
    fixCommand: isModelFileError ? 'npm run models' : null,
  };
}

export function createEngineStore(): EngineStore {
  return createStore<EngineState>()((set, get) => {
    const updateModel = (id: ModelId, change: Partial<ModelProgress>) =>
      set({ models: get().models.map((m) => (m.id === id ? { ...m, ...change } : m)) });

    return {
      phase: 'starting',
      requestedBackend: null,
      backend: null,
      models: pendingModels(),
      totalBytes: null,
      status: null,
      error: null,
      notice: null,

      begin(requested) {
        set({
          phase: 'starting',
          requestedBackend: requested,
          backend: null,
          models: pendingModels(),
          error: null,
        });
      },

      restarting({ cause, interrupted, backend }) {
        const restarts = (get().notice?.restarts ?? 0) + 1;
        set({
          phase: 'starting',
          backend: null,
          status: null,
          models: pendingModels(),
          error: null,
          notice: { cause, rerun: interrupted, backend, restarts },
        });
      },

      applyProgress(progress) {
        switch (progress.kind) {
          case 'backend':
            // Progress travels on its own comlink channel and may trail the init result.
            if (get().phase === 'starting') set({ phase: 'loading', backend: progress.info });
            return;
          case 'index':
            set({
              totalBytes: progress.totalBytes,
              models: get().models.map((m) => ({ ...m, bytes: progress.bytesById[m.id] })),
            });
            return;
          case 'model-loading':
            updateModel(progress.id, { state: 'loading', bytes: progress.bytes });
            return;
          case 'model-loaded':
            updateModel(progress.model.id, {
              state: 'loaded',
              bytes: progress.model.bytes,
              loadMs: progress.model.loadMs,
            });
            return;
          case 'model-failed': {
            updateModel(progress.id, { state: 'failed' });
            const { error } = get();
            if (error !== null && error.modelId === null) set({ error: { ...error, modelId: progress.id } });
            return;
          }
        }
      },

      succeed(status) {
        // The status is authoritative: it settles any progress message still in flight.
        const loaded = new Map(status.models.map((m) => [m.id, m]));
        const models = get().models.map((m): ModelProgress => {
          const info = loaded.get(m.id);
          return info === undefined ? m : { ...m, state: 'loaded', bytes: info.bytes, loadMs: info.loadMs };
        });
        set({ phase: 'ready', status, backend: status, models });
      },

      fail(error) {
        const failed = get().models.find((m) => m.state === 'failed');
        set({ phase: 'error', error: describeError(error, failed === undefined ? null : failed.id) });
      },
    };
  });
}

/**
 * Boots the worker and mirrors its progress into the store; never rejects (errors land in the store).
 * With `memory`, an unforced start reuses the last measured backend choice and keeps a new one.
 */
export async function startEngine(
  store: EngineStore,
  client: EngineClient,
  backend: BackendName | null,
  memory: BackendMemory | null = null,
): Promise<void> {
  const { begin, applyProgress, succeed, fail, restarting } = store.getState();
  begin(backend);
  // Restarts after a crash or a lost GPU replay the start-up in the store; the tab lives as long.
  client.observeRestarts({ restarting, progress: applyProgress, restarted: succeed, failed: fail });
  const remembered = backend === null ? (memory?.recall() ?? null) : null;
  try {
    const status = await client.init(
      { ...(backend === null ? {} : { backend }), ...(remembered === null ? {} : { remembered }) },
      applyProgress,
    );
    memory?.remember(status);
    succeed(status);
  } catch (error) {
    fail(error);
  }
}

/** The notice in one line: "The engine stopped and was restarted; 1 unfinished photo was run again." */
export function describeNotice({ cause, rerun, backend }: EngineNotice): string {
  const photos = rerun === 1 ? '1 unfinished photo was' : `${rerun} unfinished photos were`;
  const redone = rerun === 0 ? 'no photo was lost' : `${photos} run again`;
  if (cause === 'gpu-lost') {
    const fallback = backend === 'wasm' ? 'FaceCheck switched to WebAssembly' : 'the engine was restarted';
    return `The GPU (WebGL) stopped working, so ${fallback}; ${redone}.`;
  }
  return `The engine stopped unexpectedly and was restarted; ${redone}.`;
}

export const EngineStoreContext = createContext<EngineStore | null>(null);

/** Reads a slice of the engine state from the nearest EngineStoreContext provider. */
export function useEngineState<T>(selector: (state: EngineState) => T): T {
  const store = useContext(EngineStoreContext);
  if (store === null) throw new Error('useEngineState needs an <EngineStoreContext> provider');
  return useStore(store, selector);
}
