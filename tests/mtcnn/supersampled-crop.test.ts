/**
 * The fused R-/O-Net crop kernel (supersampled-crop.ts) against what it replaces: `cropAndResize` at
 * k × the patch size followed by a k × k average pool, computed by tfjs-backend-cpu (a line-by-line
 * port of TensorFlow's kernel). Random pixels, boxes inside, across and fully outside the image, tiny
 * and large, every k the sampler uses. tfjs-wasm's own CropAndResize is not the reference: in
 * float32 its last sample row of a whole-image box lands past the edge and takes the pad value
 * (62 levels off at 48 × 4 samples here); the fused kernel computes positions in float64.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cropThenPool, supersampledCrop } from '../../src/pipeline/mtcnn/supersampled-crop.ts';
import { selectBackend } from './support.ts';

/** Deterministic pseudo-random pixel values in [0, 255). */
function noiseImage(height: number, width: number): tf.Tensor4D {
  let state = 12345;
  const values = Float32Array.from({ length: height * width * 3 }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state / 2 ** 31) * 255;
  });
  return tf.tensor4d(values, [1, height, width, 3]);
}

// [y1, x1, y2, x2], normalised by (side − 1) as cropAndResize takes them.
const BOXES = Float32Array.from(
  [
    [0.1, 0.2, 0.6, 0.7], // inside
    [-0.2, -0.1, 0.3, 0.4], // across the top-left corner
    [0.7, 0.8, 1.3, 1.1], // across the bottom-right corner
    [1.2, 1.2, 1.5, 1.5], // fully outside
    [0.45, 0.45, 0.47, 0.48], // a few pixels: upsampled
    [0, 0, 1, 1], // the whole image
  ].flat(),
);

describe.each(['wasm', 'cpu'] as const)('fused supersampled crop on %s', (backend) => {
  it('equals cropAndResize at k × the size followed by a k × k average pool', async () => {
    await selectBackend(backend);
    const image = noiseImage(41, 57);
    for (const size of [12, 24, 48])
      for (const k of [1, 2, 3, 4]) {
        await selectBackend('cpu');
        const reference = tf.tidy(() => cropThenPool(image, BOXES, size, k, 0));
        const referenceValues = await reference.data();
        reference.dispose();
        await selectBackend(backend);
        const fused = tf.tidy(() => supersampledCrop(image, BOXES, size, k, 0));
        expect(fused.shape).toEqual([BOXES.length / 4, size, size, 3]);
        const values = (await fused.data()) as Float32Array;
        let max = 0;
        for (const [i, v] of values.entries())
          max = Math.max(max, Math.abs(v - (referenceValues[i] as number)));
        // Float32 storage of float64 sums: agreement to a few float32 ulps of 255.
        expect(max, `size ${size}, k ${k}`).toBeLessThan(1e-3);
        fused.dispose();
      }
    image.dispose();
  });

  it('fills samples outside the image with the pad value', async () => {
    await selectBackend(backend);
    const image = noiseImage(8, 8);
    const outside = tf.tidy(() => supersampledCrop(image, Float32Array.of(2, 2, 3, 3), 4, 2, -7));
    expect(Array.from(new Set(await outside.data()))).toEqual([-7]);
    tf.dispose([image, outside]);
  });
});
