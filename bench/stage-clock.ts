/**
 * Lap timer for one photo: each `lap(stage)` records the time since the previous lap under that
 * stage's name. Stages only end where the pipeline already waits for the device (a read back), so
 * the laps are honest on asynchronous backends (WebGL) without adding synchronisation.
 */
export interface StageClock {
  lap(stage: string): void;
  /**
   * Ends a lap whose parts were timed elsewhere: records each part, and the rest of the lap under
   * `rest` (clamped at 0).
   */
  lapSplit(parts: readonly (readonly [stage: string, ms: number])[], rest: string): void;
  /** Adds a count that explains the time (e.g. candidate boxes per stage). */
  count(name: string, value: number): void;
  readonly stages: Readonly<Record<string, number>>;
  readonly counts: Readonly<Record<string, number>>;
  /** Milliseconds since the clock started. */
  elapsed(): number;
}

export function startStageClock(now: () => number = () => performance.now()): StageClock {
  const started = now();
  let last = started;
  const stages: Record<string, number> = {};
  const counts: Record<string, number> = {};
  return {
    lap(stage) {
      const t = now();
      stages[stage] = (stages[stage] ?? 0) + (t - last);
      last = t;
    },
    lapSplit(parts, rest) {
      const t = now();
      let remaining = t - last;
      for (const [stage, ms] of parts) {
        stages[stage] = (stages[stage] ?? 0) + ms;
        remaining -= ms;
      }
      stages[rest] = (stages[rest] ?? 0) + Math.max(0, remaining);
      last = t;
    },
    count(name, value) {
      counts[name] = value;
    },
    stages,
    counts,
    elapsed: () => now() - started,
  };
}
