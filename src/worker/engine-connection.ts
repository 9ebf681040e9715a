/**
 * One inference worker and the means to know it has ended: the transport under the restartable
 * client (client.ts). Tests of the restart logic substitute their own EngineConnection.
 */
import { type Remote, releaseProxy, wrap } from 'comlink';
import type { EngineApi } from './api.ts';
import { canWatchLifeLock, whenLifeLockReleased } from './life-lock.ts';

export interface EngineConnection {
  readonly api: Remote<EngineApi>;
  /**
   * Resolves, with a reason, once the worker is gone or unusable by any means other than `close()`:
   * its script failed, an error escaped it, or it ended (crash, out of memory, killed).
   */
  readonly ended: Promise<string>;
  /** Ends the worker on purpose; `ended` then never resolves. */
  close(): void;
  /** Test-only: ends the worker abruptly, as a crash would, without telling anyone. */
  kill(): void;
}

export type SpawnEngine = () => EngineConnection;

/** Unique per worker, so an old worker's lock can never be mistaken for a new one's. */
const lockName = () => `facecheck-engine-${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** Starts src/worker/worker.ts as a module worker. */
export function spawnWorker(): EngineConnection {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), {
    type: 'module',
    name: 'facecheck-engine',
  });
  const api = wrap<EngineApi>(worker);
  const closing = new AbortController();
  let killed: () => void = () => {};

  const ended = new Promise<string>((resolve) => {
    worker.addEventListener('error', (event) => {
      resolve(event.message !== '' ? event.message : 'script error (see the console)');
    });
    worker.addEventListener('messageerror', () => resolve('a message from the worker could not be read'));
    const name = lockName();
    // The lock request is queued only once the worker holds the lock, else it would be granted now.
    void api.holdLifeLock(name).then(
      (held) => {
        if (held) void whenLifeLockReleased(name, closing.signal).then(() => resolve('the worker stopped'));
      },
      () => {},
    );
    // Without Web Locks nothing would notice a kill, so the test hook reports it itself.
    if (!canWatchLifeLock()) killed = () => resolve('the worker was killed');
  });

  return {
    api,
    // A worker closed on purpose is not a crash: `ended` stays pending.
    ended: ended.then((reason) => (closing.signal.aborted ? new Promise<string>(() => {}) : reason)),
    close() {
      closing.abort();
      api[releaseProxy]();
      worker.terminate();
    },
    kill() {
      worker.terminate();
      killed();
    },
  };
}
