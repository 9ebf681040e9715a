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
 * Rows prepared for one metric: unit rows (cosine, euclidean-l2), or the rows with their squared
 * norms as a `[1, rows]` tensor (euclidean). A gallery prepared once can be searched many times
 * (gallery-index.ts) with exactly the numbers of a per-call `distanceMatrixTensor`.
 */
export type PreparedRows =
  | { readonly metric: 'cosine' | 'euclidean-l2'; readonly unit: tf.Tensor2D }
  | { readonly metric: 'euclidean'; readonly rows: tf.Tensor2D; readonly squaredNorms: tf.Tensor2D };

/** `rows` prepared for `metric` (new tensors; call inside tf.tidy or dispose them). */
export function prepareRows(rows: tf.Tensor2D, metric: DistanceMetric): PreparedRows {
  if (metric === 'euclidean') {
    return { metric, rows, squaredNorms: tf.reshape(tf.sum(tf.square(rows), 1), [1, -1]) };
  }
  return { metric, unit: unitRows(rows) };
}

/** Each row divided by its L2 norm (zero rows stay zero). */
const unitRows = (rows: tf.Tensor2D): tf.Tensor2D =>
  tf.div(rows, tf.maximum(tf.norm(rows, 'euclidean', 1, true), 1e-12));

/** The tensors a PreparedRows holds (to keep or dispose them). */
export function preparedTensors(prepared: PreparedRows): tf.Tensor[] {
  return prepared.metric === 'euclidean' ? [prepared.rows, prepared.squaredNorms] : [prepared.unit];
}

/** `[P, G]` distances between raw probe rows and a prepared gallery: one matMul. Call inside tf.tidy. */
export function distancesToPrepared(
  probes: tf.Tensor2D,
  gallery: PreparedRows,
  metric: DistanceMetric,
): tf.Tensor2D {
  if (gallery.metric !== metric) throw new Error(`gallery prepared for ${gallery.metric}, not ${metric}`);
  if (gallery.metric === 'euclidean') {
    const dots = tf.matMul(probes, gallery.rows, false, true);
    const pn = tf.sum(tf.square(probes), 1, true);
    return tf.sqrt(tf.relu(tf.sub(tf.add(pn, gallery.squaredNorms), tf.mul(dots, 2)))) as tf.Tensor2D;
  }
  // clamp float32 rounding (|cos| can exceed 1 by ~1e-7) so distances stay in [0, 2]
  const cos = tf.clipByValue(
    tf.sub(1, tf.matMul(unitRows(probes), gallery.unit, false, true)),
    0,
    2,
  ) as tf.Tensor2D;
  return metric === 'cosine' ? cos : (tf.sqrt(tf.mul(cos, 2)) as tf.Tensor2D);
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
  return tf.tidy(() => distancesToPrepared(probes, prepareRows(gallery, metric), metric));
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
  const packed = tf.tidy(() =>
    packNearest(distanceMatrixTensor(toMatrix(probes, dim), toMatrix(gallery, dim), metric), kk),
  );
  return readNearest(packed, probes.length, kk);
}

/** `[P, 2k]`: the k smallest distances of each row, then their column indices (as float32). */
export function packNearest(distances: tf.Tensor2D, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { values, indices } = tf.topk(tf.neg(distances), k);
    return tf.concat([tf.neg(values), tf.cast(indices, 'float32')], 1);
  });
}

/** Reads packNearest's result once (and disposes it) as plain neighbours. */
export async function readNearest(packed: tf.Tensor2D, probes: number, k: number): Promise<Neighbour[][]> {
  try {
    const flat = await packed.data();
    return Array.from({ length: probes }, (_, i) => {
      const row: Neighbour[] = [];
      for (let j = 0; j < k; j++) {
        row.push({ distance: flat[i * 2 * k + j] as number, index: flat[i * 2 * k + k + j] as number });
      }
      return row;
    });
  } finally {
    packed.dispose();
  }
}
