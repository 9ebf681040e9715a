/**
 * Loads every model of MODEL_SPECS over HTTP from the app's own origin and keeps them for one
 * engine. public/models/index.json is read first: it lists what `npm run models` produced, so a
 * missing or stale conversion is reported before any weight is fetched.
 *
 * Each model is loaded once: the face detector and the embedders are built on the same GraphModels
 * that `runModel` executes, and weights-format embedders are created straight from their files.
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { EMBEDDER_IDS, EMBEDDER_SPECS, type EmbedderId } from '../models/embedders.ts';
import { MODEL_IDS, MODEL_SPECS, type ModelId, type ModelIndex } from '../models/specs.ts';
import { createEmbedder, embedderFromGraph } from '../pipeline/embedders/create.ts';
import type { Embedder } from '../pipeline/embedders/embedder.ts';
import { loadGraphModel, type ModelFileReader } from '../pipeline/models/load-model.ts';
import { verifiedReader } from '../pipeline/models/verified-reader.ts';
import { type FaceDetector, faceDetectorFromNets } from '../pipeline/mtcnn/index.ts';
import type { NetOffload } from '../pipeline/offload.ts';
import type { GraphModelId, LoadedModelInfo, LoadProgress } from './api.ts';

const FIX = 'Run `npm run models` to regenerate public/models.';

/** public/models/index.json is missing, unreadable or lacks a model the app needs. */
export class ModelIndexError extends Error {
  constructor(detail: string) {
    super(`public/models/index.json ${detail}. ${FIX}`);
    this.name = 'ModelIndexError';
  }
}

