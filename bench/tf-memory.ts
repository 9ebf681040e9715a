/** A snapshot of tfjs memory, with the WASM linear memory size when the WASM backend is active. */
import * as tf from '@tensorflow/tfjs-core';
import { webglProgramCount } from '../src/worker/webgl-programs.ts';
import type { TfMemoryReport } from './protocol.ts';

interface WasmBackendLike {
  readonly wasm?: { readonly HEAPU8?: { readonly byteLength: number } };
}

/** tf.memory() on WebGL adds the texture manager's counts (allocated includes its free pool). */
interface WebglMemoryInfo extends tf.MemoryInfo {
  readonly numBytesInGPUAllocated?: number;
}

/** `secondEngineTensors`: what the engine's second engine holds, counted in numTensors too. */
export function tfMemory(secondEngineTensors: number | null = null): TfMemoryReport {
  const info: WebglMemoryInfo = tf.memory();
  const { numTensors, numBytes, numDataBuffers } = info;
  const heap =
    tf.getBackend() === 'wasm' ? (tf.backend() as WasmBackendLike).wasm?.HEAPU8?.byteLength : undefined;
  const textures = tf.getBackend() === 'webgl' ? info.numBytesInGPUAllocated : undefined;
  return {
    numTensors: numTensors + (secondEngineTensors ?? 0),
    secondEngineTensors,
    numBytes,
    numDataBuffers,
    wasmHeapBytes: heap ?? null,
    gpuTextureBytes: textures ?? null,
    webglPrograms: webglProgramCount(),
  };
}
