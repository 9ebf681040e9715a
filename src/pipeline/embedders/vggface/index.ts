// Public API of the keras-vggface embedders: read a user's .h5 file (h5-weights.ts), load it, embed faces.
//   const model = loadVggface(await readVggfaceH5(bytes));
//   const [embedding] = await model.embed(rgbBatch);   // [N,224,224,3] RGB 0..255
//   model.dispose();
import type * as tf from '@tensorflow/tfjs-core';
import {
  createParams,
  disposeParams,
  embedBatch,
  VGGFACE_INPUT_SIZE,
  type VggfaceArchitecture,
  type WeightMap,
} from './architectures';
import { VGGFACE_MODELS } from './facts';

export type { VggfaceArchitecture, WeightMap, WeightTensor } from './architectures';
export {
  fromVggfaceArtifacts,
  type ImportedVggface,
  parseVggfaceManifest,
  toVggfaceArtifacts,
  VGGFACE_MANIFEST_FILE,
  VGGFACE_WEIGHTS_FILE,
  type VggfaceArtifactManifest,
  type VggfaceArtifacts,
  type WeightStorage,
} from './artifacts';
export {
  VGGFACE_COSINE_DISTANCE_THRESHOLD,
  VGGFACE_MODELS,
  type VggfaceModelFacts,
} from './facts';
export {
  type H5ReadProgress,
  type ReadVggfaceH5Options,
  readVggfaceH5,
  type VggfaceH5Weights,
  VggfaceImportError,
  type VggfaceImportErrorCode,
} from './h5-weights';

export interface VggfaceModel {
  readonly id: string;
  readonly architecture: VggfaceArchitecture;
  readonly inputSize: typeof VGGFACE_INPUT_SIZE;
  readonly embeddingSize: number;
  /** RGB 0..255 batch [N,224,224,3] (face crops) → N embeddings. The batch stays the caller's to dispose. */
  embed(batch: tf.Tensor4D): Promise<Float32Array[]>;
  /** Frees the weights. Idempotent; `embed` throws afterwards. */
  dispose(): void;
}

/** Uploads backbone weights (e.g. `readVggfaceH5`'s result) and returns a ready embedder. */
export function loadVggface(source: {
  readonly architecture: VggfaceArchitecture;
  readonly weights: WeightMap;
}): VggfaceModel {
  const { id, architecture, embeddingSize } = VGGFACE_MODELS[source.architecture];
  let params: ReturnType<typeof createParams> | null = createParams(architecture, source.weights);
  return {
    id,
    architecture,
    inputSize: VGGFACE_INPUT_SIZE,
    embeddingSize,
    embed: (batch) => {
      if (params === null) return Promise.reject(new Error(`${id}: embed() after dispose()`));
      return embedBatch(params, batch);
    },
    dispose: () => {
      if (params !== null) disposeParams(params);
      params = null;
    },
  };
}
