/**
 * Distances between embeddings. Single pairs are plain TypeScript; many-to-many comparisons are
 * ONE matrix product on the tfjs backend (plus top-k), read back once.
 *
 * - cosine:        1 − a·b / (‖a‖·‖b‖)                    ∈ [0, 2]
 * - euclidean:     ‖a − b‖                                ∈ [0, ∞)
 * - euclidean-l2:  ‖a/‖a‖ − b/‖b‖‖ = √(2 · cosine)        ∈ [0, 2]
 *
 * Matrix forms: cosine = 1 − Â·B̂ᵀ; euclidean = √max(0, ‖a‖² + ‖b‖² − 2·A·Bᵀ) (float32 cancellation
 * leaves ~1e-3 absolute error near 0, far below any decision threshold).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DistanceMetric } from '../models/specs.ts';

export type { DistanceMetric } from '../models/specs.ts';
export {
  cosineDistance,
  DISTANCE_METRICS,
  distance,
  euclideanDistance,
  isDistanceMetric,
  l2EuclideanDistance,
} from './vector-distance.ts';

type Vector = ArrayLike<number>;

/** Rows → `[rows, dim]` tensor (float32). Caller disposes. */
export function toMatrix(rows: readonly Vector[], dim?: number): tf.Tensor2D {
  const d = dim ?? rows[0]?.length ?? 0;
  const flat = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new Error(`embedding ${i} has ${r.length} values, expected ${d}`);
    flat.set(r as ArrayLike<number>, i * d);
  });
  return tf.tensor2d(flat, [rows.length, d]);
}

/**
 * `[P, G]` distances between probe rows and gallery rows: one matMul. Tensor building block; call
 * inside tf.tidy.
 */
export function distanceMatrixTensor(
  probes: tf.Tensor2D,
  gallery: tf.Tensor2D,
  metric: DistanceMetric,
): tf.Tensor2D {
  return tf.tidy(() => {
    if (metric === 'euclidean') {
      const dots = tf.matMul(probes, gallery, false, true);
      const pn = tf.sum(tf.square(probes), 1, true);
      const gn = tf.reshape(tf.sum(tf.square(gallery), 1), [1, -1]);
      return tf.sqrt(tf.relu(tf.sub(tf.add(pn, gn), tf.mul(dots, 2)))) as tf.Tensor2D;
    }
    const unit = (m: tf.Tensor2D) => tf.div(m, tf.maximum(tf.norm(m, 'euclidean', 1, true), 1e-12));
    // clamp float32 rounding (|cos| can exceed 1 by ~1e-7) so distances stay in [0, 2]
    const cos = tf.clipByValue(
      tf.sub(1, tf.matMul(unit(probes), unit(gallery), false, true)),
      0,
      2,
    ) as tf.Tensor2D;
    return metric === 'cosine' ? cos : (tf.sqrt(tf.mul(cos, 2)) as tf.Tensor2D);
  });
}

/** All probe × gallery distances as rows of plain numbers. One matMul, one read. */
export async function distanceMatrix(
  probes: readonly Vector[],
  gallery: readonly Vector[],
  metric: DistanceMetric,
): Promise<Float32Array[]> {
  if (probes.length === 0) return [];
  if (gallery.length === 0) return probes.map(() => new Float32Array(0));
  const dim = probes[0]?.length ?? 0;
  const d = tf.tidy(() => distanceMatrixTensor(toMatrix(probes, dim), toMatrix(gallery, dim), metric));
  try {
    const flat = (await d.data()) as Float32Array;
    return probes.map((_, i) => flat.slice(i * gallery.length, (i + 1) * gallery.length));
  } finally {
    d.dispose();
  }
}

export interface Neighbour {
  readonly index: number;
  readonly distance: number;
}

/**
 * The k nearest gallery rows of every probe (ascending distance): one matMul + topk, one read
 * (values and indices travel in one tensor).
 */
export async function nearestNeighbours(
  probes: readonly Vector[],
  gallery: readonly Vector[],
  metric: DistanceMetric,
  k = 1,
): Promise<Neighbour[][]> {
  const kk = Math.min(Math.max(1, Math.floor(k)), gallery.length);
  if (probes.length === 0) return [];
  if (gallery.length === 0) return probes.map(() => []);
  const dim = probes[0]?.length ?? 0;
  const packed = tf.tidy(() => {
    const d = distanceMatrixTensor(toMatrix(probes, dim), toMatrix(gallery, dim), metric);
    const { values, indices } = tf.topk(tf.neg(d), kk);
    return tf.concat([tf.neg(values), tf.cast(indices, 'float32')], 1);
  });
  try {
    const flat = await packed.data();
    return probes.map((_, i) => {
      const row: Neighbour[] = [];
      for (let j = 0; j < kk; j++) {
        row.push({ distance: flat[i * 2 * kk + j] as number, index: flat[i * 2 * kk + kk + j] as number });
      }
      return row;
    });
  } finally {
    packed.dispose();
  }
}
