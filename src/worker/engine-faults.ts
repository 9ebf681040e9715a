/**
 * The engine's two recoverable faults, as errors that keep their `name` across the worker boundary
 * (comlink copies `name` and `message` of a thrown Error). Page and worker both import this file; it
 * holds no tfjs, so the page bundle stays small.
 */

/** Why the worker was replaced: it died (crash, killed, out of memory) or its WebGL context was lost. */
export type RestartCause = 'crashed' | 'gpu-lost';

const RESTARTED = 'EngineRestartedError';
const GPU_LOST = 'GpuContextLostError';

/**
 * Rejects an analysis the old worker never finished. The engine is being restarted; the caller
 * sends the photo again once it is ready (nothing about the photo itself was wrong).
 */
export class EngineRestartedError extends Error {
  constructor(
    readonly restartCause: RestartCause,
    detail: string,
  ) {
    super(`the engine was restarted (${restartCause === 'gpu-lost' ? 'WebGL context lost' : detail})`);
    this.name = RESTARTED;
  }
}

/** Thrown by the worker instead of a result computed (partly) on a lost WebGL context. */
export class GpuContextLostError extends Error {
  constructor() {
    super('the WebGL context was lost (GPU reset, driver update or too many GPU tabs)');
    this.name = GPU_LOST;
  }
}

const hasName = (error: unknown, name: string) => error instanceof Error && error.name === name;

export const isEngineRestarted = (error: unknown): boolean => hasName(error, RESTARTED);
export const isGpuContextLost = (error: unknown): boolean => hasName(error, GPU_LOST);
