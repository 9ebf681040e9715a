/**
 * How the pipeline talks to its detector when decoding shrank the photo: the detector's minFaceLimit
 * means pixels of the photo, so it is scaled by the shrink; and how it lends and takes back a staging
 * array for the upload (a recording detector; the real cascade is covered by tests/mtcnn and
 * tests/embed, reuse with real photos by tests/embed/reuse.test.ts).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createArrayPool } from './array-pool.ts';
import {
  type DetectOverridesLike,
  detectFaces,
  type FaceDetectorLike,
  type PixelStaging,
} from './face-pipeline.ts';
import { DEFAULT_DETECTOR_CONFIG } from './mtcnn/config.ts';

function recordingDetector(): FaceDetectorLike & { readonly seen: (DetectOverridesLike | undefined)[] } {
  const seen: (DetectOverridesLike | undefined)[] = [];
  return {
    seen,
    async detect(_image, overrides) {
      seen.push(overrides);
      return [];
    },
  };
}

describe('detectFaces and sourceScale', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const image = { width: 8, height: 8, data: new Uint8Array(8 * 8 * 3) };

  it('scales minFaceLimit to the decoded image when decoding shrank the photo', async () => {
    const detector = recordingDetector();
    await detectFaces(image, detector, { sourceScale: 4096 / 6000 });
    expect(detector.seen[0]?.minFaceLimit).toBeCloseTo(
      (DEFAULT_DETECTOR_CONFIG.minFaceLimit * 4096) / 6000,
      9,
    );
  });

  it('leaves the detector alone for photos analysed at their own size (or a nonsense scale)', async () => {
    const detector = recordingDetector();
    await detectFaces(image, detector);
    await detectFaces(image, detector, { sourceScale: 1 });
    await detectFaces(image, detector, { sourceScale: 0 });
    await detectFaces(image, detector, { sourceScale: Number.NaN });
    expect(detector.seen).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('the staging array of the upload', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  /** A pool that counts arrays out and back. */
  function countingStaging(): PixelStaging & { out: number } {
    const pool = createArrayPool<Float32Array>(Float32Array, 1_000_000);
    const counts = {
      out: 0,
      take: (length: number) => {
        counts.out++;
        return pool.take(length);
      },
      give: (array: Float32Array) => {
        counts.out--;
        pool.give(array);
      },
    };
    return counts;
  }

  it('uploads the image through it and takes it back once the tensor is gone', async () => {
    const staging = countingStaging();
    const data = Uint8Array.from({ length: 4 * 5 * 3 }, (_, i) => i);
    let seen: number[] = [];
    const detector: FaceDetectorLike = {
      async detect(image) {
        seen = Array.from(await (image as tf.Tensor3D).data());
        expect(staging.out).toBe(1);
        return [];
      },
    };
    const before = tf.memory().numTensors;
    await detectFaces({ width: 5, height: 4, data }, detector, { staging });
    expect(seen).toEqual(Array.from(data));
    expect(staging.out).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes it back when the image is malformed or the detector throws', async () => {
    const staging = countingStaging();
    const malformed = { width: 5, height: 4, data: new Uint8Array(7) };
    await expect(detectFaces(malformed, recordingDetector(), { staging })).rejects.toThrow(/expected 5×4×3/);
    expect(staging.out).toBe(0);
    const failing: FaceDetectorLike = {
      detect: async () => {
        throw new Error('detector crashed');
      },
    };
    const image = { width: 5, height: 4, data: new Uint8Array(60) };
    await expect(detectFaces(image, failing, { staging })).rejects.toThrow('detector crashed');
    expect(staging.out).toBe(0);
  });
});