/** Reads `<modelsUrl><path>`; fails on HTTP errors and on HTML served in place of a missing file. */
export function createFetchReader(modelsUrl: string): ModelFileReader {
  return async (path) => {
    const url = new URL(path, modelsUrl);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${url.pathname}`);
    // Vite's dev and preview servers answer unknown paths with index.html (status 200).
    if (response.headers.get('content-type')?.includes('text/html')) {
      throw new Error(`${url.pathname} is missing (the server sent an HTML page instead)`);
    }
    return response.arrayBuffer();
  };
}

export async function readModelIndex(read: ModelFileReader): Promise<ModelIndex> {
  let index: ModelIndex;
  try {
    index = JSON.parse(new TextDecoder().decode(await read('index.json'))) as ModelIndex;
  } catch (error) {
    throw new ModelIndexError(
      `could not be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (index.formatVersion !== 1)
    throw new ModelIndexError(`has format ${String(index.formatVersion)}, expected 1`);
  const missing = MODEL_IDS.filter((id) => index.models?.[id] === undefined);
  if (missing.length > 0) throw new ModelIndexError(`does not list ${missing.join(', ')}`);
  return index;
}

/** Every model of one engine, on the backend that was active when they were loaded. */
export interface LoadedModels {
  /** The models loaded so far, in load order (background ones join as they finish). */
  readonly info: readonly LoadedModelInfo[];
  /** The model, once loaded; rejects if its (background) load failed. */
  graph(id: GraphModelId): Promise<GraphModel>;
  /** MTCNN on the loaded P-, R- and O-Net, default configuration (the nets stay owned here). */
  readonly detector: FaceDetector;
  /** The embedder, once its model is loaded; rejects if that load failed. */
  embedder(id: EmbedderId): Promise<Embedder>;
  /** Resolves once every background load has ended, loaded or failed (memory baselines wait for it). */
  settled(): Promise<void>;
  dispose(): void;
}

const isGraphSpec = (id: ModelId): id is GraphModelId => MODEL_SPECS[id].format === 'tflite-graph';

/** The embedder whose weights are model `id`, if any. */
const embedderOfModel = (id: ModelId): EmbedderId | undefined =>
  EMBEDDER_IDS.find((e) => EMBEDDER_SPECS[e].modelId === id);

/**
 * Loads the models one after another: progress then advances model by model, and on WebGL/WASM
 * the weight upload blocks the worker anyway, so parallel fetches of local files would gain little.
 * Resolves once every 'start' model is loaded (a failure there rejects, and frees what was loaded);
 * the 'background' models (specs.ts) then load in turn, reporting progress the same way. A background
 * failure is reported as 'model-failed' and rejects only the calls that need that model.
 */
export async function loadModels(
  read: ModelFileReader,
  onProgress: (progress: LoadProgress) => void,
  offload?: NetOffload,
): Promise<LoadedModels> {
  const index = await readModelIndex(read);
  // Sizes and sha256 from the index: a damaged weight file fails here instead of loading silently.
  const readListed = verifiedReader(read, index);
  const bytesOf = (id: ModelId) => index.models[id].files.reduce((sum, file) => sum + file.bytes, 0);
  const bytesById = Object.fromEntries(MODEL_IDS.map((id) => [id, bytesOf(id)])) as Record<ModelId, number>;
  onProgress({
    kind: 'index',
    totalBytes: MODEL_IDS.reduce((sum, id) => sum + bytesOf(id), 0),
    bytesById,
  });

  const graphs = new Map<GraphModelId, GraphModel>();
  const embedders = new Map<EmbedderId, Embedder>();
  const info: LoadedModelInfo[] = [];
  let disposed = false;
  const disposeAll = () => {
    disposed = true;
    for (const embedder of embedders.values()) embedder.dispose();
    for (const model of graphs.values()) model.dispose();
    embedders.clear();
    graphs.clear();
  };

  const load = async (id: ModelId): Promise<void> => {
    const { title } = MODEL_SPECS[id];
    const bytes = bytesOf(id);
    onProgress({ kind: 'model-loading', id, title, bytes });
    const started = performance.now();
    try {
      const embedderId = embedderOfModel(id);
      if (isGraphSpec(id)) {
        const model = await loadGraphModel(id, readListed);
        // Loaded after the engine was disposed (a background load outliving a restart): drop it.
        if (disposed) return model.dispose();
        graphs.set(id, model);
        if (embedderId !== undefined) embedders.set(embedderId, embedderFromGraph(embedderId, model));
      } else if (embedderId !== undefined) {
        // A weights-format embedder keeps its own (folded) copy of the weights: no raw map to hold.
        const embedder = await createEmbedder(embedderId, readListed);
        if (disposed) return embedder.dispose();
        embedders.set(embedderId, embedder);
      } else {
        throw new Error(`model "${id}" is neither a graph nor an embedder`);
      }
    } catch (error) {
      onProgress({
        kind: 'model-failed',
        id,
        title,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    const model: LoadedModelInfo = { id, title, bytes, loadMs: performance.now() - started };
    info.push(model);
    onProgress({ kind: 'model-loaded', model });
  };

  for (const id of MODEL_IDS.filter((m) => MODEL_SPECS[m].loading === 'start')) {
    try {
      await load(id);
    } catch (error) {
      disposeAll();
      throw error;
    }
  }

  // Background models, one after another; each call that needs one waits for its own load.
  const loads = new Map<ModelId, Promise<void>>();
  let previous: Promise<unknown> = Promise.resolve();
  for (const id of MODEL_IDS.filter((m) => MODEL_SPECS[m].loading === 'background')) {
    const loaded = previous.then(() => load(id));
    // Failures surface through the calls that await this model, and as 'model-failed' progress.
    loaded.catch(() => {});
    loads.set(id, loaded);
    previous = loaded.catch(() => {});
  }
  const allSettled = previous.then(() => {});
  const loadedModel = async (id: ModelId) => {
    await loads.get(id);
    if (disposed) throw new Error('the models were disposed');
  };

  const pnet = graphs.get('pnet');
  const rnet = graphs.get('rnet');
  const onet = graphs.get('onet');
  if (pnet === undefined || rnet === undefined || onet === undefined)
    throw new Error('MTCNN must load at start: see MODEL_SPECS.loading');

  return {
    info,
    detector: faceDetectorFromNets({ pnet, rnet, onet }, {}, offload),
    async graph(id) {
      await loadedModel(id);
      const model = graphs.get(id);
      if (model === undefined) throw new Error(`model "${id}" is not loaded`);
      return model;
    },
    async embedder(id) {
      await loadedModel(EMBEDDER_SPECS[id].modelId);
      const embedder = embedders.get(id);
      if (embedder === undefined) throw new Error(`embedder "${id}" is not loaded`);
      return embedder;
    },
    settled: () => allSettled,
    dispose: disposeAll,
  };
}
