/**
 * A serial work queue: feeds the worker one photo at a time, so a long batch never holds more than
 * one decoded photo and a photo added while the batch runs simply joins the end (or the front, for
 * references, which every other result is scored against). DOM-free and framework-free.
 */

export interface QueueProgress<T> {
  /** The item being worked on, or null when idle. */
  readonly current: T | null;
  readonly pending: readonly T[];
  /** Items settled since the queue last went idle (a "batch"). */
  readonly finished: number;
  /** finished + current + pending, for the same batch. */
  readonly total: number;
}

export interface WorkQueue<T> {
  /** Adds items; `front` puts them before everything still pending, in the order given. */
  enqueue(items: readonly T[], options?: { readonly front?: boolean }): void;
  /** Drops pending items matching `drop` (they are not worked on); returns them. */
  remove(drop: (item: T) => boolean): T[];
  /** Aborts the current item and drops every pending one; returns all of them, current first. */
  cancel(): T[];
  progress(): QueueProgress<T>;
  /** Resolves when the queue is idle (immediately if it already is). */
  idle(): Promise<void>;
}

export interface QueueHooks<T> {
  /**
   * Does the work for one item. It must settle; rejecting is allowed (the queue moves on). `signal`
   * aborts when the item is cancelled: the queue moves on at once without waiting for it.
   */
  readonly run: (item: T, signal: AbortSignal) => Promise<void>;
  /** Called after every change of `progress()`. */
  readonly onProgress?: (progress: QueueProgress<T>) => void;
}

export function createWorkQueue<T>({ run, onProgress = () => {} }: QueueHooks<T>): WorkQueue<T> {
  let pending: T[] = [];
  let current: { readonly item: T; readonly controller: AbortController } | null = null;
  let finished = 0;
  let idleWaiters: (() => void)[] = [];

  const progress = (): QueueProgress<T> => ({
    current: current?.item ?? null,
    pending: [...pending],
    finished,
    total: finished + (current === null ? 0 : 1) + pending.length,
  });

  const settleIdle = () => {
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const pump = () => {
    if (current !== null) return;
    const item = pending.shift();
    if (item === undefined) {
      // A batch ends when the queue empties; the next enqueue starts counting from zero.
      finished = 0;
      onProgress(progress());
      settleIdle();
      return;
    }
    const controller = new AbortController();
    const job = { item, controller };
    current = job;
    onProgress(progress());
    const settle = () => {
      // A cancelled job has already been replaced; its late settlement must not touch the queue.
      if (current !== job) return;
      current = null;
      finished++;
      pump();
    };
    // Deferred a microtask, so `enqueue` returns before any work starts (and a throwing `run` still settles).
    Promise.resolve()
      .then(() => run(item, controller.signal))
      .then(settle, settle);
  };

  return {
    enqueue(items, options = {}) {
      if (items.length === 0) return;
      pending = options.front === true ? [...items, ...pending] : [...pending, ...items];
      if (current === null) pump();
      else onProgress(progress());
    },

    remove(drop) {
      const dropped = pending.filter(drop);
      if (dropped.length > 0) {
        pending = pending.filter((item) => !drop(item));
        onProgress(progress());
      }
      return dropped;
    },

    cancel() {
      const dropped = [...(current === null ? [] : [current.item]), ...pending];
      current?.controller.abort();
      current = null;
      pending = [];
      pump();
      return dropped;
    },

    progress,

    idle() {
      if (current === null && pending.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
