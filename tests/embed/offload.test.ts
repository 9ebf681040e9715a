/**
 * The second engine (src/pipeline/offload.ts) changes how fast a photo is analysed, never its
 * result: the same faces, boxes, landmarks, embeddings and crops with half of every stage sent away,
 * and again when every call to it fails. The "second engine" here is the real runner on the same
 * nets in this process (the browser's worker pair: e2e/detector.spec.ts, "same embeddings as Node").
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/io/node-image.ts';
import type { Embedder } from '../../src/pipeline/embedders/embedder.ts';
import { type AnalyzedFace, analyzeImage } from '../../src/pipeline/face-pipeline.ts';
import type { RgbImage } from '../../src/pipeline/image.ts';
import { type CascadeNets, faceDetectorFromNets } from '../../src/pipeline/mtcnn/index.ts';
import type { NetOffload } from '../../src/pipeline/offload.ts';
import { createOffloadRunner } from '../../src/pipeline/offload-runner.ts';
import { facesDir, hasShared, SHARED_MISSING } from '../support/shared.ts';
import { inProcessOffload, loadCascadeAndMobileFaceNet, useWasm } from './helpers.ts';

const PHOTOS = ['groups/bbt1.jpg', 'groups/bbt2.jpg', 'people/kate_siegel/1.jpg'];

describe.skipIf(!hasShared)(
  `a second engine gives the same results${hasShared ? '' : ` — ${SHARED_MISSING}`}`,
  () => {
    let nets: CascadeNets;
    let embedder: Embedder;
    let runner: Omit<NetOffload, 'has'>;
    let images: RgbImage[];
    beforeAll(async () => {
      await useWasm();
      ({ nets, embedder } = await loadCascadeAndMobileFaceNet());
      runner = createOffloadRunner({ ...nets, embedders: new Map([['mobilefacenet', embedder]]) });
      images = await Promise.all(PHOTOS.map((p) => decodeImageFile(join(facesDir, p))));
    });
    afterAll(() => {
      for (const net of Object.values(nets ?? {})) net.dispose();
      embedder?.dispose();
    });

    const analyze = (image: RgbImage, offload?: NetOffload) =>
      analyzeImage(image, faceDetectorFromNets(nets, {}, offload), embedder, {
        crops: true,
        ...(offload === undefined ? {} : { offload }),
      });

    const expectSameFaces = (actual: AnalyzedFace[], expected: AnalyzedFace[]) => {
      expect(actual.map((f) => f.box)).toEqual(expected.map((f) => f.box));
      expect(actual.map((f) => f.score)).toEqual(expected.map((f) => f.score));
      expect(actual.map((f) => f.landmarks)).toEqual(expected.map((f) => f.landmarks));
      for (const [i, face] of actual.entries()) {
        const reference = expected[i] as AnalyzedFace;
        expect(face.crop?.data).toEqual(reference.crop?.data);
        const largest = Math.max(
          ...face.embedding.map((v, k) => Math.abs(v - (reference.embedding[k] ?? 0))),
        );
        expect(largest).toBeLessThan(1e-6);
      }
    };

    it.each(PHOTOS.map((p, i) => [p, i] as const))(
      '%s: half of every stage sent away, same faces',
      async (_name, i) => {
        const image = images[i] as RgbImage;
        const alone = await analyze(image);
        const offload = inProcessOffload(runner);
        const before = tf.memory().numTensors;
        const shared = await analyze(image, offload);
        expect(tf.memory().numTensors).toBe(before);
        expect(alone.length).toBeGreaterThan(0);
        expectSameFaces(shared, alone);
        // Every stage really sent work away (a group shot has enough crops and faces for all four).
        expect(offload.calls.pnet).toBe(1);
        expect(offload.calls.rnet + offload.calls.onet).toBeGreaterThanOrEqual(i < 2 ? 2 : 1);
        expect(offload.calls.embed).toBe(alone.length >= 2 ? 1 : 0);
      },
    );

    it('a second engine that fails every call costs time, never a result', async () => {
      const image = images[0] as RgbImage;
      const alone = await analyze(image);
      const offload = inProcessOffload(runner, true);
      const before = tf.memory().numTensors;
      expectSameFaces(await analyze(image, offload), alone);
      expect(tf.memory().numTensors).toBe(before);
      const { pnet, rnet, onet, embed } = offload.calls;
      expect(pnet + rnet + onet + embed).toBeGreaterThanOrEqual(4);
    });

    it('nothing is sent to a second engine that does not have the net yet', async () => {
      const offload = { ...inProcessOffload(runner, true), has: () => false };
      const counting = inProcessOffload(runner);
      const image = images[0] as RgbImage;
      expectSameFaces(await analyze(image, { ...counting, has: offload.has }), await analyze(image));
      expect(counting.calls).toEqual({ pnet: 0, rnet: 0, onet: 0, embed: 0 });
    });
  },
);
