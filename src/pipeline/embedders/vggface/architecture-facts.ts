// The keras-vggface models' plain facts (architectures, input size, embedding sizes, preprocessing
// means) with no tfjs import, so the page bundle can read them (thresholds, titles, gallery dims)
// without pulling in TensorFlow.js. architectures.ts and preprocess.ts re-export them.

export type VggfaceArchitecture = 'vgg16' | 'resnet50' | 'senet50';

export const VGGFACE_ARCHITECTURES: readonly VggfaceArchitecture[] = ['vgg16', 'resnet50', 'senet50'];

/** Every model is built for 224×224: RESNET50/SENET50 end in a hard-coded 7×7 AveragePooling2D. */
export const VGGFACE_INPUT_SIZE = 224;

/** 1: VGGFace (VGG16). 2: VGGFace2 (RESNET50, SENET50). */
export type PreprocessVersion = 1 | 2;

/** Per-channel means in B, G, R order, exactly as in keras_vggface/utils.py. */
export const VGGFACE_MEANS_BGR: Readonly<Record<PreprocessVersion, readonly [number, number, number]>> = {
  1: [93.594, 104.7624, 129.1863],
  2: [91.4953, 103.8827, 131.0912],
};

export interface ArchitectureFacts {
  readonly embeddingSize: number;
  readonly preprocessVersion: PreprocessVersion;
  /** BatchNormalization epsilon; VGG16 has no BN. */
  readonly bnEpsilon: number | null;
  /** Weighted layers of the include_top=True classifier, which the embedder never uses. */
  readonly topLayerNames: readonly string[];
}

export const ARCHITECTURE_FACTS: Readonly<Record<VggfaceArchitecture, ArchitectureFacts>> = {
  vgg16: { embeddingSize: 512, preprocessVersion: 1, bnEpsilon: null, topLayerNames: ['fc6', 'fc7', 'fc8'] },
  // RESNET50 passes no epsilon, so it is the Keras default 1e-3.
  resnet50: { embeddingSize: 2048, preprocessVersion: 2, bnEpsilon: 1e-3, topLayerNames: ['classifier'] },
  // SENET50 sets epsilon=1e-4 explicitly on every BN, the stem one included.
  senet50: { embeddingSize: 2048, preprocessVersion: 2, bnEpsilon: 1e-4, topLayerNames: ['classifier'] },
};
