/**
 * The worker side of imported keras-vggface models: parse the user's .h5 (h5wasm, with progress),
 * convert it to tfjs artifacts (optionally float16), store them in IndexedDB, and build embedders from
 * stored or CLI-imported artifacts on demand. Everything is scoped to one engine (no module state).
 */
import { transfer } from 'comlink';
import { type EmbedderId, type ImportedEmbedderId, isImportedEmbedderId } from '../models/embedders.ts';
import type { AnyEmbedder } from '../pipeline/embedders/embedder.ts';
import { createVggfaceEmbedder } from '../pipeline/embedders/vggface/embedder.ts';
import {
  IMPORTED_MODELS_INDEX_FILE,
  loadImportedVggface,
  parseImportedModelsIndex,
} from '../pipeline/embedders/vggface/imported-index.ts';
import {
  fromVggfaceArtifacts,
  readVggfaceH5,
  toVggfaceArtifacts,
  VggfaceImportError,
} from '../pipeline/embedders/vggface/index.ts';
import { embedWholeImages } from '../pipeline/face-pipeline.ts';
import type { RgbImage } from '../pipeline/image.ts';
import type { ModelFileReader } from '../pipeline/models/load-model.ts';
import type {
  ImportedModelInfo,
  ImportedModelsApi,
  ModelImportProgress,
  ModelImportResult,
} from './imported-models-api.ts';
import {
  deleteStoredModel,
  listStoredModels,
  readStoredArtifacts,
  storeImportedModel,
} from './imported-models-db.ts';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export interface ImportedModels extends Omit<ImportedModelsApi, 'embedWholeImageDiagnostic'> {
  /** The model's embedder, loaded once and kept until removed or disposed. */
  embedder(id: ImportedEmbedderId): Promise<AnyEmbedder>;
  dispose(): void;
}

/** `read` reads the app's models folder (public/models), where the CLI's imports are listed. */
export function createImportedModels(read: ModelFileReader): ImportedModels {
  const loaded = new Map<ImportedEmbedderId, Promise<AnyEmbedder>>();

  const serverModels = async (): Promise<ImportedModelInfo[]> => {
    let bytes: ArrayBuffer;
    try {
      bytes = await read(IMPORTED_MODELS_INDEX_FILE);
    } catch {
      return []; // nothing imported with the CLI (the file is absent)
    }
    try {
      const index = parseImportedModelsIndex(JSON.parse(new TextDecoder().decode(bytes)));
      return index.models.map((m) => ({ ...m, origin: 'server' as const }));
    } catch (error) {
      console.warn(`ignoring public/models/${IMPORTED_MODELS_INDEX_FILE}: ${messageOf(error)}`);
      return [];
    }
  };

  const list = async (): Promise<ImportedModelInfo[]> => {
    const browser = (await listStoredModels()).map((m) => ({ ...m, origin: 'browser' as const }));
    const server = (await serverModels()).filter((s) => !browser.some((b) => b.id === s.id));
    return [...browser, ...server];
  };

  const forget = (id: ImportedEmbedderId) => {
    const embedder = loaded.get(id);
    loaded.delete(id);
    void embedder?.then((e) => e.dispose()).catch(() => {});
  };

  const load = async (id: ImportedEmbedderId): Promise<AnyEmbedder> => {
    const stored = await readStoredArtifacts(id);
    if (stored !== null) {
      const { facts, weights } = fromVggfaceArtifacts(stored.manifest, stored.weightData);
      return createVggfaceEmbedder({ architecture: facts.architecture, weights });
    }
    if (!(await serverModels()).some((m) => m.id === id)) throw new Error(`model ${id} is not imported`);
    return loadImportedVggface(read, id);
  };

  return {
    async importModel(file, options, onProgress = () => {}): Promise<ModelImportResult> {
      try {
        const h5 = await readVggfaceH5(file.bytes, {
          onProgress: (p) => onProgress({ stage: 'reading', fraction: p.valuesRead / p.valueCount }),
        });
        onProgress({ stage: 'converting' });
        const { manifest, weightData } = toVggfaceArtifacts(h5, {
          storage: options.storage,
          sourceFile: file.name,
        });
        h5.weights.clear(); // release the float32 copy before the database write holds its own
        onProgress({ stage: 'storing' });
        const info = {
          id: manifest.id,
          label: manifest.label,
          storage: manifest.storage,
          sourceFile: manifest.sourceFile,
          bytes: weightData.byteLength,
          importedAt: new Date().toISOString(),
        };
        await storeImportedModel(info, { manifest, weightData });
        forget(manifest.id); // a re-import replaces a loaded earlier version
        return { ok: true, model: { ...info, origin: 'browser' } };
      } catch (error) {
        if (error instanceof VggfaceImportError)
          return { ok: false, code: error.code, message: error.message };
        const quota = error instanceof DOMException && error.name === 'QuotaExceededError';
        return {
          ok: false,
          code: quota ? 'storage-full' : 'import-failed',
          message: quota
            ? 'This browser has no room left to store the model. Free some site storage and try again.'
            : `The model could not be imported (${messageOf(error)}).`,
        };
      }
    },

    listImportedModels: list,

    async removeImportedModel(id) {
      const stored = await listStoredModels();
      if (!stored.some((m) => m.id === id)) {
        throw new Error(
          `${id} was imported with the command line; delete public/models/${id} and its entry in ${IMPORTED_MODELS_INDEX_FILE} to remove it`,
        );
      }
      await deleteStoredModel(id);
      forget(id);
    },

    embedder(id) {
      let embedder = loaded.get(id);
      if (embedder === undefined) {
        embedder = load(id);
        loaded.set(id, embedder);
        embedder.catch(() => loaded.delete(id));
      }
      return embedder;
    },

    dispose() {
      for (const id of [...loaded.keys()]) forget(id);
    },
  };
}

/**
 * The RPC methods of ImportedModelsApi over an engine's imported models. `models` throws until the engine
 * is initialised (the folder of CLI imports is known only then); `decode` is analyzePhoto's decoder.
 */
export function importedModelsCalls(
  models: () => ImportedModels,
  decode: (photo: { readonly name: string; readonly bytes: ArrayBuffer }) => Promise<RgbImage>,
  shippedEmbedder: (id: EmbedderId) => Promise<AnyEmbedder>,
): ImportedModelsApi {
  return {
    importModel: (file, options, onProgress) => {
      const notify = (p: ModelImportProgress) => {
        if (onProgress !== undefined) void Promise.resolve(onProgress(p)).catch(() => {});
      };
      return models().importModel(file, options, notify);
    },
    listImportedModels: () => models().listImportedModels(),
    removeImportedModel: (id) => models().removeImportedModel(id),
    async embedWholeImageDiagnostic(photo, model) {
      const embedder = isImportedEmbedderId(model)
        ? await models().embedder(model)
        : await shippedEmbedder(model);
      const [embedding] = await embedWholeImages([await decode(photo)], embedder);
      if (embedding === undefined) throw new Error('no embedding');
      return transfer(embedding, [embedding.buffer as ArrayBuffer]);
    },
  };
}
