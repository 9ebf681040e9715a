/**
 * The keras-vggface Embedder inside the shared pipeline (detect → crop → embed), with the oracle's
 * procedural ResNet-50 weights on a real group photo: the recipe's box crop is what the network sees,
 * the aligned variant differs, a batch equals faces embedded one by one, and no tensor leaks.
 * (Procedural weights say nothing about identity: accuracy needs the real weights; docs/vggface.md.)
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../src/cli/backend.ts';
import { decodeImageFile } from '../../src/io/node-image.ts';
import { cropFaceBoxes } from '../../src/pipeline/embedders/box-crop.ts';
import type { AnyEmbedder } from '../../src/pipeline/embedders/embedder.ts';
import { createVggfaceEmbedder } from '../../src/pipeline/embedders/vggface/embedder.ts';
import { analyzeImage, type DetectedFaceLike, embedDetectedFaces } from '../../src/pipeline/face-pipeline.ts';
import { imageToTensor, type RgbImage } from '../../src/pipeline/image.ts';
import { createFaceDetector, type FaceDetector } from '../../src/pipeline/mtcnn/index.ts';
import { facesDir, hasShared, readModelFile, SHARED_MISSING } from '../support/shared.ts';
import { hasVggfaceFixtures, loadOracleFixture, oracleWeights, relL2 } from './support/oracle.ts';

const ready = hasShared && hasVggfaceFixtures;

describe.skipIf(!ready)(
  `keras-vggface embedder in the pipeline${ready ? '' : ` — ${SHARED_MISSING}`}`,
  () => {
    let box: AnyEmbedder;
    let aligned: AnyEmbedder;
    let detector: FaceDetector;
    let image: RgbImage;
    let faces: DetectedFaceLike[];

    beforeAll(async () => {
      await initNodeBackend('wasm');
      const weights = oracleWeights(loadOracleFixture('resnet50'));
      box = createVggfaceEmbedder({ architecture: 'resnet50', weights });
      aligned = createVggfaceEmbedder({ architecture: 'resnet50', weights }, { faceCrop: 'aligned' });
      detector = await createFaceDetector(readModelFile);
      image = await decodeImageFile(join(facesDir, 'groups/bbt4.jpg'));
      faces = [...(await detector.detect(image))].slice(0, 3);
    });
    afterAll(() => {
      box?.dispose();
      aligned?.dispose();
      detector?.dispose();
    });

    it('the recipe facts: 224 input, 2048-d, cosine at 0.5, box crop by default', () => {
      expect(box).toMatchObject({
        id: 'vggface2-resnet50',
        inputSize: 224,
        dim: 2048,
        metric: 'cosine',
        defaultThreshold: 0.5,
        faceCrop: 'box',
      });
      expect(aligned.faceCrop).toBe('aligned');
    });

    it('box mode embeds exactly the detector box resized to 224; a batch equals one face at a time', async () => {
      expect(faces.length).toBeGreaterThanOrEqual(2);
      const before = tf.memory().numTensors;
      const batch = await embedDetectedFaces(image, faces, box, { crops: true });
      const single = await embedDetectedFaces(image, [faces[1] as DetectedFaceLike], box, { crops: false });
      expect(tf.memory().numTensors).toBe(before);
      expect(batch[0]?.crop).toMatchObject({ width: 224, height: 224 });
      expect(relL2(batch[1]?.embedding ?? [], single[0]?.embedding ?? [])).toBeLessThan(1e-5);

      const manual = tf.tidy(() => {
        const pixels = imageToTensor(image);
        return cropFaceBoxes(
          pixels,
          faces.map((f) => f.box),
          224,
        );
      });
      const expected = await box.embed(manual);
      manual.dispose();
      faces.forEach((_, i) => {
        expect(relL2(batch[i]?.embedding ?? [], expected[i] ?? []), `face ${i}`).toBeLessThan(1e-5);
      });
    });

    it('aligned mode warps the landmarks instead: other pixels, other embeddings', async () => {
      const withBox = await analyzeImage(image, detector, box, { crops: false, maxFaces: 2 });
      const withAlignment = await analyzeImage(image, detector, aligned, { crops: false, maxFaces: 2 });
      expect(withAlignment).toHaveLength(withBox.length);
      withBox.forEach((face, i) => {
        expect(relL2(withAlignment[i]?.embedding ?? [], face.embedding)).toBeGreaterThan(1e-3);
      });
    });
  },
);
