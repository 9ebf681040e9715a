/** Small order statistics for benchmark samples (nearest-rank, no interpolation). */

/** The q-quantile (0 < q ≤ 1) by nearest rank; NaN for no samples. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

export const median = (samples: readonly number[]) => quantile(samples, 0.5);
export const p90 = (samples: readonly number[]) => quantile(samples, 0.9);

/** Rounds for reports: milliseconds to 0.1, ratios to 0.01 (NaN stays NaN, reported as null). */
export const round = (value: number, digits = 1): number | null =>
  Number.isFinite(value) ? Number(value.toFixed(digits)) : null;

/** Per-key medians over records that may lack some keys. */
export function keyMedians(records: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(keys.map((key) => [key, median(records.map((r) => r[key] ?? 0))]));
}
