/**
 * tfjs backend for Node (CLI, calibration, tests): WASM (SIMD; single-threaded in Node) from the
 * installed @tensorflow/tfjs-backend-wasm dist folder, falling back to the pure-JS CPU backend.
 */
import '@tensorflow/tfjs-backend-cpu';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

export type NodeBackend = 'wasm' | 'cpu';

/** Absolute path of the folder holding tfjs-backend-wasm's .wasm binaries, with a trailing '/'. */
export function wasmDistPath(): string {
  const require = createRequire(import.meta.url);
  return `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
}

/**
 * Selects `preferred` (default wasm), falling back to cpu. Returns the backend in use. Safe to call
 * more than once.
 */
export async function initNodeBackend(preferred: NodeBackend = 'wasm'): Promise<NodeBackend> {
  if (tf.getBackend() === preferred) return preferred;
  if (preferred === 'wasm') {
    try {
      setWasmPaths(wasmDistPath());
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return 'wasm';
      }
    } catch (error) {
      console.warn(
        `tfjs WASM backend unavailable (${error instanceof Error ? error.message : String(error)}); using CPU`,
      );
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}
