/**
 * Shared set-up for the detector tests: tfjs backends in Node and the MTCNN reference fixture.
 * WASM is the default test backend: on this 2-core machine it runs the cascade ~15× faster than the
 * plain-JS CPU backend (P-Net on a 1229 × 1000 level: ~0.3 s vs ~10 s).
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { join } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import type { ReferenceFixture } from '../../src/pipeline/mtcnn/evaluate.ts';
import { fixturesDir, projectRoot, readJson } from '../support/shared.ts';

export type NodeBackend = 'cpu' | 'wasm';

/** Makes `name` the active tfjs backend (the WASM binaries are read from node_modules). */
export async function selectBackend(name: NodeBackend): Promise<void> {
  if (name === 'wasm')
    setWasmPaths(`${join(projectRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
}

export function readReferenceFixture(): Promise<ReferenceFixture> {
  return readJson<ReferenceFixture>(join(fixturesDir, 'mtcnn-reference.json'));
}
