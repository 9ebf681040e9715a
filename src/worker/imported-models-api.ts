/**
 * The worker calls behind "Add model…": import a keras-vggface .h5 the user picked, list and remove
 * imported models. Types only, so the page bundle never pulls in tfjs or h5wasm (EngineApi extends this).
 */
import type { AnyEmbedderId, ImportedEmbedderId } from '../models/embedders.ts';

export type WeightStorageChoice = 'float32' | 'float16';

export interface ImportedModelInfo {
  readonly id: ImportedEmbedderId;
  /** e.g. "VGGFace2 ResNet-50 (imported)". */
  readonly label: string;
  readonly storage: WeightStorageChoice;
  /** Name of the .h5 it came from (never a path). */
  readonly sourceFile: string;
  /** Size of the stored artifacts. */
  readonly bytes: number;
  /** ISO 8601. */
  readonly importedAt: string;
  /** `browser`: "Add model…", kept in this browser's IndexedDB (removable here); `server`: `facecheck import-model` (public/models/imported.json). */
  readonly origin: 'browser' | 'server';
}

/** The .h5 bytes are transferred: the sender's buffer is detached afterwards. */
export interface ModelFileInput {
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export type ModelImportProgress =
  | { readonly stage: 'reading'; readonly fraction: number }
  | { readonly stage: 'converting' }
  | { readonly stage: 'storing' };

/** Never a rejection for a bad file: a refused file is `ok: false` with the reader's code and message. */
export type ModelImportResult =
  | { readonly ok: true; readonly model: ImportedModelInfo }
  | { readonly ok: false; readonly code: string; readonly message: string };

export interface ImportedModelsApi {
  importModel(
    file: ModelFileInput,
    options: { readonly storage: WeightStorageChoice },
    onProgress?: (progress: ModelImportProgress) => void,
  ): Promise<ModelImportResult>;
  /** Browser imports first, then the CLI's (an id imported in both is listed once, as the browser's). */
  listImportedModels(): Promise<ImportedModelInfo[]>;
  /** Removes a browser import (weights and listing) and frees it if loaded; CLI imports are refused. */
  removeImportedModel(id: ImportedEmbedderId): Promise<void>;
  /**
   * Diagnostic, like `facecheck embed --no-detect`: decodes the photo as analyzePhoto does, resizes the
   * whole image to the model's input and returns its embedding.
   */
  embedWholeImageDiagnostic(
    photo: { readonly name: string; readonly bytes: ArrayBuffer },
    model: AnyEmbedderId,
  ): Promise<Float32Array>;
}
