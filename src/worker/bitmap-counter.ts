/**
 * Counts the decoded images (ImageBitmaps) alive in the worker: one more when a decode succeeds, one
 * fewer when it is closed, and the most that were ever alive at once. A long batch must keep this
 * bounded (issue 9: a 500-photo batch never holds 500 decoded photos), and e2e/bad-input.spec.ts
 * reads it through the engine's `memory()` call to prove it.
 */
export interface BitmapCounts {
  /** Decoded images not yet closed. */
  readonly live: number;
  /** The largest `live` ever reached since the counter was made. */
  readonly maxLive: number;
  /** Every decode so far, to tell "bounded" from "never decoded anything". */
  readonly decoded: number;
}

export interface BitmapCounter {
  opened(): void;
  closed(): void;
  counts(): BitmapCounts;
}

export function createBitmapCounter(): BitmapCounter {
  let live = 0;
  let maxLive = 0;
  let decoded = 0;
  return {
    opened() {
      live++;
      decoded++;
      maxLive = Math.max(maxLive, live);
    },
    closed() {
      if (live === 0) throw new Error('internal: a bitmap was closed twice or never counted');
      live--;
    },
    counts: () => ({ live, maxLive, decoded }),
  };
}
