// Public API of the keras-vggface embedders: read a user's .h5 file (h5-weights.ts), load it, embed faces.
//   const model = loadVggface(await readVggfaceH5(bytes));
//   const [embedding] = await model.embed(rgbBatch);   // [N,224,224,3] RGB 0..255
//   model.dispose();
import type * as tf from '@tensorflow/tfjs-core';
import {
  ARCHITECTURE_FACTS,
  createParams,
  disposeParams,
  embedBatch,
  VGGFACE_INPUT_SIZE,
  type VggfaceArchitecture,
  type WeightMap,
} from './architectures';
import { type PreprocessVersion, VGGFACE_MEANS_BGR } from './preprocess';

export type { VggfaceArchitecture, WeightMap, WeightTensor } from './architectures';
export {
  type H5ReadProgress,
  type ReadVggfaceH5Options,
  readVggfaceH5,
  type VggfaceH5Weights,
  VggfaceImportError,
  type VggfaceImportErrorCode,
} from './h5-weights';

/**
 * The recipe this comes from compares faces by cosine distance (1 − cos) and calls two faces the same person
 * at a distance ≤ 0.5.
 */
export const VGGFACE_COSINE_DISTANCE_THRESHOLD = 0.5;

export interface VggfaceModelFacts {
  readonly id: string;
  readonly label: string;
  readonly architecture: VggfaceArchitecture;
  readonly inputSize: typeof VGGFACE_INPUT_SIZE;
  readonly embeddingSize: number;
  /** keras_vggface.utils.preprocess_input version: RGB → BGR, then subtract `meansBgr`. */
  readonly preprocessVersion: PreprocessVersion;
  readonly meansBgr: readonly [number, number, number];
  readonly cosineDistanceThreshold: number;
}

function facts(id: string, label: string, architecture: VggfaceArchitecture): VggfaceModelFacts {
  const { embeddingSize, preprocessVersion } = ARCHITECTURE_FACTS[architecture];
  return {
    id,
    label,
    architecture,
    inputSize: VGGFACE_INPUT_SIZE,
    embeddingSize,
    preprocessVersion,
    meansBgr: VGGFACE_MEANS_BGR[preprocessVersion],
    cosineDistanceThreshold: VGGFACE_COSINE_DISTANCE_THRESHOLD,
  };
}

export const VGGFACE_MODELS: Readonly<Record<VggfaceArchitecture, VggfaceModelFacts>> = {
  vgg16: facts('vggface-vgg16', 'VGGFace VGG16 (imported)', 'vgg16'),
  resnet50: facts('vggface2-resnet50', 'VGGFace2 ResNet-50 (imported)', 'resnet50'),
  senet50: facts('vggface2-senet50', 'VGGFace2 SENet-50 (imported)', 'senet50'),
};

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
