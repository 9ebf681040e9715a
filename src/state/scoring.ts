/**
 * Verification scoring on the main thread, without tfjs: each test face's distance to its nearest
 * reference face. Distances depend only on embeddings, so they are computed once per (reference set,
 * photo result) and cached; the threshold only turns a distance into a verdict, which is why moving
 * the slider re-scores instantly and never calls the worker.
 */
import { embedderFacts } from '../models/embedder-facts.ts';
import type { AnyEmbedderId } from '../models/embedders.ts';
import { type DistanceMetric, distance } from '../pipeline/vector-distance.ts';
import type { AnalyzedFace } from '../worker/api.ts';
import type { Photo, PhotoResult } from './photo.ts';

export type Verdict = 'match' | 'no-match';

/** Same person iff distance ≤ threshold (the registry's convention). */
export const verdictOf = (distance: number, threshold: number): Verdict =>
  distance <= threshold ? 'match' : 'no-match';

/** Shipped models: the registry's calibration; imported keras-vggface ones: the recipe's cosine 0.5. */
export const metricOf = (embedder: AnyEmbedderId): DistanceMetric => embedderFacts(embedder).metric;

export const defaultThreshold = (embedder: AnyEmbedderId): number => embedderFacts(embedder).defaultThreshold;

/** Slider range: twice the calibrated threshold, rounded up to a tenth, so the default sits mid-track. */
export const thresholdMax = (embedder: AnyEmbedderId): number =>
  Math.ceil(defaultThreshold(embedder) * 20) / 10;

/** The face that stands for the person in one reference photo: its largest (face 0). */
export interface ReferenceFace {
  readonly photoId: string;
  readonly photoName: string;
  readonly faceIndex: number;
  readonly face: AnalyzedFace;
}

export interface Nearest {
  readonly distance: number;
  readonly reference: { readonly photoId: string; readonly faceIndex: number };
}

/** Reference faces from every analysed reference photo (made with `embedder`) that has a face. */
export function referenceFaces(photos: readonly Photo[], embedder: AnyEmbedderId): ReferenceFace[] {
  const refs: ReferenceFace[] = [];
  for (const photo of photos) {
    if (photo.role !== 'reference' || photo.status.kind !== 'done') continue;
    const { result } = photo.status;
    const face = result.faces[0];
    if (result.embedder === embedder && face !== undefined) {
      refs.push({ photoId: photo.id, photoName: photo.name, faceIndex: 0, face });
    }
  }
  return refs;
}

export function nearestReference(
  embedding: Float32Array,
  refs: readonly ReferenceFace[],
  metric: DistanceMetric,
): Nearest | null {
  let best: Nearest | null = null;
  for (const ref of refs) {
    const d = distance(embedding, ref.face.embedding, metric);
    if (best === null || d < best.distance) {
      best = { distance: d, reference: { photoId: ref.photoId, faceIndex: ref.faceIndex } };
    }
  }
  return best;
}

/** Nearest reference per face, by photo id; photos without a comparable result are absent. */
export type Scores = ReadonlyMap<string, readonly Nearest[]>;

export interface Scorer {
  /**
   * Scores every analysed test photo made with `embedder`. Reuses the previous distances of a
   * result as long as the reference faces are the same objects; computes only what is new. Returns
   * the previous map itself when nothing changed (a photo's progress, say), so views that depend
   * on scores alone skip rendering.
   */
  score(photos: readonly Photo[], embedder: AnyEmbedderId): Scores;
}

/** Same photos with the same (identical) distance lists. */
const sameScores = (a: Scores, b: Scores) =>
  a.size === b.size && [...a].every(([id, nearest]) => b.get(id) === nearest);

export function createScorer(): Scorer {
  let refsKey: readonly AnalyzedFace[] = [];
  let refsMetric: DistanceMetric | null = null;
  let cache = new WeakMap<PhotoResult, readonly Nearest[]>();
  let last: Scores = new Map();

  const sameRefs = (refs: readonly ReferenceFace[], metric: DistanceMetric) =>
    metric === refsMetric && refs.length === refsKey.length && refs.every((r, i) => r.face === refsKey[i]);

  return {
    score(photos, embedder) {
      const metric = metricOf(embedder);
      const refs = referenceFaces(photos, embedder);
      if (!sameRefs(refs, metric)) {
        refsKey = refs.map((r) => r.face);
        refsMetric = metric;
        cache = new WeakMap();
      }
      const scores = new Map<string, readonly Nearest[]>();
      for (const photo of refs.length === 0 ? [] : photos) {
        if (photo.role !== 'test' || photo.status.kind !== 'done') continue;
        const { result } = photo.status;
        if (result.embedder !== embedder) continue;
        let nearest = cache.get(result);
        if (nearest === undefined) {
          nearest = result.faces.map((f) => nearestReference(f.embedding, refs, metric) as Nearest);
          cache.set(result, nearest);
        }
        scores.set(photo.id, nearest);
      }
      if (!sameScores(scores, last)) last = scores;
      return last;
    },
  };
}

/** A test photo's overall outcome at a threshold, in the terms of the summary bar. */
export type PhotoOutcome = 'match' | 'no-match' | 'no-face' | 'error' | 'pending';

export function photoOutcome(
  photo: Photo,
  nearest: readonly Nearest[] | undefined,
  threshold: number,
): PhotoOutcome {
  switch (photo.status.kind) {
    case 'failed':
      return 'error';
    case 'done':
      if (photo.status.result.faces.length === 0) return 'no-face';
      if (nearest === undefined) return 'pending'; // analysed, but no reference face to compare with yet
      return nearest.some((n) => n.distance <= threshold) ? 'match' : 'no-match';
    default:
      return 'pending';
  }
}

export interface Summary {
  readonly total: number;
  readonly match: number;
  readonly noMatch: number;
  readonly noFace: number;
  readonly error: number;
  readonly pending: number;
}

export function summarize(tests: readonly Photo[], scores: Scores, threshold: number): Summary {
  const counts = { match: 0, 'no-match': 0, 'no-face': 0, error: 0, pending: 0 } satisfies Record<
    PhotoOutcome,
    number
  >;
  for (const photo of tests) counts[photoOutcome(photo, scores.get(photo.id), threshold)]++;
  return {
    total: tests.length,
    match: counts.match,
    noMatch: counts['no-match'],
    noFace: counts['no-face'],
    error: counts.error,
    pending: counts.pending,
  };
}

export type ResultOrder = 'added' | 'matches-first' | 'closest-first';

const OUTCOME_RANK: Readonly<Record<PhotoOutcome, number>> = {
  match: 0,
  'no-match': 1,
  'no-face': 2,
  error: 3,
  pending: 4,
};

/** Photo ids in the requested order; stable, so equal photos keep the order they were added in. */
export function orderTests(
  tests: readonly Photo[],
  scores: Scores,
  threshold: number,
  order: ResultOrder,
): string[] {
  if (order === 'added') return tests.map((p) => p.id);
  const keyed = tests.map((photo, index) => {
    const nearest = scores.get(photo.id);
    const best =
      nearest === undefined || nearest.length === 0
        ? Number.POSITIVE_INFINITY
        : Math.min(...nearest.map((n) => n.distance));
    const rank = order === 'matches-first' ? OUTCOME_RANK[photoOutcome(photo, nearest, threshold)] : 0;
    return { id: photo.id, rank, best, index };
  });
  keyed.sort((a, b) => a.rank - b.rank || a.best - b.best || a.index - b.index);
  return keyed.map((k) => k.id);
}
