/**
 * Memory reused from photo to photo (array-pool.ts: the pixel upload's staging array, the detector's
 * summed-area table) changes nothing: photo after photo through one detector and one staging array,
 * larger and smaller photos mixed so every array holds another photo's stale values, gives exactly the
 * faces a fresh detector and fresh arrays give.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/io/node-image.ts';
import { type ArrayPool, createArrayPool } from '../../src/pipeline/array-pool.ts';
import type { Embedder } from '../../src/pipeline/embedders/embedder.ts';
import { type AnalyzedFace, analyzeImage } from '../../src/pipeline/face-pipeline.ts';
import type { RgbImage } from '../../src/pipeline/image.ts';
import { type CascadeNets, faceDetectorFromNets } from '../../src/pipeline/mtcnn/index.ts';
import { facesDir, hasShared, SHARED_MISSING } from '../support/shared.ts';
import { loadCascadeAndMobileFaceNet, useWasm } from './helpers.ts';

// 2048 px, 1366 px, 1.9 MP and a 150 px crop: the kept arrays shrink and grow between photos.
const PHOTOS = [
  'people/angelina_jolie/1.jpg',
  'groups/bbt2.jpg',
  'people/kate_siegel/1.jpg',
  'bbt/amy/amy1.png',
  'groups/bbt1.jpg',
];

/** A pool that records the buffers it lends. */
function recordingPool(): ArrayPool<Float32Array> & { lent: ArrayBufferLike[] } {
  const pool = createArrayPool<Float32Array>(Float32Array, Number.POSITIVE_INFINITY);
  const lent: ArrayBufferLike[] = [];
  return {
    lent,
    take: (length) => {
      const array = pool.take(length);
      lent.push(array.buffer);
      return array;
    },
    give: (array) => pool.give(array),
  };
}

describe.skipIf(!hasShared)(
  `memory reused between photos gives the same faces${hasShared ? '' : ` — ${SHARED_MISSING}`}`,
  () => {
    let nets: CascadeNets;
    let embedder: Embedder;
    let images: RgbImage[];
    beforeAll(async () => {
      await useWasm();
      ({ nets, embedder } = await loadCascadeAndMobileFaceNet());
      images = await Promise.all(PHOTOS.map((p) => decodeImageFile(join(facesDir, p))));
    });
    afterAll(() => {
      for (const net of Object.values(nets ?? {})) net.dispose();
      embedder?.dispose();
    });

    it('one detector and one staging array for every photo: the faces of fresh ones, tensors flat', async () => {
      const fresh: AnalyzedFace[][] = [];
      for (const image of images) {
        fresh.push(await analyzeImage(image, faceDetectorFromNets(nets), embedder, { crops: true }));
      }
      const detector = faceDetectorFromNets(nets);
      const staging = recordingPool();
      const before = tf.memory().numTensors;
      // Twice over, so the first photo also runs on arrays the last one left behind.
      for (const round of [0, 1]) {
        for (const [i, image] of images.entries()) {
          const faces = await analyzeImage(image, detector, embedder, { crops: true, staging });
          const expected = fresh[i] as AnalyzedFace[];
          expect(faces.length, `${PHOTOS[i]}, round ${round}`).toBe(expected.length);
          expect(faces.length).toBeGreaterThan(0);
          for (const [k, face] of faces.entries()) {
            const reference = expected[k] as AnalyzedFace;
            expect(face.box).toEqual(reference.box);
            expect(face.landmarks).toEqual(reference.landmarks);
            expect(face.embedding).toEqual(reference.embedding);
            expect(face.crop?.data).toEqual(reference.crop?.data);
          }
        }
      }
      expect(tf.memory().numTensors).toBe(before);
      // One array served every upload: the first (largest) photo's.
      expect(new Set(staging.lent).size).toBe(1);
      expect(staging.lent).toHaveLength(2 * images.length);
    });
  },
);
