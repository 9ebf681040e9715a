/**
 * The detector never leaks tensors and never throws on odd but valid images (tiny, blank, grey, RGBA,
 * int32 or float32, RgbImage), and its options do what they say (maxFaces, overrides, the
 * large-photo cap mapping results back to full resolution). WASM backend.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/io/node-image.ts';
import type { RgbImage } from '../../src/pipeline/image.ts';
import { boxIoU } from '../../src/pipeline/mtcnn/boxes.ts';
import { DEFAULT_DETECTOR_CONFIG, DetectorConfigError } from '../../src/pipeline/mtcnn/config.ts';
import {
  createFaceDetector,
  type DetectedFace,
  type DetectorStageEvent,
  type FaceDetector,
} from '../../src/pipeline/mtcnn/detector.ts';
import type { DetectorInput } from '../../src/pipeline/mtcnn/input.ts';
import { facesDir, hasShared, readModelFile } from '../support/shared.ts';
import { selectBackend } from './support.ts';

/** A synthetic RGB image: a smooth gradient with a few shapes (no faces). */
function syntheticImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 3 * (y * width + x);
      const inDisc = (x - width / 3) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 5) ** 2;
      data[i] = inDisc ? 220 : (x * 255) / Math.max(1, width - 1);
      data[i + 1] = inDisc ? 180 : (y * 255) / Math.max(1, height - 1);
      data[i + 2] = (x + y) % 64 < 32 ? 40 : 200;
    }
  }
  return { width, height, data };
}

/** The same pixels with `channels` channels: grey (mean of RGB), grey + alpha, RGB, RGBA. */
function withChannels(image: RgbImage, channels: 1 | 2 | 3 | 4, dtype: 'int32' | 'float32'): tf.Tensor3D {
  const n = image.width * image.height;
  const values = new Float32Array(n * channels);
  for (let p = 0; p < n; p++) {
    const [r = 0, g = 0, b = 0] = image.data.subarray(3 * p, 3 * p + 3);
    const grey = Math.round((r + g + b) / 3);
    const pixel =
      channels === 1 ? [grey] : channels === 2 ? [grey, 255] : channels === 3 ? [r, g, b] : [r, g, b, 128];
    values.set(pixel, p * channels);
  }
  return tf.tensor3d(values, [image.height, image.width, channels], dtype);
}

const greyscale = (image: RgbImage): RgbImage => {
  const data = new Uint8Array(image.data.length);
  for (let p = 0; p < data.length; p += 3) {
    const grey = Math.round(((image.data[p] ?? 0) + (image.data[p + 1] ?? 0) + (image.data[p + 2] ?? 0)) / 3);
    data.fill(grey, p, p + 3);
  }
  return { ...image, data };
};

/** Faces of `a` and `b` scoring ≥ minScore pair up one to one with IoU ≥ minIoU. */
function expectSameFaces(
  a: readonly DetectedFace[],
  b: readonly DetectedFace[],
  minIoU: number,
  minScore = 0,
) {
  const confident = (faces: readonly DetectedFace[]) => faces.filter((f) => f.score >= minScore);
  expect(confident(b).length).toBe(confident(a).length);
  for (const face of confident(a)) {
    expect(Math.max(...confident(b).map((other) => boxIoU(face.box, other.box)))).toBeGreaterThanOrEqual(
      minIoU,
    );
  }
}

