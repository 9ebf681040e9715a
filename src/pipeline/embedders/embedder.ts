/**
 * The small interface every face embedder implements, and the shared machinery (normalisation,
 * flip test-time augmentation, batching, one device→host read per call) around a network's forward
 * function. Networks are plain functions over weights, never classes.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  type AnyEmbedderId,
  EMBEDDER_SPECS,
  type EmbedderId,
  type EmbedderSpec,
} from '../../models/embedders.ts';
import { type DistanceMetric, MODEL_SPECS } from '../../models/specs.ts';
import type { LandmarkTemplate } from '../align/templates.ts';

/**
 * How the pipeline cuts a detected face out for the embedder: `aligned` warps the five landmarks onto
 * `template`; `box` crops the detector's box and resizes it to the input, unaligned (the keras-vggface
 * recipe's way).
 */
export type FaceCropMode = 'aligned' | 'box';

/** `Id` is the shipped embedders' by default; imported models (keras-vggface) use AnyEmbedder. */
export interface Embedder<Id extends AnyEmbedderId = EmbedderId> {
  readonly id: Id;
  /** Square input side: `embed` takes `[N, inputSize, inputSize, 3]`. */
  readonly inputSize: number;
  readonly dim: number;
  /** Landmark template the input crops must be aligned to (see src/pipeline/align). */
  readonly template: LandmarkTemplate;
  readonly metric: DistanceMetric;
  /** Calibrated threshold for `metric` (same person iff distance ≤ threshold). */
  readonly defaultThreshold: number;
  /** Calibrated thresholds for every metric this embedder supports. */
  readonly thresholds: Readonly<Partial<Record<DistanceMetric, number>>>;
  readonly l2Normalised: boolean;
  readonly flipTta: boolean;
  /** How faces are cropped before `forward`; absent means `aligned`. */
  readonly faceCrop?: FaceCropMode;
  /**
   * Graph building block for the pipeline: aligned RGB faces (0..255, any numeric dtype) →
   * `[N, dim]` embeddings. Synchronous, allocates tensors: call it inside `tf.tidy`.
   */
  forward(faces: tf.Tensor4D): tf.Tensor2D;
  /** Aligned RGB faces (0..255) → one embedding per face. One device→host read. */
  embed(faces: tf.Tensor4D): Promise<Float32Array[]>;
  dispose(): void;
}

/** Any embedder the pipeline can run: shipped or imported. */
export type AnyEmbedder = Embedder<AnyEmbedderId>;

export interface EmbedderOptions {
  /** Horizontal-flip test-time augmentation; default from the registry (EMBEDDER_SPECS). */
  readonly flipTta?: boolean;
  /** Faces per forward pass (memory bound); default 32. */
  readonly maxBatch?: number;
}

/** A network: normalised NHWC input → raw `[N, dim]` output. Synchronous tensor code. */
export type NetworkFn = (normalised: tf.Tensor4D) => tf.Tensor2D;

/** (x − mean) / divisor per channel, as float32. */
export function normaliseInput(faces: tf.Tensor4D, spec: EmbedderSpec): tf.Tensor4D {
  const { mean, divisor } = MODEL_SPECS[spec.modelId].normalisation;
  return tf.tidy(() => tf.div(tf.sub(tf.cast(faces, 'float32'), tf.tensor1d([...mean])), divisor));
}

export function l2Normalise(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12)));
}

/** Splits a `[N, dim]` host buffer into N independent rows. */
export function splitRows(data: Float32Array, n: number, dim: number): Float32Array[] {
  const rows: Float32Array[] = [];
  for (let i = 0; i < n; i++) rows.push(data.slice(i * dim, (i + 1) * dim));
  return rows;
}

/**
 * Wraps a network into an Embedder. Flip TTA runs face and mirror in one batch; L2-normalised
 * embedders sum the two raw outputs and renormalise, raw (euclidean) ones average them so the
 * distance scale — and the customary thresholds — stay the same.
 */
export function createEmbedderFromNetwork(
  id: EmbedderId,
  network: NetworkFn,
  disposeWeights: () => void,
  options: EmbedderOptions = {},
): Embedder {
  const spec: EmbedderSpec = EMBEDDER_SPECS[id];
  const flipTta = options.flipTta ?? spec.flipTta;
  const maxBatch = options.maxBatch ?? 32;
  if (!(maxBatch >= 1)) throw new Error(`maxBatch must be ≥ 1, got ${maxBatch}`);
  const defaultThreshold = spec.thresholds[spec.metric];
  if (defaultThreshold === undefined)
    throw new Error(`${id}: no threshold for its own metric ${spec.metric}`);
  const size = spec.inputSize;
  let disposed = false;

  const forward = (faces: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      if (disposed) throw new Error(`${id} embedder was disposed`);
      const [n, h, w, c] = faces.shape;
      if (h !== size || w !== size || c !== 3) {
        throw new Error(
          `${id} takes [N, ${size}, ${size}, 3] aligned faces, got [${faces.shape.join(', ')}]`,
        );
      }
      const x = normaliseInput(faces, spec);
      let out: tf.Tensor2D;
      if (flipTta) {
        const both = network(tf.concat([x, tf.reverse(x, 2)], 0));
        const summed = tf.add(
          tf.slice(both, [0, 0], [n, -1]),
          tf.slice(both, [n, 0], [n, -1]),
        ) as tf.Tensor2D;
        out = spec.l2Normalised ? summed : tf.mul(summed, 0.5);
      } else {
        out = network(x);
      }
      return spec.l2Normalised ? l2Normalise(out) : out;
    });

  const embed = async (faces: tf.Tensor4D): Promise<Float32Array[]> => {
    const n = faces.shape[0];
    if (n === 0) return [];
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < n; start += maxBatch) {
      const count = Math.min(maxBatch, n - start);
      parts.push(
        tf.tidy(() => forward(count === n ? faces : tf.slice(faces, [start, 0, 0, 0], [count, -1, -1, -1]))),
      );
    }
    const all = parts.length === 1 ? (parts[0] as tf.Tensor2D) : tf.concat(parts, 0);
    if (parts.length > 1) tf.dispose(parts);
    try {
      return splitRows((await all.data()) as Float32Array, n, spec.dim);
    } finally {
      all.dispose();
    }
  };

  return {
    id,
    inputSize: size,
    dim: spec.dim,
    template: spec.template,
    metric: spec.metric,
    defaultThreshold,
    thresholds: spec.thresholds,
    l2Normalised: spec.l2Normalised,
    flipTta,
    forward,
    embed,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      disposeWeights();
    },
  };
}
