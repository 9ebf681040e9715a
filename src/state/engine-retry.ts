/**
 * How the session treats a photo whose analysis the engine never finished because the worker died
 * or lost its GPU (EngineRestartedError): nothing was wrong with the photo, so it is sent again once
 * the restarted engine is ready, from its File (the bytes sent before were transferred away). A
 * photo that takes the engine down every time is given up after a few tries, so it cannot keep
 * killing the worker.
 */

import type { PhotoProblem } from '../worker/api.ts';
import { isEngineRestarted } from '../worker/engine-faults.ts';

/** Tries per photo, the first included. */
export const MAX_ENGINE_ATTEMPTS = 3;

/**
 * What to do with a photo whose try number `attempt` failed with `error`: send it again, give up on
 * it (the engine died on every try), or neither (not an engine restart: the caller reports it).
 */
export function afterEngineFailure(error: unknown, attempt: number): 'resend' | 'give-up' | 'other' {
  if (!isEngineRestarted(error)) return 'other';
  return attempt < MAX_ENGINE_ATTEMPTS ? 'resend' : 'give-up';
}

/** The card's message once a photo has stopped the engine on every try. */
export const engineGaveUpProblem = (): PhotoProblem => ({
  code: 'analysis-failed',
  message: `The engine stopped ${MAX_ENGINE_ATTEMPTS} times while analysing this photo, so it was not tried again. The other photos were not affected.`,
});
