/**
 * A promise over the engine store's phase, so work queued before the models finish loading waits
 * for them instead of failing.
 */
import type { EngineStore } from './engine-store.ts';

/** Resolves when the engine is ready; rejects with its error message if it fails to start. */
export function whenEngineReady(store: EngineStore): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (): boolean => {
      const { phase, error } = store.getState();
      if (phase === 'ready') resolve();
      else if (phase === 'error') reject(new Error(error?.message ?? 'the engine failed to start'));
      else return false;
      return true;
    };
    if (settle()) return;
    const unsubscribe = store.subscribe(() => {
      if (settle()) unsubscribe();
    });
  });
}
