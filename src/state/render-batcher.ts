/**
 * Re-times a store's change notifications for rendering. React renders a zustand update
 * synchronously, in the same task as the code that made it; for updates made while a worker
 * message is handled, that put the whole re-render (and its effects) inside the message task, once
 * per progress message. Updates run through `defer` (worker progress) notify at most once per
 * animation frame instead, so several messages cost one render and no render shares a task with a
 * message. Every other update (user actions: the slider, a checkbox, Cancel) notifies at once, so
 * controlled inputs never lag, and it also delivers any deferred change still waiting.
 */

/** Calls `callback` before the next paint; returns a function that cancels the call. */
export type FrameScheduler = (callback: () => void) => () => void;

export const nextFrame: FrameScheduler = (callback) => {
  if (typeof requestAnimationFrame === 'function') {
    const handle = requestAnimationFrame(callback);
    return () => cancelAnimationFrame(handle);
  }
  // No frames outside a window (Node, workers): a short timer keeps the coalescing.
  const handle = setTimeout(callback, 16);
  return () => clearTimeout(handle);
};

export interface RenderBatcher {
  /** Runs `update`, a synchronous store update, with its notification held until the next frame. */
  defer(update: () => void): void;
  /** The store's `subscribe`, re-timed as described above. */
  subscribe(listener: () => void): () => void;
}

/**
 * `source` subscribes to the store's own change notifications; it is called when the first
 * listener arrives (so the store may be created after the batcher).
 */
export function createRenderBatcher(
  source: (onChange: () => void) => () => void,
  schedule: FrameScheduler = nextFrame,
): RenderBatcher {
  const listeners = new Set<() => void>();
  let deferring = 0;
  let cancelFrame: (() => void) | null = null;
  let unsubscribeSource: (() => void) | null = null;

  const notify = () => {
    cancelFrame?.();
    cancelFrame = null;
    for (const listener of [...listeners]) listener();
  };

  const onChange = () => {
    if (deferring === 0) notify();
    else cancelFrame ??= schedule(notify);
  };

  return {
    defer(update) {
      deferring++;
      try {
        update();
      } finally {
        deferring--;
      }
    },

    subscribe(listener) {
      listeners.add(listener);
      unsubscribeSource ??= source(onChange);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        unsubscribeSource?.();
        unsubscribeSource = null;
        cancelFrame?.();
        cancelFrame = null;
      };
    },
  };
}
