/** A snapshot of tfjs memory, with the WASM linear memory size when the WASM backend is active. */
import * as tf from '@tensorflow/tfjs-core';
import type { TfMemoryReport } from './protocol.ts';

interface WasmBackendLike {
  readonly wasm?: { readonly HEAPU8?: { readonly byteLength: number } };
}

export function tfMemory(): TfMemoryReport {
  const { numTensors, numBytes, numDataBuffers } = tf.memory();
  const heap =
    tf.getBackend() === 'wasm' ? (tf.backend() as WasmBackendLike).wasm?.HEAPU8?.byteLength : undefined;
  return { numTensors, numBytes, numDataBuffers, wasmHeapBytes: heap ?? null };
}
