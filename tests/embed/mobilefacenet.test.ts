/**
 * MobileFaceNet on ../shared/data/faces/aligned (4 people × 30 pre-aligned ArcFace crops).
 * Reference (README there): the original MobileFaceNet.tflite gives AUC 0.9996, rank-1 1.0,
 * best accuracy 0.994 at cosine 0.63. Our port must not be worse by more than 0.002 AUC.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySimilarity, type Similarity } from '../../src/pipeline/align/similarity.ts';
import { ARCFACE_112 } from '../../src/pipeline/align/templates.ts';
import { cosineDistance } from '../../src/pipeline/distance.ts';
import type { Embedder } from '../../src/pipeline/embedders/embedder.ts';
import {
  allPairDistances,
  rank1Identification,
  verificationMetrics,
} from '../../src/pipeline/embedders/evaluate.ts';
import { createMobileFaceNet } from '../../src/pipeline/embedders/mobilefacenet.ts';
import { embedAlignedCrops, embedDetectedFaces } from '../../src/pipeline/face-pipeline.ts';
import type { RgbImage } from '../../src/pipeline/image.ts';
import { hasShared, readModelFile, SHARED_MISSING } from '../support/shared.ts';
import { type LabelledImages, loadIdentitySet, useWasm } from './helpers.ts';

describe.skipIf(!hasShared)(
  `MobileFaceNet on aligned/ (4 × 30)${hasShared ? '' : ` — ${SHARED_MISSING}`}`,
  () => {
    let set: LabelledImages;
    let embedder: Embedder;
    let embeddings: Float32Array[];

    beforeAll(async () => {
      await useWasm();
      set = await loadIdentitySet('aligned');
      embedder = await createMobileFaceNet(readModelFile);
      const t0 = performance.now();
      embeddings = await embedAlignedCrops(set.images, embedder);
      console.log(
        `mobilefacenet: ${((performance.now() - t0) / set.images.length).toFixed(1)} ms/face (${tf.getBackend()}, batch 32)`,
      );
    });
    afterAll(() => embedder?.dispose());

    it('gives 120 unit 192-d embeddings', () => {
      expect(embeddings).toHaveLength(120);
      for (const e of embeddings) {
        expect(e).toHaveLength(192);
        expect(Math.hypot(...e)).toBeCloseTo(1, 5);
      }
    });

    it('AUC ≥ 0.999 and within 0.002 of the TFLite reference (0.9996); accuracy at the default threshold ≥ 0.99', async () => {
      const pairs = await allPairDistances(embeddings, set.labels, 'cosine');
      expect(pairs.same).toHaveLength(1740);
      expect(pairs.different).toHaveLength(5400);
      const m = verificationMetrics(pairs, [embedder.defaultThreshold]);
      console.log(
        `mobilefacenet aligned/: AUC ${m.auc.toFixed(5)}, best ${m.bestAccuracy.accuracy.toFixed(4)} @ ${m.bestAccuracy.threshold.toFixed(4)}, at default ${m.at[0]?.accuracy.toFixed(4)}`,
      );
      expect(m.auc).toBeGreaterThanOrEqual(0.999);
      expect(m.auc).toBeGreaterThanOrEqual(0.9996 - 0.002);
      expect(m.at[0]?.accuracy).toBeGreaterThanOrEqual(0.99);
      expect(m.bestAccuracy.threshold).toBeCloseTo(0.63, 1);
    });

    it('rank-1 identification (first 5 per person as gallery, 100 probes) = 1.0', async () => {
      const r = await rank1Identification(embeddings, set.labels, 'cosine', 5);
      expect(r.probes).toBe(100);
      expect(r.rank1).toBe(1);
    });

    it('the landmark-alignment path reproduces the embeddings of the pre-aligned crops', async () => {
      // Paste each aligned crop, rotated/scaled/shifted, into a bigger canvas; align it back from the
      // moved template landmarks; the embedding must match the direct one (resampling noise only).
      const place: Similarity = { a: 1.6 * Math.cos(0.35), b: 1.6 * Math.sin(0.35), tx: 90, ty: 40 };
      const landmarks = ARCFACE_112.points.map((p) => applySimilarity(place, p));
      const sample = [0, 31, 62, 93].map((i) => ({
        image: set.images[i] as RgbImage,
        direct: embeddings[i] as Float32Array,
      }));
      for (const { image, direct } of sample) {
        const canvas = tf.tidy(() => {
          const crop = tf.expandDims(
            tf.cast(tf.tensor3d(image.data, [112, 112, 3], 'int32'), 'float32'),
          ) as tf.Tensor4D;
          // inverse of `place`: canvas pixel → crop pixel
          const det = place.a * place.a + place.b * place.b;
          const ia = place.a / det;
          const ib = -place.b / det;
          const row = [
            ia,
            -ib,
            -(ia * place.tx - ib * place.ty),
            ib,
            ia,
            -(ib * place.tx + ia * place.ty),
            0,
            0,
          ];
          return tf.squeeze(
            tf.image.transform(crop, tf.tensor2d([row]), 'bilinear', 'constant', 0, [320, 340]),
            [0],
          ) as tf.Tensor3D;
        });
        const [face] = await embedDetectedFaces(
          canvas,
          [{ box: [0, 0, 1, 1], score: 1, landmarks }],
          embedder,
        );
        canvas.dispose();
        expect(face?.crop?.width).toBe(112);
        expect(cosineDistance(face?.embedding ?? new Float32Array(192), direct)).toBeLessThan(0.05);
      }
    });
  },
);
