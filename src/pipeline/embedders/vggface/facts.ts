// What each keras-vggface model is, as data: id, label, input, embedding size, preprocessing, threshold.

import type { ImportedEmbedderId } from '../../../models/embedders.ts';
// From the tfjs-free module, never architectures.ts: the page bundle imports these facts.
import {
  ARCHITECTURE_FACTS,
  type PreprocessVersion,
  VGGFACE_INPUT_SIZE,
  VGGFACE_MEANS_BGR,
  type VggfaceArchitecture,
} from './architecture-facts';

/**
 * The recipe this comes from compares faces by cosine distance (1 − cos) and calls two faces the same person
 * at a distance ≤ 0.5.
 */
export const VGGFACE_COSINE_DISTANCE_THRESHOLD = 0.5;

export interface VggfaceModelFacts {
  readonly id: ImportedEmbedderId;
  readonly label: string;
  readonly architecture: VggfaceArchitecture;
  readonly inputSize: typeof VGGFACE_INPUT_SIZE;
  readonly embeddingSize: number;
  /** keras_vggface.utils.preprocess_input version: RGB → BGR, then subtract `meansBgr`. */
  readonly preprocessVersion: PreprocessVersion;
  readonly meansBgr: readonly [number, number, number];
  readonly cosineDistanceThreshold: number;
}

function facts(id: ImportedEmbedderId, label: string, architecture: VggfaceArchitecture): VggfaceModelFacts {
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
