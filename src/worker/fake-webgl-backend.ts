/**
 * Test support: installs a stand-in as tfjs's 'webgl' backend around each test (no GL in Node), so
 * code that reaches into tfjs-webgl's internals (webgl-programs.ts, webgl-textures.ts) can be
 * checked against exactly the fields it touches. The CPU backend is active again after each test.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach } from 'vitest';

/** Registers `create()`'s backend as 'webgl' before each test; returns a getter for the current one. */
export function useFakeWebglBackend<B extends tf.KernelBackend>(create: () => B): () => B {
  let backend: B | null = null;
  beforeEach(async () => {
    const current = create();
    backend = current;
    tf.registerBackend('webgl', () => current);
    await tf.setBackend('webgl');
  });
  afterEach(async () => {
    await tf.setBackend('cpu');
    tf.removeBackend('webgl');
    backend = null;
  });
  return () => {
    if (backend === null) throw new Error('the fake WebGL backend exists only inside a test');
    return backend;
  };
}
