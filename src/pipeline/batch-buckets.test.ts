import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchBucket, bucketsBatches, firstRows, padBatch } from './batch-buckets.ts';

describe('batch buckets', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('keeps small batches, then rounds up to multiples of 4 and of 32', () => {
    expect([0, 1, 2, 3, 4].map(batchBucket)).toEqual([0, 1, 2, 3, 4]);
    expect([5, 8, 9, 31, 32].map(batchBucket)).toEqual([8, 8, 12, 32, 32]);
    expect([33, 64, 65, 300, 2048].map(batchBucket)).toEqual([64, 64, 96, 320, 2048]);
    for (let n = 1; n <= 2048; n++) {
      const bucket = batchBucket(n);
      expect(bucket).toBeGreaterThanOrEqual(n);
      expect(bucket - n).toBeLessThan(n <= 32 ? 4 : 32);
    }
  });

  it('pads only where programs are compiled per shape (WebGL)', () => {
    expect(bucketsBatches()).toBe(false);
    const x = tf.ones([5, 2, 2, 3]);
    expect(padBatch(x)).toBe(x);
    x.dispose();
  });

  it('is exact: a network on the padded batch gives the same first rows', () => {
    const before = tf.memory().numTensors;
    const [plain, padded] = tf.tidy(() => {
      const x = tf.randomUniform([5, 8, 8, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
      const filter = tf.randomUniform([3, 3, 3, 4], -1, 1, 'float32', 8) as tf.Tensor4D;
      const net = (input: tf.Tensor4D) => tf.mean(tf.relu(tf.conv2d(input, filter, 1, 'same')), [1, 2]);
      const grown = padBatch(x, true);
      expect(grown.shape).toEqual([8, 8, 8, 3]);
      return [net(x), firstRows(net(grown), 5)];
    });
    expect(padded.shape).toEqual(plain.shape);
    expect(Array.from(padded.dataSync())).toEqual(Array.from(plain.dataSync()));
    tf.dispose([plain, padded]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
