/**
 * Face embedders: the facts the pipeline needs to use each one (input size, landmark template,
 * metric, calibrated thresholds). Weights, sources and pixel normalisation live in ./specs.ts
 * (`modelId`); this file adds what turns an embedding into a decision.
 *
 * Thresholds are distances: `distance ≤ threshold` ⇒ same person. Every number below is the
 * best-accuracy threshold printed by `npm run calibrate` (scripts/calibrate.ts) on
 * ../shared/data/faces/aligned (4 people × 30, all 1,740 same / 5,400 different pairs); see
 * docs/recognition.md for the full output. They are never tuned by hand to a test.
 */
import { ARCFACE_112, dlibChipTemplate, type LandmarkTemplate } from '../pipeline/align/templates.ts';
import type { DistanceMetric, ModelId } from './specs.ts';

export type EmbedderId = 'mobilefacenet' | 'facerecognitionnet';

export interface EmbedderSpec {
  readonly id: EmbedderId;
  readonly title: string;
  /** Weights in MODEL_SPECS / public/models. */
  readonly modelId: ModelId;
  /** Square input side in pixels. */
  readonly inputSize: number;
  readonly dim: number;
  /** Where the five MTCNN landmarks go in the input crop. */
  readonly template: LandmarkTemplate;
  /** Whether `embed` returns unit vectors. */
  readonly l2Normalised: boolean;
  /** The metric decisions use unless told otherwise. */
  readonly metric: DistanceMetric;
  /** Calibrated decision thresholds per metric (same person iff distance ≤ threshold). */
  readonly thresholds: Readonly<Partial<Record<DistanceMetric, number>>>;
  /** Horizontal-flip test-time augmentation on by default (only where it measurably helps). */
  readonly flipTta: boolean;
}

export const EMBEDDER_SPECS = {
  mobilefacenet: {
    id: 'mobilefacenet',
    title: 'MobileFaceNet (192-d, ArcFace 112×112 alignment)',
    modelId: 'mobilefacenet',
    inputSize: 112,
    dim: 192,
    template: ARCFACE_112,
    l2Normalised: true,
    metric: 'cosine',
    // `npm run calibrate` → mobilefacenet, flipTta false, bestAccuracy.threshold (accuracy 0.9943,
    // AUC 0.99965). Flip TTA is off: on aligned/ it moves AUC by +0.00005 and EER by +0.0005 (worse)
    // for twice the compute.
    thresholds: { cosine: 0.6314, 'euclidean-l2': 1.1237 },
    flipTta: false,
  },
  facerecognitionnet: {
    id: 'facerecognitionnet',
    title: 'FaceRecognitionNet (dlib ResNet-34, 128-d, dlib face-chip alignment)',
    modelId: 'facerecognitionnet',
    inputSize: 150,
    dim: 128,
    template: dlibChipTemplate(150),
    l2Normalised: false,
    metric: 'euclidean',
    // `npm run calibrate` → facerecognitionnet, flipTta true, bestAccuracy.threshold (euclidean:
    // accuracy 0.9854, AUC 0.99864). dlib / face-api.js customarily use euclidean 0.6 (accuracy
    // 0.9822 here). Flip TTA is on: it raises AUC 0.99723 → 0.99864 and lowers EER 0.025 → 0.018.
    thresholds: { euclidean: 0.6182, cosine: 0.0933, 'euclidean-l2': 0.4319 },
    flipTta: true,
  },
} as const satisfies Record<EmbedderId, EmbedderSpec>;

export const EMBEDDER_IDS = Object.keys(EMBEDDER_SPECS) as EmbedderId[];
export const DEFAULT_EMBEDDER: EmbedderId = 'mobilefacenet';

export function isEmbedderId(id: string): id is EmbedderId {
  return Object.hasOwn(EMBEDDER_SPECS, id);
}

/** The calibrated threshold of an embedder for a metric; throws when none was calibrated. */
export function thresholdFor(id: EmbedderId, metric: DistanceMetric): number {
  const spec: EmbedderSpec = EMBEDDER_SPECS[id];
  const t = spec.thresholds[metric];
  if (t === undefined) throw new Error(`no calibrated ${metric} threshold for ${id}; pass one explicitly`);
  return t;
}

/**
 * keras-vggface models a user imports from their own Keras .h5 file (`facecheck import-model` or "Add
 * model…"; docs/vggface.md). Never shipped: they exist only once imported, one per architecture.
 */
export const IMPORTED_EMBEDDER_IDS = ['vggface-vgg16', 'vggface2-resnet50', 'vggface2-senet50'] as const;
export type ImportedEmbedderId = (typeof IMPORTED_EMBEDDER_IDS)[number];

/** A shipped embedder or an imported one. */
export type AnyEmbedderId = EmbedderId | ImportedEmbedderId;

export function isImportedEmbedderId(id: string): id is ImportedEmbedderId {
  return (IMPORTED_EMBEDDER_IDS as readonly string[]).includes(id);
}
