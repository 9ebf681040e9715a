/**
 * The 'area' sampler's octaves (resample.ts): repeated 2 × 2 means of the detection image, from which
 * pyramid levels and R-/O-Net crops are resampled. On an affine ramp every area average is exact
 * (the mean of an affine function over a box is its value at the box's centre), so sampling from an
 * octave must give what sampling the full image gives, whatever the sizes, up to the one-pixel
 * stretch of odd octave sides.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  areaOctaves,
  cropPatches,
  octaveFor,
  resizeImage,
  samplesPerPixel,
} from '../../src/pipeline/mtcnn/resample.ts';
import { selectBackend } from './support.ts';

/** value(y, x, c) = 3y + 5x + 7c + 11: affine in the pixel centre's coordinates. */
function ramp(height: number, width: number): tf.Tensor3D {
  return tf.tidy(() => {
    const ys = tf.mul(tf.reshape(tf.range(0, height), [height, 1, 1]), 3);
    const xs = tf.mul(tf.reshape(tf.range(0, width), [1, width, 1]), 5);
    const cs = tf.mul(tf.reshape(tf.range(0, 3), [1, 1, 3]), 7);
    return tf.add(tf.add(tf.add(ys, xs), cs), 11) as tf.Tensor3D;
  });
}

async function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const [value = Number.NaN] = await d.data();
  d.dispose();
  return value;
}

const shapeOf = (t: tf.Tensor3D) => [t.shape[0], t.shape[1]] as const;

describe('area octaves', () => {
  beforeAll(() => selectBackend('wasm'));

  it('halves (rounding odd sides up) down to the smallest side asked for, keeping the mean', async () => {
    const image = ramp(101, 150);
    const octaves = areaOctaves(image, 12);
    expect(octaves.map(shapeOf)).toEqual([
      [101, 150],
      [51, 75],
      [26, 38],
      [13, 19],
    ]);
    // Every octave covers the whole image, so its mean stays the image's (~540). Odd sides are first
    // stretched by one pixel with edge-clamped bilinear samples: exact inside, ±0.03 % overall.
    const means = await Promise.all(octaves.map((o) => tf.mean(o).data()));
    const [imageMean = Number.NaN] = means[0] ?? [];
    for (const [mean = Number.NaN] of means.slice(1))
      expect(Math.abs(mean - imageMean) / imageMean).toBeLessThan(3e-4);
    tf.dispose([image, ...octaves]);
  });

  it('resamples a level from the smallest octave at least twice its size', () => {
    const image = ramp(400, 300);
    const octaves = areaOctaves(image, 12);
    expect(shapeOf(octaveFor(octaves, 210, 150, shapeOf))).toEqual([400, 300]);
    expect(shapeOf(octaveFor(octaves, 100, 75, shapeOf))).toEqual([200, 150]);
    expect(shapeOf(octaveFor(octaves, 99, 74, shapeOf))).toEqual([200, 150]);
    expect(shapeOf(octaveFor(octaves, 40, 30, shapeOf))).toEqual([100, 75]);
    expect(shapeOf(octaveFor(octaves, 25, 19, shapeOf))).toEqual([50, 38]);
    expect(shapeOf(octaveFor(octaves, 500, 400, shapeOf))).toEqual([400, 300]);
    tf.dispose([image, ...octaves]);
  });

  it('gives the same pyramid level as sampling the full image, on a ramp', async () => {
    const image = ramp(333, 517);
    const octaves = areaOctaves(image, 12);
    for (const [height, width] of [
      [125, 194],
      [62, 97],
      [23, 36],
    ] as const) {
      const direct = resizeImage(image, height, width, 'area');
      const viaOctave = resizeImage(octaveFor(octaves, height, width, shapeOf), height, width, 'area');
      // Values span ~3,600; both average an affine function over the same boxes, so they agree up to
      // the one-pixel stretch of odd octave sides (edge-clamped samples): ≤ 1e-4 of the range.
      expect(await maxAbsDifference(direct, viaOctave)).toBeLessThan(0.4);
      tf.dispose([direct, viaOctave]);
    }
    tf.dispose([image, ...octaves]);
  });

  it('cuts crops from octaves in the right place: large windows match crops of the full image', async () => {
    const image = ramp(333, 517);
    const octaves = areaOctaves(image, 12).map((o) => tf.expandDims<tf.Tensor4D>(o));
    // Windows [left, top, right, bottom): small (octave 0), large (octave 2), one past the border.
    const windows = Float32Array.from([10, 20, 40, 50, 100, 80, 300, 280, 400, 200, 560, 360]);
    const fromOctaves = cropPatches(octaves, windows, 24, 'area', 0);
    const fromImage = cropPatches(octaves.slice(0, 1), windows, 24, 'area', 0);
    const inOrder = (p: typeof fromOctaves) =>
      tf.gather(
        p.patches,
        Int32Array.from({ length: 3 }, (_, i) => p.order.indexOf(i)),
      );
    const [a, b] = [inOrder(fromOctaves), inOrder(fromImage)];
    // The inside windows agree exactly (affine ramp); the border window differs only in how much of
    // the zero padding the samples see, so compare its inside quarter.
    expect(await maxAbsDifference(tf.slice(a, [0], [2]), tf.slice(b, [0], [2]))).toBeLessThan(0.05);
    const insideA = tf.slice(a, [2, 0, 0, 0], [1, 12, 12, 3]);
    const insideB = tf.slice(b, [2, 0, 0, 0], [1, 12, 12, 3]);
    expect(await maxAbsDifference(insideA, insideB)).toBeLessThan(0.05);
    tf.dispose([fromOctaves.patches, fromImage.patches, a, b, insideA, insideB, ...octaves, image]);
  });

  it('takes round(ratio) samples per pixel, at least one', () => {
    expect([0.5, 1, 1.49, 1.5, 2.4, 2.6, 4].map(samplesPerPixel)).toEqual([1, 1, 1, 2, 2, 3, 4]);
  });
});
