/**
 * How the pipeline talks to its detector when decoding shrank the photo: the detector's minFaceLimit
 * means pixels of the photo, so it is scaled by the shrink (a recording detector; the real cascade is
 * covered by tests/mtcnn and tests/embed).
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DetectOverridesLike, detectFaces, type FaceDetectorLike } from './face-pipeline.ts';
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
