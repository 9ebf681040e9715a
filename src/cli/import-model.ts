/**
 * `facecheck import-model <file.h5> [--float16] [--models-dir <dir>]`: reads a keras-vggface Keras file,
 * converts it to tfjs artifacts under `<dir>/<id>/` (model.json + weights.bin) and lists it in
 * `<dir>/imported.json`, so `--model <id>` in the CLI and the app's model picker both offer it. The default
 * folder is public/models, which the app serves (and which `npm run models` never deletes imports from).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ImportedEmbedderId } from '../models/embedders.ts';
import type { AnyEmbedder, FaceCropMode } from '../pipeline/embedders/embedder.ts';
import {
  EMPTY_IMPORTED_INDEX,
  IMPORTED_MODELS_INDEX_FILE,
  type ImportedModelEntry,
  type ImportedModelsIndex,
  loadImportedVggface,
  parseImportedModelsIndex,
  withImportedModel,
} from '../pipeline/embedders/vggface/imported-index.ts';
import {
  readVggfaceH5,
  toVggfaceArtifacts,
  VGGFACE_MANIFEST_FILE,
  VGGFACE_WEIGHTS_FILE,
  VggfaceImportError,
  type WeightStorage,
} from '../pipeline/embedders/vggface/index.ts';
import { modelFileReader, projectRoot } from './files.ts';

export const DEFAULT_MODELS_DIR = join(projectRoot, 'public/models');

/** `<dir>/imported.json`, or an empty index when nothing was imported there yet. */
export async function readImportedIndex(modelsDir: string): Promise<ImportedModelsIndex> {
  let text: string;
  try {
    text = await readFile(join(modelsDir, IMPORTED_MODELS_INDEX_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_IMPORTED_INDEX;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VggfaceImportError(
      'invalid-artifacts',
      `${join(modelsDir, IMPORTED_MODELS_INDEX_FILE)} is not JSON`,
    );
  }
  return parseImportedModelsIndex(json);
}

/** Writes next to the target, then renames: a crash never leaves a half-written file under the real name. */
async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, data);
  await rename(partial, path);
}

export interface ImportModelOptions {
  readonly storage: WeightStorage;
  readonly modelsDir: string;
  /** Called with a 0..1 fraction while the .h5 is read. */
  readonly onProgress?: (fraction: number, layer: string) => void;
}

export async function importModelFile(
  file: string,
  options: ImportModelOptions,
): Promise<ImportedModelEntry> {
  const h5 = await readVggfaceH5(await readFile(file), {
    onProgress: (p) => options.onProgress?.(p.valuesRead / p.valueCount, p.layer),
  });
  const { manifest, weightData } = toVggfaceArtifacts(h5, {
    storage: options.storage,
    sourceFile: basename(file),
  });
  h5.weights.clear(); // the float32 copy is no longer needed: free it before writing
  const dir = join(options.modelsDir, manifest.id);
  await mkdir(dir, { recursive: true });
  const manifestText = `${JSON.stringify(manifest)}\n`;
  await writeAtomically(join(dir, VGGFACE_WEIGHTS_FILE), new Uint8Array(weightData));
  await writeAtomically(join(dir, VGGFACE_MANIFEST_FILE), manifestText);
  const entry: ImportedModelEntry = {
    id: manifest.id,
    label: manifest.label,
    storage: manifest.storage,
    sourceFile: manifest.sourceFile,
    bytes: weightData.byteLength + new TextEncoder().encode(manifestText).byteLength,
    importedAt: new Date().toISOString(),
  };
  const index = withImportedModel(await readImportedIndex(options.modelsDir), entry);
  await writeAtomically(
    join(options.modelsDir, IMPORTED_MODELS_INDEX_FILE),
    `${JSON.stringify(index, null, 2)}\n`,
  );
  return entry;
}

/** The CLI command; returns the exit code (0 imported, 1 the file was refused). */
export async function runImportModel(
  file: string,
  options: { readonly storage: WeightStorage; readonly modelsDir: string; readonly json: boolean },
): Promise<number> {
  let lastPercent = -1;
  try {
    const entry = await importModelFile(file, {
      ...options,
      onProgress: (fraction) => {
        const percent = Math.floor(fraction * 10) * 10;
        if (percent !== lastPercent && !options.json) console.error(`reading ${basename(file)}: ${percent}%`);
        lastPercent = percent;
      },
    });
    if (options.json)
      console.log(JSON.stringify({ ...entry, dir: join(options.modelsDir, entry.id) }, null, 2));
    else {
      console.log(
        `Imported ${entry.label} from ${entry.sourceFile}: ${(entry.bytes / 1e6).toFixed(1)} MB (${entry.storage}) in ${join(options.modelsDir, entry.id)}`,
      );
      console.log(`Use it with --model ${entry.id}; the app lists it after a reload.`);
    }
    return 0;
  } catch (error) {
    if (error instanceof VggfaceImportError) {
      console.error(`facecheck: cannot import ${file}: ${error.message} [${error.code}]`);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      console.error(`facecheck: ${file}: file not found`);
      return 1;
    }
    throw error;
  }
}

/** An imported model's embedder, with a clear error when it was never imported into `modelsDir`. */
export async function createImportedEmbedder(
  id: ImportedEmbedderId,
  modelsDir: string,
  faceCrop: FaceCropMode,
): Promise<AnyEmbedder> {
  const index = await readImportedIndex(modelsDir);
  if (!index.models.some((m) => m.id === id)) {
    throw new Error(
      `model ${id} is not imported in ${modelsDir}: run \`facecheck import-model <the .h5 file>\` first`,
    );
  }
  return loadImportedVggface(modelFileReader(modelsDir), id, { faceCrop });
}
