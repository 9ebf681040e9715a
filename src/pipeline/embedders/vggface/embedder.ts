// A keras-vggface backbone as a pipeline Embedder, so the same detect → crop → embed → decide code runs
// MobileFaceNet and a user's imported VGGFace2 model. Preprocessing is the recipe's (RGB → BGR, minus the
// v1 or v2 means, 224×224), decisions are by cosine distance at 0.5, and faces are cropped the recipe's way
// (the detector box, unaligned) unless `faceCrop: 'aligned'` asks for a landmark-aligned crop.
import * as tf from '@tensorflow/tfjs-core';
import type { ImportedEmbedderId } from '../../../models/embedders.ts';
import type { DistanceMetric } from '../../../models/specs.ts';
import { ARCFACE_112, scaleTemplate } from '../../align/templates.ts';
import type { Embedder, FaceCropMode } from '../embedder.ts';
import { splitRows } from '../embedder.ts';
import {
  ARCHITECTURE_FACTS,
  forward as backbone,
  createParams,
  disposeParams,
  VGGFACE_INPUT_SIZE,
  type VggfaceArchitecture,
  type WeightMap,
} from './architectures';
import { VGGFACE_MODELS } from './facts';
import { preprocessInput } from './preprocess';

/**
 * The aligned variant puts the five landmarks where ArcFace's 112 template has them, scaled to 224: a
 * tight, upright face filling the crop, about what the MTCNN box crop of a frontal face looks like.
 */
export const VGGFACE_ALIGNED_TEMPLATE = scaleTemplate(ARCFACE_112, VGGFACE_INPUT_SIZE);

export interface VggfaceEmbedderOptions {
  /** Default `box`, the recipe's crop. */
  readonly faceCrop?: FaceCropMode;
  /** Faces per forward pass (memory bound); default 8 (a ResNet-50 at 224 holds ~100 MB per face). */
  readonly maxBatch?: number;
}

/** Uploads the weights (BN folded) and returns the embedder; dispose() frees them. */
export function createVggfaceEmbedder(
  source: { readonly architecture: VggfaceArchitecture; readonly weights: WeightMap },
  options: VggfaceEmbedderOptions = {},
): Embedder<ImportedEmbedderId> {
  const facts = VGGFACE_MODELS[source.architecture];
  const { preprocessVersion } = ARCHITECTURE_FACTS[source.architecture];
  const maxBatch = options.maxBatch ?? 8;
  if (!(maxBatch >= 1)) throw new Error(`maxBatch must be ≥ 1, got ${maxBatch}`);
  const size = VGGFACE_INPUT_SIZE;
  const dim = facts.embeddingSize;
  const thresholds: Readonly<Partial<Record<DistanceMetric, number>>> = {
    cosine: facts.cosineDistanceThreshold,
  };
  let params: ReturnType<typeof createParams> | null = createParams(source.architecture, source.weights);

  const forward = (faces: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      if (params === null) throw new Error(`${facts.id} embedder was disposed`);
      const [, h, w, c] = faces.shape;
      if (h !== size || w !== size || c !== 3) {
        throw new Error(`${facts.id} takes [N, ${size}, ${size}, 3] faces, got [${faces.shape.join(', ')}]`);
      }
      return backbone(params, preprocessInput(faces, preprocessVersion));
    });

  const embed = async (faces: tf.Tensor4D): Promise<Float32Array[]> => {
    const n = faces.shape[0];
    if (n === 0) return [];
    const parts: tf.Tensor2D[] = [];
    try {
      for (let start = 0; start < n; start += maxBatch) {
        const count = Math.min(maxBatch, n - start);
        parts.push(
          tf.tidy(() =>
            forward(count === n ? faces : tf.slice(faces, [start, 0, 0, 0], [count, -1, -1, -1])),
          ),
        );
      }
      const all = parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 0);
      try {
        return splitRows((await all.data()) as Float32Array, n, dim);
      } finally {
        if (parts.length > 1) all.dispose();
      }
    } finally {
      tf.dispose(parts);
    }
  };

  return {
    id: facts.id,
    inputSize: size,
    dim,
    template: VGGFACE_ALIGNED_TEMPLATE,
    metric: 'cosine',
    defaultThreshold: facts.cosineDistanceThreshold,
    thresholds,
    l2Normalised: false,
    flipTta: false,
    faceCrop: options.faceCrop ?? 'box',
    forward,
    embed,
    dispose: () => {
      if (params !== null) disposeParams(params);
      params = null;
    },
  };
}
