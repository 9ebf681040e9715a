/**
 * Alignment measured on ../shared/data/faces/bbt (8 people × 5 tight 150×150 grayscale crops):
 * our MTCNN on each crop padded by 20 black pixels (every crop then yields a face), 5-point
 * alignment, both embedders; against the plain square crop of the same detection box.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/pipeline/embedders/embedder.ts';
import { allPairDistances, type PairDistances, rocAuc } from '../../src/pipeline/embedders/evaluate.ts';
import { createFaceRecognitionNet } from '../../src/pipeline/embedders/face-recognition-net.ts';
import { createMobileFaceNet } from '../../src/pipeline/embedders/mobilefacenet.ts';
import { type DetectedFaceLike, embedDetectedFaces } from '../../src/pipeline/face-pipeline.ts';
import { imageToTensor, type RgbImage } from '../../src/pipeline/image.ts';
import { hasShared, readModelFile, SHARED_MISSING } from '../support/shared.ts';
import {
  detectBest,
  type LabelledImages,
  loadIdentitySet,
  sameBelowAllDifferent,
  useWasm,
} from './helpers.ts';

async function alignedPairs(
  set: LabelledImages,
  faces: readonly DetectedFaceLike[],
  embedder: Embedder,
): Promise<PairDistances> {
  const e: Float32Array[] = [];
  for (const [i, image] of set.images.entries()) {
    const [out] = await embedDetectedFaces(image, [faces[i] as DetectedFaceLike], embedder, { crops: false });
    e.push(out?.embedding as Float32Array);
  }
  return allPairDistances(e, set.labels, embedder.metric);
}

/** The baseline alignment replaces: the detection box made square, resized to the input size. */
async function squareCropPairs(
  set: LabelledImages,
  faces: readonly DetectedFaceLike[],
  embedder: Embedder,
): Promise<PairDistances> {
  const size = embedder.inputSize;
  const crops = tf.tidy(() =>
    tf.concat(
      set.images.map((image: RgbImage, i) => {
        const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = faces[i]?.box ?? [];
        const side = Math.max(x2 - x1, y2 - y1);
        const [cx, cy] = [(x1 + x2) / 2, (y1 + y2) / 2];
        const [h, w] = [image.height - 1, image.width - 1];
        const box = [(cy - side / 2) / h, (cx - side / 2) / w, (cy + side / 2) / h, (cx + side / 2) / w];
        const batch = tf.expandDims(tf.cast(imageToTensor(image), 'float32')) as tf.Tensor4D;
        return tf.image.cropAndResize(batch, [box], [0], [size, size]);
      }),
    ),
  );
  try {
    return allPairDistances(await embedder.embed(crops), set.labels, embedder.metric);
  } finally {
    crops.dispose();
  }
}

describe.skipIf(!hasShared)(`bbt/ with the detector${hasShared ? '' : ` — ${SHARED_MISSING}`}`, () => {
  let set: LabelledImages;
  let faces: DetectedFaceLike[];
  let mobilefacenet: Embedder;
  let frn: Embedder;

  beforeAll(async () => {
    await useWasm();
    set = await loadIdentitySet('bbt');
    const t0 = performance.now();
    const found = await detectBest(set.images);
    console.log(
      `bbt: detection ${((performance.now() - t0) / set.images.length).toFixed(0)} ms/image (170×170 padded)`,
    );
    const missing = set.files.filter((_, i) => found[i] === null);
    expect(missing).toEqual([]);
    faces = found as DetectedFaceLike[];
    mobilefacenet = await createMobileFaceNet(readModelFile);
    frn = await createFaceRecognitionNet(readModelFile);
  });
  afterAll(() => {
    mobilefacenet?.dispose();
    frn?.dispose();
  });

  it('mobilefacenet: AUC ≥ 0.97, ≥ 95 % of same pairs closer than every different pair, and alignment beats the square crop', async () => {
    const aligned = await alignedPairs(set, faces, mobilefacenet);
    const square = await squareCropPairs(set, faces, mobilefacenet);
    const [auc, baseline, order] = [rocAuc(aligned), rocAuc(square), sameBelowAllDifferent(aligned)];
    console.log(
      `mobilefacenet bbt/: aligned AUC ${auc.toFixed(4)} (square crop ${baseline.toFixed(4)}), same < all different: ${order.toFixed(3)}`,
    );
    expect(aligned.same).toHaveLength(80);
    expect(auc).toBeGreaterThanOrEqual(0.97);
    expect(order).toBeGreaterThanOrEqual(0.95);
    expect(auc).toBeGreaterThan(baseline + 0.05);
  });

  it('facerecognitionnet: AUC ≥ 0.97, ≥ 95 % of same pairs closer than every different pair', async () => {
    const aligned = await alignedPairs(set, faces, frn);
    const [auc, order] = [rocAuc(aligned), sameBelowAllDifferent(aligned)];
    console.log(
      `facerecognitionnet bbt/: aligned AUC ${auc.toFixed(4)}, same < all different: ${order.toFixed(3)}`,
    );
    expect(auc).toBeGreaterThanOrEqual(0.97);
    expect(order).toBeGreaterThanOrEqual(0.95);
  });
});
