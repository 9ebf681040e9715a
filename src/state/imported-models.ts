/**
 * The page's calls for imported keras-vggface models ("Add model…"): the .h5 bytes are transferred to
 * the worker (no copy of a 100 MB file), progress comes back through a comlink proxy, and every failure
 * is a result with a message for the user, never a rejection that could crash the view.
 */
import { proxy, transfer } from 'comlink';
import type { ImportedEmbedderId } from '../models/embedders.ts';
import type { EngineClient } from '../worker/client.ts';
import type {
  ImportedModelInfo,
  ModelImportProgress,
  ModelImportResult,
  WeightStorageChoice,
} from '../worker/imported-models-api.ts';

export type { ImportedModelInfo, ModelImportProgress, ModelImportResult, WeightStorageChoice };

// Through `call`, not `api`: a call on a worker that dies (e.g. out of memory on a large .h5) rejects
// instead of waiting forever.
type Client = Pick<EngineClient, 'call'>;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function importModelFile(
  client: Client,
  file: File,
  storage: WeightStorageChoice,
  onProgress: (progress: ModelImportProgress) => void,
): Promise<ModelImportResult> {
  try {
    const bytes = await file.arrayBuffer();
    return await client.call<ModelImportResult>((api) =>
      api.importModel(transfer({ name: file.name, bytes }, [bytes]), { storage }, proxy(onProgress)),
    );
  } catch (error) {
    return {
      ok: false,
      code: 'import-failed',
      message: `The model could not be imported (${messageOf(error)}).`,
    };
  }
}

export async function listImportedModels(client: Client): Promise<ImportedModelInfo[]> {
  return client.call((api) => api.listImportedModels());
}

/** Resolves to an error message, or null once removed. */
export async function removeImportedModel(client: Client, id: ImportedEmbedderId): Promise<string | null> {
  try {
    await client.call((api) => api.removeImportedModel(id));
    return null;
  } catch (error) {
    return messageOf(error);
  }
}
