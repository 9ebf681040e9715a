/** The recipe's unaligned face crop (src/pipeline/embedders/box-crop.ts) on synthetic images. */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { boxWindow, cropFaceBoxes } from '../../src/pipeline/embedders/box-crop.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('box crop', () => {
  it('rounds like the Python mtcnn package and clips like a numpy slice', () => {
    expect(boxWindow([10.7, 20.2, 50.9, 60.1], 100, 100)).toEqual([10, 20, 50, 59]);
    expect(boxWindow([-5.5, -3, 30, 40], 100, 100)).toEqual([0, 0, 35, 43]);
    expect(boxWindow([90, 90, 140, 130], 100, 100)).toEqual([90, 90, 100, 100]);
    expect(boxWindow([120, 10, 150, 40], 100, 100)).toEqual([100, 10, 100, 40]);
  });

  it('a box of exactly the input size is the pixels themselves; outside the image is zeros', () => {
    const pixels = Float32Array.from({ length: 40 * 30 * 3 }, (_, i) => (i * 7) % 256);
    const image = tf.tensor3d(pixels, [30, 40, 3]);
    const crops = cropFaceBoxes(
      image,
      [
        [5, 3, 13, 11],
        [50, 50, 60, 60],
      ],
      8,
    );
    expect(crops.shape).toEqual([2, 8, 8, 3]);
    const expected = tf.slice(image, [3, 5, 0], [8, 8, 3]);
    const [first, second] = tf.unstack(crops);
    expect(Array.from((first as tf.Tensor).dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(Math.max(...(second as tf.Tensor).dataSync())).toBe(0);
    tf.dispose([image, crops, expected, first as tf.Tensor, second as tf.Tensor]);
  });

  it('a large box is averaged then resized: a uniform face stays uniform, no tensor leaks', () => {
    const before = tf.memory().numTensors;
    const image = tf.fill([600, 500, 3], 77, 'int32') as tf.Tensor3D;
    const crops = cropFaceBoxes(image, [[0, 0, 500, 600]], 224);
    const values = Array.from(crops.dataSync());
    expect(crops.shape).toEqual([1, 224, 224, 3]);
    expect(values.reduce((m, v) => Math.max(m, Math.abs(v - 77)), 0)).toBeLessThan(1e-4);
    tf.dispose([image, crops]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
