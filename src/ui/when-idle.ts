/**
 * Runs `callback` in a task of its own once the main thread is idle (within `timeoutMs` at the
 * latest); returns a function that cancels it. For work that may wait a few frames, so that many
 * such pieces do not add up inside one long task.
 */
export function whenIdle(callback: () => void, timeoutMs = 250): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(callback, { timeout: timeoutMs });
    return () => cancelIdleCallback(handle);
  }
  // Safari has no requestIdleCallback: a zero timer still gives the work a task of its own.
  const handle = setTimeout(callback, 0);
  return () => clearTimeout(handle);
}