describe('MTCNN robustness and tensor hygiene (WASM)', () => {
  let detector: FaceDetector;

  beforeAll(async () => {
    await selectBackend('wasm');
    detector = await createFaceDetector(readModelFile);
  });
  afterAll(() => detector.dispose());

  it('returns no faces, without throwing, for tiny and blank images', async () => {
    const cases: DetectorInput[] = [
      syntheticImage(5, 5),
      syntheticImage(1, 1),
      syntheticImage(11, 30),
      { width: 0, height: 0, data: new Uint8Array(0) },
      { width: 64, height: 48, data: new Uint8Array(64 * 48 * 3) },
      { width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).fill(255) },
    ];
    for (const image of cases) {
      await expect(detector.detect(image)).resolves.toEqual([]);
    }
  });

  it('leaks no tensor over 20 detections of different sizes, channels and dtypes', async () => {
    const real = hasShared
      ? await decodeImageFile(join(facesDir, 'groups/bbt3.jpg'))
      : syntheticImage(320, 240);
    const inputs: Array<() => DetectorInput> = [
      () => syntheticImage(5, 5),
      () => ({ width: 40, height: 40, data: new Uint8Array(40 * 40 * 3) }),
      () => syntheticImage(13, 13),
      () => syntheticImage(200, 120),
      () => syntheticImage(97, 301),
      () => real,
      () => greyscale(real),
      () => withChannels(real, 4, 'int32'),
      () => withChannels(real, 1, 'float32'),
      () => withChannels(real, 2, 'int32'),
      () => withChannels(syntheticImage(64, 64), 3, 'float32'),
      () => tf.zeros([50, 70], 'int32') as tf.Tensor2D,
    ];
    const overrides = [
      {},
      { resampling: 'bilinear' as const },
      { resampling: 'exact-area' as const, borderCrops: 'stretch' as const },
    ];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      const input = (inputs[i % inputs.length] as () => DetectorInput)();
      await detector.detect(input, overrides[i % overrides.length]);
      if ('shape' in input) input.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it.skipIf(!hasShared)('finds the same faces in grey, RGBA and float inputs as in RGB', async () => {
    const rgb = await decodeImageFile(join(facesDir, 'groups/bbt3.jpg'));
    const grey = greyscale(rgb);
    const expectedRgb = await detector.detect(rgb);
    expect(expectedRgb.filter((f) => f.score >= 0.95).length).toBe(5);
    const rgba = withChannels(rgb, 4, 'int32');
    const float = withChannels(rgb, 3, 'float32');
    expectSameFaces(expectedRgb, await detector.detect(rgba), 0.999);
    expectSameFaces(expectedRgb, await detector.detect(float), 0.999);
    tf.dispose([rgba, float]);
    const expectedGrey = await detector.detect(grey);
    const oneChannel = withChannels(rgb, 1, 'int32');
    expectSameFaces(expectedGrey, await detector.detect(oneChannel), 0.999);
    oneChannel.dispose();
  });

  it.skipIf(!hasShared)(
    'returns faces sorted by score, in image pixels, with landmarks inside their box',
    async () => {
      const image = await decodeImageFile(join(facesDir, 'groups/multiface.jpg'));
      const faces = await detector.detect(image);
      expect(faces.length).toBe(6);
      for (let i = 1; i < faces.length; i++) {
        expect((faces[i - 1] as DetectedFace).score).toBeGreaterThanOrEqual((faces[i] as DetectedFace).score);
      }
      for (const { box, landmarks } of faces) {
        const [x1, y1, x2, y2] = box;
        for (const [x, y] of landmarks) {
          expect(x).toBeGreaterThan(x1);
          expect(x).toBeLessThan(x2);
          expect(y).toBeGreaterThan(y1);
          expect(y).toBeLessThan(y2);
        }
        // Image-left eye first, mouth below the eyes.
        expect(landmarks[0][0]).toBeLessThan(landmarks[1][0]);
        expect(landmarks[3][1]).toBeGreaterThan(landmarks[0][1]);
      }
    },
  );

  it.skipIf(!hasShared)(
    'applies maxFaces, thresholds and per-call overrides without touching the defaults',
    async () => {
      const image = await decodeImageFile(join(facesDir, 'groups/bbt4.jpg'));
      const all = await detector.detect(image);
      expect(all.length).toBe(6);
      expect(await detector.detect(image, { maxFaces: 0 })).toEqual([]);
      const two = await detector.detect(image, { maxFaces: 2 });
      expect(two).toEqual(all.slice(0, 2));
      expect(await detector.detect(image, { thresholds: [0.6, 0.7, 1] })).toEqual([]);
      expect(detector.config).toEqual(DEFAULT_DETECTOR_CONFIG);
      await expect(detector.detect(image, { scaleFactor: 1 })).rejects.toBeInstanceOf(DetectorConfigError);
    },
  );

  it.skipIf(!hasShared)(
    'reports each stage once, in order, and caps the candidates passed to R-Net',
    async () => {
      const image = await decodeImageFile(join(facesDir, 'groups/bbt4.jpg'));
      const events: DetectorStageEvent[] = [];
      const faces = await detector.detect(image, undefined, (event) => events.push(event));
      expect(events.map((e) => e.stage)).toEqual(['pnet', 'rnet', 'onet']);
      expect(events[2]).toEqual({ stage: 'onet', faces: faces.length });
      const capped: DetectorStageEvent[] = [];
      await detector.detect(image, { maxProposals: 7 }, (event) => capped.push(event));
      expect(capped[0]).toMatchObject({ stage: 'pnet', candidates: 7 });
      const [pnet] = events;
      if (pnet?.stage !== 'pnet') throw new Error('no pnet event');
      expect(pnet.candidates).toBeGreaterThan(7);
      expect(pnet.candidates).toBeLessThanOrEqual(DEFAULT_DETECTOR_CONFIG.maxProposals);
    },
  );

  it.skipIf(!hasShared)(
    'caps the detection size of large photos and maps faces back to full resolution',
    async () => {
      // bbt3 (594 × 383) upscaled 2× and detected at the cap 594: the same faces, at twice the coordinates.
      const image = await decodeImageFile(join(facesDir, 'groups/bbt3.jpg'));
      const doubled = tf.tidy(() => {
        const pixels = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
        return tf.image.resizeBilinear(pixels, [2 * image.height, 2 * image.width], false, true);
      });
      const original = await detector.detect(image);
      const capped = await detector.detect(doubled, { maxDetectionSide: image.width });
      doubled.dispose();
      const scaledUp = original.map((f) => ({
        ...f,
        box: f.box.map((v) => v * 2) as unknown as DetectedFace['box'],
      }));
      expect(original.filter((f) => f.score >= 0.9).length).toBe(5);
      expectSameFaces(scaledUp, capped, 0.85, 0.9);
    },
  );
});
