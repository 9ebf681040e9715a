/** What the second engine's worker (offload-worker.ts) exposes over comlink to offload-client.ts. */
import type { EmbedderId } from '../models/embedders.ts';
import type { NetOffload, OffloadNet } from '../pipeline/offload.ts';
import type { BackendName } from './api.ts';

export interface OffloadWorkerApi extends Omit<NetOffload, 'has'> {
  /**
   * Starts `backend` (the main engine's), loads P-, R-, O-Net and `embedders` from `modelsUrl`
   * (checked against public/models/index.json) and resolves with the nets it can now run.
   */
  start(backend: BackendName, modelsUrl: string, embedders: readonly EmbedderId[]): Promise<OffloadNet[]>;
  /** Live tensors in the second engine (a leak there would not show in the main engine's count). */
  tensors(): Promise<number>;
  /**
   * Test-only: makes the worker fail as a crash would, with an error nothing catches, so the
   * client's real failure path (the worker's `error` event) stops it.
   */
  crashForTest(): Promise<void>;
}

/** `values` if it owns its whole ArrayBuffer (so it can be transferred), else a copy that does. */
export function ownedArray(values: Float32Array): Float32Array<ArrayBuffer> {
  const { buffer, byteOffset, byteLength } = values;
  return buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength
    ? (values as Float32Array<ArrayBuffer>)
    : new Float32Array(values);
}
