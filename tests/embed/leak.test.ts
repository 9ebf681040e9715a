/** No tensor survives embedding: numTensors is unchanged after 10 batches through every path. */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCFACE_112 } from '../../src/pipeline/align/templates.ts';
import type { Embedder } from '../../src/pipeline/embedders/embedder.ts';
import { createFaceRecognitionNet } from '../../src/pipeline/embedders/face-recognition-net.ts';
import { createMobileFaceNet } from '../../src/pipeline/embedders/mobilefacenet.ts';
import {
  analyzeImage,
  embedAlignedCrops,
  embedDetectedFaces,
  embedWholeImages,
} from '../../src/pipeline/face-pipeline.ts';
import type { RgbImage } from '../../src/pipeline/image.ts';
import { readModelFile } from '../support/shared.ts';
import { useWasm } from './helpers.ts';

/** Synthetic image: no ../shared needed. */
function noiseImage(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, data };
}

const face = (dx: number) => ({
  box: [dx, 0, dx + 112, 112],
  score: 0.99,
  landmarks: ARCFACE_112.points.map(([x, y]) => [x + dx, y]),
});

describe('tensor leaks', () => {
  let embedders: Embedder[];
  beforeAll(async () => {
    await useWasm();
    embedders = [
      await createMobileFaceNet(readModelFile, { flipTta: true, maxBatch: 3 }),
      await createFaceRecognitionNet(readModelFile),
    ];
  });
  afterAll(() => {
    for (const e of embedders ?? []) e.dispose();
  });

  it('numTensors unchanged after embedding 10 batches (embed, detected faces, aligned crops, whole images)', async () => {
    const image = noiseImage(260, 140, 1);
    const detector = { detect: async () => [face(0), face(100)] };
    const before = tf.memory().numTensors;
    for (let batch = 0; batch < 10; batch++) {
      const embedder = embedders[batch % 2] as Embedder;
      const s = embedder.inputSize;
      const faces = tf.randomUniform([batch % 4, s, s, 3], 0, 255) as tf.Tensor4D;
      const e = await embedder.embed(faces);
      faces.dispose();
      expect(e).toHaveLength(batch % 4);
      const withCrops = await embedDetectedFaces(image, [face(0), face(100), face(50)], embedder, {
        maxBatch: 2,
      });
      expect(withCrops[2]?.crop?.data).toHaveLength(s * s * 3);
      await analyzeImage(image, detector, embedder, { crops: false, detectPadding: 5 });
      await embedAlignedCrops([noiseImage(112, 112, batch)], embedder);
      await embedWholeImages([image], embedder);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects wrongly sized input without leaking', async () => {
    const before = tf.memory().numTensors;
    const bad = tf.zeros([1, 100, 100, 3]) as tf.Tensor4D;
    await expect((embedders[0] as Embedder).embed(bad)).rejects.toThrow(/takes \[N, 112, 112, 3\]/);
    bad.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
