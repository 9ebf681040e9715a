import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BAKED_SHAPE_KERNELS, enableWebglShapeUniforms } from './webgl-shapes.ts';

const FLAG = 'WEBGL_USE_SHAPES_UNIFORMS';

/**
 * Stand-ins for tfjs-webgl's kernels (no GL in Node): each records whether shape uniforms were on
 * when it ran, which is what decides how the programs it builds are compiled.
 */
describe('webgl shape uniforms, baked for convolutions', () => {
  const seen: Record<string, boolean[]> = {};
  const kernels = [...BAKED_SHAPE_KERNELS, 'Add'];

  // tfjs-backend-webgl registers the flag; it is not loaded in Node.
  beforeAll(() => tf.env().registerFlag(FLAG, () => false));

  beforeEach(() => {
    tf.env().set(FLAG, false);
    for (const name of kernels) {
      seen[name] = [];
      tf.registerKernel({
        kernelName: name,
        backendName: 'webgl',
        kernelFunc: () => {
          seen[name]?.push(tf.env().getBool(FLAG));
          return { dataId: {}, shape: [], dtype: 'float32' };
        },
      });
    }
  });

  afterEach(() => {
    for (const name of kernels) tf.unregisterKernel(name, 'webgl');
    tf.env().reset();
  });

  const run = (name: string) =>
    tf.getKernel(name, 'webgl')?.kernelFunc({ inputs: {}, backend: {} as tf.KernelBackend, attrs: {} });

  it('turns shape uniforms on, and off only while a convolution kernel runs', () => {
    enableWebglShapeUniforms();
    expect(tf.env().getBool(FLAG)).toBe(true);
    for (const name of kernels) run(name);
    for (const name of BAKED_SHAPE_KERNELS) expect(seen[name]).toEqual([false]);
    expect(seen.Add).toEqual([true]);
    expect(tf.env().getBool(FLAG)).toBe(true);
  });

  it('restores the flag when a wrapped kernel throws', () => {
    tf.unregisterKernel('FusedConv2D', 'webgl');
    tf.registerKernel({
      kernelName: 'FusedConv2D',
      backendName: 'webgl',
      kernelFunc: () => {
        throw new Error('shader failed');
      },
    });
    enableWebglShapeUniforms();
    expect(() => run('FusedConv2D')).toThrow('shader failed');
    expect(tf.env().getBool(FLAG)).toBe(true);
  });

  it('wraps each kernel once however often it is called', () => {
    enableWebglShapeUniforms();
    const first = tf.getKernel('FusedConv2D', 'webgl')?.kernelFunc;
    enableWebglShapeUniforms();
    expect(tf.getKernel('FusedConv2D', 'webgl')?.kernelFunc).toBe(first);
    run('FusedConv2D');
    expect(seen.FusedConv2D).toEqual([false]);
  });
});
