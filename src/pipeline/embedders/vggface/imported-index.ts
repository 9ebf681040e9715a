// `imported.json`: the list of keras-vggface models converted by `facecheck import-model` into the models
// folder (public/models by default, which the app serves). One entry per architecture; importing again
// replaces it. Pure data in, data out: the CLI does the file I/O, the worker the fetching.
import { type ImportedEmbedderId, isImportedEmbedderId } from '../../../models/embedders.ts';
import type { ModelFileReader } from '../../models/load-model.ts';
import {
  fromVggfaceArtifacts,
  VGGFACE_MANIFEST_FILE,
  VGGFACE_WEIGHTS_FILE,
  type WeightStorage,
} from './artifacts';
import { createVggfaceEmbedder, type VggfaceEmbedderOptions } from './embedder';
import { VggfaceImportError } from './h5-weights';

export const IMPORTED_MODELS_INDEX_FILE = 'imported.json';

export interface ImportedModelEntry {
  readonly id: ImportedEmbedderId;
  readonly label: string;
  readonly storage: WeightStorage;
  readonly sourceFile: string;
  /** model.json + weights.bin. */
  readonly bytes: number;
  /** ISO 8601. */
  readonly importedAt: string;
}

export interface ImportedModelsIndex {
  readonly formatVersion: 1;
  readonly models: readonly ImportedModelEntry[];
}

export const EMPTY_IMPORTED_INDEX: ImportedModelsIndex = { formatVersion: 1, models: [] };

const invalid = (detail: string) =>
  new VggfaceImportError('invalid-artifacts', `${IMPORTED_MODELS_INDEX_FILE} is not valid: ${detail}`);

/** Checks every field; entries for unknown ids are an error rather than silently dropped. */
export function parseImportedModelsIndex(json: unknown): ImportedModelsIndex {
  if (typeof json !== 'object' || json === null) throw invalid('not an object');
  const { formatVersion, models } = json as { formatVersion?: unknown; models?: unknown };
  if (formatVersion !== 1) throw invalid(`formatVersion ${JSON.stringify(formatVersion)}, expected 1`);
  if (!Array.isArray(models)) throw invalid('models is not a list');
  const entries = models.map((raw: unknown, i): ImportedModelEntry => {
    const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof m.id !== 'string' || !isImportedEmbedderId(m.id))
      throw invalid(`entry ${i} has id ${JSON.stringify(m.id)}`);
    if (m.storage !== 'float32' && m.storage !== 'float16')
      throw invalid(`${m.id} has storage ${JSON.stringify(m.storage)}`);
    if (typeof m.bytes !== 'number' || !(m.bytes > 0)) throw invalid(`${m.id} has no size`);
    return {
      id: m.id,
      label: typeof m.label === 'string' ? m.label : m.id,
      storage: m.storage,
      sourceFile: typeof m.sourceFile === 'string' ? m.sourceFile : '',
      bytes: m.bytes,
      importedAt: typeof m.importedAt === 'string' ? m.importedAt : '',
    };
  });
  if (new Set(entries.map((e) => e.id)).size !== entries.length) throw invalid('an id is listed twice');
  return { formatVersion: 1, models: entries };
}

/** The index with `entry` added, replacing an earlier import of the same model. */
export function withImportedModel(
  index: ImportedModelsIndex,
  entry: ImportedModelEntry,
): ImportedModelsIndex {
  return { formatVersion: 1, models: [...index.models.filter((m) => m.id !== entry.id), entry] };
}

export function withoutImportedModel(
  index: ImportedModelsIndex,
  id: ImportedEmbedderId,
): ImportedModelsIndex {
  return { formatVersion: 1, models: index.models.filter((m) => m.id !== id) };
}

/** Reads `<id>/model.json` + `<id>/weights.bin` through `read` and builds the embedder (the caller owns it). */
export async function loadImportedVggface(
  read: ModelFileReader,
  id: ImportedEmbedderId,
  options: VggfaceEmbedderOptions = {},
) {
  const [manifest, weights] = await Promise.all([
    read(`${id}/${VGGFACE_MANIFEST_FILE}`),
    read(`${id}/${VGGFACE_WEIGHTS_FILE}`),
  ]);
  const imported = fromVggfaceArtifacts(manifest, weights);
  if (imported.facts.id !== id) {
    throw new VggfaceImportError(
      'invalid-artifacts',
      `${id}/${VGGFACE_MANIFEST_FILE} describes ${imported.facts.id}`,
    );
  }
  return createVggfaceEmbedder(
    { architecture: imported.facts.architecture, weights: imported.weights },
    options,
  );
}
