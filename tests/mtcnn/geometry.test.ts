/**
 * Pure geometry of the cascade: pyramid levels, P-Net cells → boxes, the large-photo cap, crop
 * sampling positions, PyTorch's exact area bins, and the `mtcnn` package export shape.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR_CONFIG } from '../../src/pipeline/mtcnn/config.ts';
import type { DetectedFace } from '../../src/pipeline/mtcnn/detector.ts';
import { toDetectedFaces } from '../../src/pipeline/mtcnn/detector.ts';
import {
  adaptiveBins,
  cropIntegral,
  integralImage,
  resizeIntegral,
} from '../../src/pipeline/mtcnn/exact-area.ts';
import { toMtcnnPackageFormat } from '../../src/pipeline/mtcnn/export.ts';
import { imageGeometry } from '../../src/pipeline/mtcnn/input.ts';
import { cellsToBoxes } from '../../src/pipeline/mtcnn/pnet-stage.ts';
import { pyramidLevels, smallestFace } from '../../src/pipeline/mtcnn/pyramid.ts';
import { cropSupersampling, windowsToCropBoxes } from '../../src/pipeline/mtcnn/resample.ts';

describe('pyramidLevels', () => {
  it('starts at 12 / minFaceSize and shrinks by scaleFactor while the short side is ≥ 12 px', () => {
    const levels = pyramidLevels(150, 150, 20, 0.709);
    // Short side 150 · 0.6 · 0.709^k: 90, 63.8, 45.2, 32.1, 22.7, 16.1 (then 11.4 < 12); size ⌊x + 1⌋.
    expect(levels.map((l) => l.height)).toEqual([91, 64, 46, 33, 23, 17]);
    expect(levels[0]).toEqual({ scale: 0.6, height: 91, width: 91 });
    expect(levels.at(-1)?.scale).toBeCloseTo(0.6 * 0.709 ** 5, 12);
  });

  it('has no level for images smaller than minFaceSize', () => {
    expect(pyramidLevels(19, 500, 20, 0.709)).toEqual([]);
    expect(pyramidLevels(20, 500, 20, 0.709)).toHaveLength(1);
  });
});

describe('smallestFace (relative minimum face size)', () => {
  const photo = (height: number, width: number) => imageGeometry(height, width, DEFAULT_DETECTOR_CONFIG);

  it('is minFaceSize on small photos and a fixed fraction of the longest side on larger ones', () => {
    expect(smallestFace(photo(150, 150), DEFAULT_DETECTOR_CONFIG)).toBe(20);
    expect(smallestFace(photo(469, 675), DEFAULT_DETECTOR_CONFIG)).toBe(20);
    expect(smallestFace(photo(720, 1280), DEFAULT_DETECTOR_CONFIG)).toBe(32);
    const absolute = { minFaceSize: 20, minFaceFraction: 0, minFaceLimit: 40 };
    expect(smallestFace(photo(720, 1280), absolute)).toBe(20);
  });

  it('never exceeds minFaceLimit px of the original photo', () => {
    // A 2 MP portrait, detected at 1280 px: 1/40 would be 51 px of the original; the limit keeps 40.
    const portrait = photo(2048, 1665);
    expect(portrait.detectionHeight).toBe(1280);
    expect((smallestFace(portrait, DEFAULT_DETECTOR_CONFIG) * 2048) / 1280).toBeCloseTo(40, 6);
    // 24 MP: detected at 3000 px (not 1280), where 40 px of the original are minFaceSize (20 px).
    const large = photo(4000, 6000);
    expect(large.detectionWidth).toBe(3000);
    const minFace = smallestFace(large, DEFAULT_DETECTOR_CONFIG);
    expect((minFace * 6000) / large.detectionWidth).toBeCloseTo(40, 6);
  });

  it("bounds P-Net's first level by the photo, not its pixel count, up to the limit", () => {
    // 1280 px: the fraction decides, and the first level is 481 px long.
    const [small] = pyramidLevels(
      1280,
      1280,
      smallestFace(photo(1280, 1280), DEFAULT_DETECTOR_CONFIG),
      0.709,
    );
    expect(small?.width).toBe(481);
    // 2048 px, detected at 1280: the 40 px limit decides (25 px there, 12 / 25 of the side).
    const [large] = pyramidLevels(
      1280,
      1280,
      smallestFace(photo(2048, 2048), DEFAULT_DETECTOR_CONFIG),
      0.709,
    );
    expect(large?.width).toBe(615);
  });
});

describe('cellsToBoxes', () => {
  it('maps cell (x, y) to 1-based pixels [2x + 1, 2x + 12] / scale, keeping cells ≥ threshold', () => {
    // 1 × 2 cells: only the second passes.
    const probabilities = Float32Array.from([0.41, 0.59, 0.4, 0.6]);
    const offsets = Float32Array.from([0, 0, 0, 0, 0.1, 0.2, 0.3, 0.4]);
    const level = { scale: 0.5, height: 24, width: 26 };
    const out = cellsToBoxes({ level, rows: 1, cols: 2, probabilities, offsets }, 0.6);
    expect([...out.boxes]).toEqual([6, 2, 28, 24]);
    expect([...out.scores]).toEqual([Math.fround(0.6)]);
    expect([...out.offsets].map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.2, 0.3, 0.4]);
  });
});

describe('imageGeometry (large-photo cap)', () => {
  it('leaves small photos alone and shrinks the longest side to the cap', () => {
    expect(imageGeometry(768, 1366, 3072)).toEqual({
      height: 768,
      width: 1366,
      detectionHeight: 768,
      detectionWidth: 1366,
    });
    expect(imageGeometry(4000, 6000, 3072)).toEqual({
      height: 4000,
      width: 6000,
      detectionHeight: 2048,
      detectionWidth: 3072,
    });
  });

  it('keeps faces of 40 px in a 24 MP photo within reach at the default cap and minimum face', () => {
    const geometry = imageGeometry(4000, 6000, DEFAULT_DETECTOR_CONFIG);
    const smallestFaceInOriginal =
      (smallestFace(geometry, DEFAULT_DETECTOR_CONFIG) * 6000) / geometry.detectionWidth;
    expect(smallestFaceInOriginal).toBeLessThanOrEqual(40);
  });

  it('maps boxes and landmarks back to full resolution', () => {
    const faces = toDetectedFaces(
      {
        boxes: Float32Array.from([11, 21, 30, 40]),
        scores: Float32Array.from([0.9]),
        landmarks: Float32Array.from([15, 25, 25, 25, 20, 30, 16, 35, 24, 35]),
      },
      { height: 200, width: 400, detectionHeight: 100, detectionWidth: 200 },
    );
    expect(faces[0]?.box).toEqual([21, 41, 60, 80]);
    expect(faces[0]?.landmarks[0]).toEqual([30, 50]);
    expect(faces[0]?.landmarks[4]).toEqual([48, 70]);
  });
});

describe('crop sampling', () => {
  it('places samples at half-pixel centres of the window, normalised by (side − 1)', () => {
    // Window [10, 20) × [0, 40) sampled 4 × 4 in an 11 × 21 image: x = 10 + (j + ½)·2.5 − ½.
    const [y1, x1, y2, x2] = windowsToCropBoxes(Float32Array.from([10, 0, 20, 40]), 11, 21, 4);
    expect((x1 as number) * 20).toBeCloseTo(10.75);
    expect((x2 as number) * 20).toBeCloseTo(18.25);
    expect((y1 as number) * 10).toBeCloseTo(4.5);
    expect((y2 as number) * 10).toBeCloseTo(34.5);
  });

  it('supersamples area crops until samples are ≤ 1 px apart, up to 4 × 4', () => {
    expect(cropSupersampling([0, 0, 24, 24], 24, 'area')).toBe(1);
    expect(cropSupersampling([0, 0, 60, 30], 24, 'area')).toBe(3);
    expect(cropSupersampling([0, 0, 1000, 1000], 24, 'area')).toBe(4);
    expect(cropSupersampling([0, 0, 1000, 1000], 24, 'bilinear')).toBe(1);
  });
});

describe('exact area (PyTorch adaptive average pooling)', () => {
  it('uses overlapping integer bins ⌊i·in/out⌋ … ⌈(i+1)·in/out⌉', () => {
    const { starts, ends } = adaptiveBins(5, 3);
    expect([...starts]).toEqual([0, 1, 3]);
    expect([...ends]).toEqual([2, 4, 5]);
  });

  it('averages whole pixels per bin, and zero pads crops outside the image', () => {
    // 1 × 5 grey image 0, 10, 20, 30, 40 → 3 columns: mean(0,10), mean(10,20,30), mean(30,40).
    const image = { height: 1, width: 5, channels: 1, data: [0, 10, 20, 30, 40] };
    const table = integralImage(image);
    expect(Array.from(resizeIntegral(table, 1, 3))).toEqual([5, 5, 5, 20, 20, 20, 35, 35, 35]);
    // Window [-2, 2) × [0, 1) pooled to one pixel: (0 + 0 + 0 + 10) / 4, the two padding pixels count as 0.
    expect([...cropIntegral(table, Float32Array.from([-2, 0, 2, 1]), 1)]).toEqual([2.5, 2.5, 2.5]);
  });
});

describe('toMtcnnPackageFormat', () => {
  it('gives the mtcnn package shape: integer [x, y, w, h] clamped at 0, named keypoints', () => {
    const face: DetectedFace = {
      box: [-5.4, 10.6, 94.2, 130.9],
      score: 0.99,
      landmarks: [
        [30.7, 50.2],
        [70.1, 50.9],
        [50.5, 70.5],
        [35.9, 95.1],
        [65.2, 95.8],
      ],
    };
    expect(toMtcnnPackageFormat([face])).toEqual([
      {
        box: [0, 10, 99, 120],
        confidence: 0.99,
        keypoints: {
          left_eye: [30, 50],
          right_eye: [70, 50],
          nose: [50, 70],
          mouth_left: [35, 95],
          mouth_right: [65, 95],
        },
      },
    ]);
  });
});
