/**
 * Tells the page when its worker has died. A crashed, killed or out-of-memory worker fires no event
 * the page can rely on, and comlink calls to it simply never settle; a heartbeat would misfire while
 * a long synchronous op (an emulated-GL shader compile takes seconds) blocks the worker. Instead the
 * worker holds a Web Lock for its whole life, and the page queues for the same lock: the browser
 * grants it to the page exactly when the worker is gone, however it ended.
 */

/** The browser's lock manager, when it has one (Web Locks need a secure context). */
const lockManager = (): LockManager | undefined =>
  typeof navigator === 'undefined' ? undefined : (navigator.locks as LockManager | undefined);

/** Worker side: takes lock `name` until the worker ends. Resolves true once held, false without Web Locks. */
export function holdLifeLock(name: string): Promise<boolean> {
  const locks = lockManager();
  if (locks === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    locks
      .request(name, () => {
        resolve(true);
        return new Promise<never>(() => {}); // held until the worker ends
      })
      .catch(() => resolve(false));
  });
}

/**
 * Page side: resolves when lock `name` is released, i.e. when the worker holding it has ended.
 * Aborting `signal` (the page closed the worker itself) stops waiting; the promise then never settles.
 */
export function whenLifeLockReleased(name: string, signal: AbortSignal): Promise<void> {
  const locks = lockManager();
  if (locks === undefined) return new Promise(() => {});
  return new Promise((resolve) => {
    locks.request(name, { signal }, () => resolve()).catch(() => {});
  });
}

/** True when this browser can watch a worker's life through Web Locks. */
export const canWatchLifeLock = (): boolean => lockManager() !== undefined;
