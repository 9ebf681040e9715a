/**
 * Distances between two embeddings, in plain TypeScript with no tfjs import, so the page's main
 * thread can re-score faces (threshold or reference changes) without loading TensorFlow.js.
 *
 * - cosine:        1 − a·b / (‖a‖·‖b‖)                    ∈ [0, 2]
 * - euclidean:     ‖a − b‖                                ∈ [0, ∞)
 * - euclidean-l2:  ‖a/‖a‖ − b/‖b‖‖ = √(2 · cosine)        ∈ [0, 2]
 */
import type { DistanceMetric } from '../models/specs.ts';

export type { DistanceMetric } from '../models/specs.ts';
export const DISTANCE_METRICS: readonly DistanceMetric[] = ['cosine', 'euclidean', 'euclidean-l2'];

export function isDistanceMetric(s: string): s is DistanceMetric {
  return (DISTANCE_METRICS as readonly string[]).includes(s);
}

export type Vector = ArrayLike<number>;

function checkDims(a: Vector, b: Vector): void {
  if (a.length !== b.length) throw new Error(`embedding sizes differ: ${a.length} vs ${b.length}`);
}

export function cosineDistance(a: Vector, b: Vector): number {
  checkDims(a, b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  const denom = Math.sqrt(na) * Math.sqrt(nb);
  return denom > 0 ? Math.min(2, Math.max(0, 1 - dot / denom)) : 1;
}

export function euclideanDistance(a: Vector, b: Vector): number {
  checkDims(a, b);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return Math.sqrt(s);
}

export function l2EuclideanDistance(a: Vector, b: Vector): number {
  return Math.sqrt(2 * Math.max(0, cosineDistance(a, b)));
}

export function distance(a: Vector, b: Vector, metric: DistanceMetric): number {
  switch (metric) {
    case 'cosine':
      return cosineDistance(a, b);
    case 'euclidean':
      return euclideanDistance(a, b);
    case 'euclidean-l2':
      return l2EuclideanDistance(a, b);
  }
}
