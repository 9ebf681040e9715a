/**
 * Accuracy measures for an embedder on labelled faces (used by `npm run calibrate`, the CLI's
 * `pairs` benchmark and the accuracy tests). Pure TypeScript over distances, except the
 * all-pairs / rank-1 helpers, which get their distances from one matrix product.
 */
import type { DistanceMetric } from '../../models/specs.ts';
import { distanceMatrix, nearestNeighbours } from '../distance.ts';

/** Distances of genuine (same person) and impostor (different people) pairs. */
export interface PairDistances {
  readonly same: readonly number[];
  readonly different: readonly number[];
}

export interface ThresholdPoint {
  readonly threshold: number;
  readonly accuracy: number;
}

export interface VerificationMetrics {
  readonly pairs: { readonly same: number; readonly different: number };
  readonly auc: number;
  /** Highest pair accuracy; threshold = middle of the widest range of thresholds reaching it. */
  readonly bestAccuracy: ThresholdPoint;
  /** Equal error rate and the threshold where false accepts ≈ false rejects. */
  readonly eer: { readonly rate: number; readonly threshold: number };
  readonly tarAtFar: readonly { readonly far: number; readonly tar: number; readonly threshold: number }[];
  /** Accuracy at given thresholds (e.g. the model's default). */
  readonly at: readonly ThresholdPoint[];
}

interface Scored {
  readonly d: number;
  readonly same: boolean;
}

function sorted(p: PairDistances): Scored[] {
  const all: Scored[] = [
    ...p.same.map((d) => ({ d, same: true })),
    ...p.different.map((d) => ({ d, same: false })),
  ];
  return all.sort((x, y) => x.d - y.d);
}

/** P(same-pair distance < different-pair distance), ties counted ½ (Mann–Whitney U / n₁n₀). */
export function rocAuc(p: PairDistances): number {
  const all = sorted(p);
  const nSame = p.same.length;
  const nDiff = p.different.length;
  if (nSame === 0 || nDiff === 0) return Number.NaN;
  let diffBelow = 0; // different pairs with a strictly smaller distance
  let wins = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    let tieSame = 0;
    let tieDiff = 0;
    while (j < all.length && (all[j] as Scored).d === (all[i] as Scored).d) {
      if ((all[j] as Scored).same) tieSame++;
      else tieDiff++;
      j++;
    }
    // each same pair in this tie beats every different pair above it and half of the tied ones
    wins += tieSame * (nDiff - diffBelow - tieDiff) + 0.5 * tieSame * tieDiff;
    diffBelow += tieDiff;
    i = j;
  }
  return wins / (nSame * nDiff);
}

export function accuracyAt(p: PairDistances, threshold: number): number {
  const total = p.same.length + p.different.length;
  if (total === 0) return Number.NaN;
  const tp = p.same.filter((d) => d <= threshold).length;
  const tn = p.different.filter((d) => d > threshold).length;
  return (tp + tn) / total;
}

