/**
 * FaceRecognitionNet (face-api.js' port of dlib's ResNet) written as code over the copied weights:
 * parity with face-api.js' own implementation, a golden output of ours, and accuracy sanity checks.
 */

import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/io/node-image.ts';
import { euclideanDistance } from '../../src/pipeline/distance.ts';
import type { Embedder } from '../../src/pipeline/embedders/embedder.ts';
import {
  allPairDistances,
  rank1Identification,
  verificationMetrics,
} from '../../src/pipeline/embedders/evaluate.ts';
import { createFaceRecognitionNet } from '../../src/pipeline/embedders/face-recognition-net.ts';
import { embedAlignedCrops, embedDetectedFaces } from '../../src/pipeline/face-pipeline.ts';
import { imageToTensor, type RgbImage } from '../../src/pipeline/image.ts';
import { facesDir, hasShared, readModelFile, SHARED_MISSING } from '../support/shared.ts';
import { detectBest, loadIdentitySet, useWasm } from './helpers.ts';

const SHELDON1 = 'bbt/sheldon/sheldon1.png'; // 150×150 grayscale: fed whole, no alignment

/**
 * Recorded once from @vladmandic/face-api 1.7.15 itself (dist/face-api.js, its bundled tfjs 4.22 on
 * the CPU backend): `nets.faceRecognitionNet.loadFromWeightMap(...)` then `forwardInput` on SHELDON1.
 * That code normalises with (x − mean) / 255.
 */
const FACE_API_REFERENCE = {
  first16: [
    -0.0452425, -0.0398576, -0.0221466, 0.0155404, -0.0506894, -0.0545276, 0.0069966, -0.0195107, 0.1184644,
    0.0412407, 0.2215744, -0.079422, -0.2371854, -0.0253526, -0.0296163, 0.1036138,
  ],
  norm: 1.4418108,
  sum: -0.4907384,
};

/** Recorded once from this port (spec normalisation (x − mean) / 256, no TTA), wasm and cpu agree. */
const OUR_GOLDEN = {
  first16: [
    -0.0451124, -0.0398868, -0.0220374, 0.0155528, -0.0506318, -0.0545802, 0.0069812, -0.0194804, 0.1185265,
    0.0413242, 0.2215614, -0.0795036, -0.2371691, -0.0254236, -0.0295884, 0.1035934,
  ],
  norm: 1.4419039,
  sum: -0.4903129,
};

function expectVector(actual: Float32Array, expected: typeof OUR_GOLDEN, tol: number): void {
  for (const [i, x] of expected.first16.entries())
    expect(Math.abs((actual[i] as number) - x)).toBeLessThan(tol);
  expect(Math.abs(Math.hypot(...actual) - expected.norm)).toBeLessThan(tol);
  expect(Math.abs(actual.reduce((s, x) => s + x, 0) - expected.sum)).toBeLessThan(10 * tol);
}

describe.skipIf(!hasShared)(`FaceRecognitionNet${hasShared ? '' : ` — ${SHARED_MISSING}`}`, () => {
  let plain: Embedder;
  let sheldon: RgbImage;

  beforeAll(async () => {
    await useWasm();
    plain = await createFaceRecognitionNet(readModelFile, { flipTta: false });
    sheldon = await decodeImageFile(join(facesDir, SHELDON1));
  });
  afterAll(() => plain?.dispose());

  it('matches face-api.js’ own FaceRecognitionNet to 1e-5 when fed its normalisation', async () => {
    // (x' − mean)/256 = (x − mean)/255  ⇔  x' = (x − mean)·256/255 + mean
    const x = tf.tidy(() => {
      const mean = tf.tensor1d([122.782, 117.001, 104.298]);
      const img = tf.cast(imageToTensor(sheldon), 'float32');
      return tf.expandDims(tf.add(tf.mul(tf.sub(img, mean), 256 / 255), mean)) as tf.Tensor4D;
    });
    const [e] = await plain.embed(x);
    x.dispose();
    expectVector(e as Float32Array, FACE_API_REFERENCE, 1e-5);
  });

  it('golden output with the spec normalisation (/256): 128-d, recorded values', async () => {
    const x = tf.tidy(() => tf.expandDims(imageToTensor(sheldon)) as tf.Tensor4D);
    const [e] = await plain.embed(x);
    x.dispose();
    expect(e).toHaveLength(128);
    expectVector(e as Float32Array, OUR_GOLDEN, 1e-5);
  });

  it('same person closer than different people (bbt, detected + aligned)', async () => {
    const files = [
      'bbt/sheldon/sheldon1.png',
      'bbt/sheldon/sheldon2.png',
      'bbt/leonard/leonard1.png',
      'bbt/penny/penny1.png',
    ];
    const images = await Promise.all(files.map((f) => decodeImageFile(join(facesDir, f))));
    const faces = await detectBest(images);
    const e: Float32Array[] = [];
    for (const [i, face] of faces.entries()) {
      if (face === null) throw new Error(`no face in ${files[i]}`);
      const [out] = await embedDetectedFaces(images[i] as RgbImage, [face], plain, { crops: false });
      e.push((out?.embedding ?? new Float32Array()) as Float32Array);
    }
    const [s1, s2, l1, p1] = e as [Float32Array, Float32Array, Float32Array, Float32Array];
    const same = euclideanDistance(s1, s2);
    console.log(
      `facerecognitionnet: sheldon1–sheldon2 ${same.toFixed(3)}, sheldon1–leonard1 ${euclideanDistance(s1, l1).toFixed(3)}, sheldon1–penny1 ${euclideanDistance(s1, p1).toFixed(3)}`,
    );
    expect(same).toBeLessThan(euclideanDistance(s1, l1));
    expect(same).toBeLessThan(euclideanDistance(s2, p1));
    expect(same).toBeLessThan(0.6); // the customary dlib threshold
  });

  it('on aligned/ (re-warped to the dlib chip, default flip TTA): AUC ≥ 0.995, rank-1 ≥ 0.95', async () => {
    const set = await loadIdentitySet('aligned');
    const embedder = await createFaceRecognitionNet(readModelFile);
    try {
      expect(embedder.flipTta).toBe(true);
      const t0 = performance.now();
      const e = await embedAlignedCrops(set.images, embedder);
      console.log(
        `facerecognitionnet + TTA: ${((performance.now() - t0) / e.length).toFixed(1)} ms/face (${tf.getBackend()})`,
      );
      const m = verificationMetrics(await allPairDistances(e, set.labels, 'euclidean'), [
        embedder.defaultThreshold,
        0.6,
      ]);
      console.log(
        `facerecognitionnet aligned/: AUC ${m.auc.toFixed(5)}, best ${m.bestAccuracy.accuracy.toFixed(4)} @ ${m.bestAccuracy.threshold.toFixed(4)}, at 0.6: ${m.at[1]?.accuracy.toFixed(4)}`,
      );
      expect(m.auc).toBeGreaterThanOrEqual(0.995);
      expect(m.at[0]?.accuracy).toBeGreaterThanOrEqual(0.98);
      expect((await rank1Identification(e, set.labels, 'euclidean', 5)).rank1).toBeGreaterThanOrEqual(0.95);
    } finally {
      embedder.dispose();
    }
  });
});