/** Distinct cut points: predicting "same" for the first `i` sorted pairs, i = 0..n. */
function cuts(all: readonly Scored[]): { i: number; tp: number; fp: number }[] {
  const out = [{ i: 0, tp: 0, fp: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < all.length; i++) {
    const s = all[i] as Scored;
    if (s.same) tp++;
    else fp++;
    const next = all[i + 1];
    if (next === undefined || next.d !== s.d) out.push({ i: i + 1, tp, fp });
  }
  return out;
}

/** Threshold between sorted[i − 1] and sorted[i] (a cut after i pairs). */
function cutThreshold(all: readonly Scored[], i: number): number {
  const lo = all[i - 1]?.d;
  const hi = all[i]?.d;
  if (lo === undefined) return (hi ?? 0) - 1e-6;
  if (hi === undefined) return lo + 1e-6;
  return (lo + hi) / 2;
}

export function bestAccuracy(p: PairDistances): ThresholdPoint {
  const all = sorted(p);
  const nDiff = p.different.length;
  const total = all.length;
  const cs = cuts(all);
  const acc = cs.map((c) => (c.tp + (nDiff - c.fp)) / total);
  const best = Math.max(...acc);
  // widest run of consecutive cuts at the best accuracy → middle of its threshold range
  let bestRun = { from: 0, to: 0, width: -1 };
  for (let k = 0; k < cs.length; k++) {
    if (acc[k] !== best) continue;
    let m = k;
    while (m + 1 < cs.length && acc[m + 1] === best) m++;
    const lo = (all[(cs[k]?.i ?? 0) - 1]?.d ?? all[0]?.d ?? 0) as number;
    const hi = (all[cs[m]?.i ?? 0]?.d ?? all[all.length - 1]?.d ?? 0) as number;
    if (hi - lo > bestRun.width) bestRun = { from: k, to: m, width: hi - lo };
    k = m;
  }
  const from = cs[bestRun.from]?.i ?? 0;
  const to = cs[bestRun.to]?.i ?? 0;
  const lo = all[from - 1]?.d;
  const hi = all[to]?.d;
  const threshold =
    lo !== undefined && hi !== undefined ? (lo + hi) / 2 : cutThreshold(all, lo === undefined ? from : to);
  return { threshold, accuracy: best };
}

export function equalErrorRate(p: PairDistances): { rate: number; threshold: number } {
  const all = sorted(p);
  const nSame = p.same.length;
  const nDiff = p.different.length;
  let best = { gap: Number.POSITIVE_INFINITY, rate: Number.NaN, threshold: Number.NaN };
  for (const c of cuts(all)) {
    const far = c.fp / nDiff;
    const frr = (nSame - c.tp) / nSame;
    const gap = Math.abs(far - frr);
    if (gap < best.gap) best = { gap, rate: (far + frr) / 2, threshold: cutThreshold(all, c.i) };
  }
  return { rate: best.rate, threshold: best.threshold };
}

/** True-accept rate at the largest threshold whose false-accept rate is ≤ far. */
export function tarAtFar(p: PairDistances, far: number): { far: number; tar: number; threshold: number } {
  const diff = [...p.different].sort((a, b) => a - b);
  const allowed = Math.floor(far * diff.length);
  // accept d < diff[allowed]: exactly `allowed` impostors (or fewer, with ties) get in
  const limit = diff[allowed];
  const threshold = limit === undefined ? Number.POSITIVE_INFINITY : limit;
  const tar = p.same.filter((d) => d < threshold).length / p.same.length;
  return { far, tar, threshold };
}

export function verificationMetrics(
  p: PairDistances,
  thresholds: readonly number[] = [],
): VerificationMetrics {
  return {
    pairs: { same: p.same.length, different: p.different.length },
    auc: rocAuc(p),
    bestAccuracy: bestAccuracy(p),
    eer: equalErrorRate(p),
    tarAtFar: [1e-2, 1e-3].map((far) => tarAtFar(p, far)),
    at: thresholds.map((threshold) => ({ threshold, accuracy: accuracyAt(p, threshold) })),
  };
}

/** Every unordered pair (i < j) of labelled embeddings, split by label equality. One matMul. */
export async function allPairDistances(
  embeddings: readonly Float32Array[],
  labels: readonly string[],
  metric: DistanceMetric,
): Promise<PairDistances> {
  const m = await distanceMatrix(embeddings, embeddings, metric);
  const same: number[] = [];
  const different: number[] = [];
  for (let i = 0; i < embeddings.length; i++) {
    const row = m[i] as Float32Array;
    for (let j = i + 1; j < embeddings.length; j++) {
      (labels[i] === labels[j] ? same : different).push(row[j] as number);
    }
  }
  return { same, different };
}

export interface Rank1Result {
  readonly rank1: number;
  readonly probes: number;
  readonly gallery: number;
  readonly errors: readonly { readonly probe: number; readonly expected: string; readonly got: string }[];
}

/**
 * Rank-1 identification: the first `perPerson` embeddings of each label (in the given order) form
 * the gallery, the rest are probes; a probe is right when its nearest gallery embedding has its label.
 */
export async function rank1Identification(
  embeddings: readonly Float32Array[],
  labels: readonly string[],
  metric: DistanceMetric,
  perPerson = 5,
): Promise<Rank1Result> {
  const seen = new Map<string, number>();
  const gallery: number[] = [];
  const probes: number[] = [];
  labels.forEach((label, i) => {
    const n = seen.get(label) ?? 0;
    seen.set(label, n + 1);
    (n < perPerson ? gallery : probes).push(i);
  });
  const nn = await nearestNeighbours(
    probes.map((i) => embeddings[i] as Float32Array),
    gallery.map((i) => embeddings[i] as Float32Array),
    metric,
    1,
  );
  const errors: { probe: number; expected: string; got: string }[] = [];
  probes.forEach((p, k) => {
    const got = labels[gallery[nn[k]?.[0]?.index ?? -1] ?? -1] ?? '?';
    const expected = labels[p] as string;
    if (got !== expected) errors.push({ probe: p, expected, got });
  });
  return {
    rank1: probes.length > 0 ? 1 - errors.length / probes.length : Number.NaN,
    probes: probes.length,
    gallery: gallery.length,
    errors,
  };
}
