/**
 * The summed-area table gives PyTorch's area interpolation: the same values as pooling bin by bin
 * (exact-area-reference.ts) for levels of every reduction, for windows inside, across and outside
 * the image, and for grey, RGB and RGBA sources, in a new array or a reused one.
 */
import { describe, expect, it } from 'vitest';
import {
  cropIntegral,
  type HostPixels,
  integralImage,
  integralTableLength,
  resizeIntegral,
} from '../../src/pipeline/mtcnn/exact-area.ts';
import { cropHostPatches, resizeHostPixels } from './exact-area-reference.ts';

/** Deterministic pseudo-random pixels (LCG), 0..255 integers or fractional values. */
function image(height: number, width: number, channels: number, fractional: boolean): HostPixels {
  let state = 12345;
  const data = new Float32Array(height * width * channels);
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const value = (state / 2 ** 31) * 255;
    data[i] = fractional ? value : Math.floor(value);
  }
  return { height, width, channels, data };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

describe('exact area from a summed-area table', () => {
  it('resizes like bin-by-bin pooling, for reductions from 1× to 12× and non-integer ratios', () => {
    const source = image(97, 131, 3, true);
    const table = integralImage(source);
    for (const [height, width] of [
      [97, 131],
      [96, 130],
      [69, 93],
      [49, 66],
      [24, 24],
      [12, 11],
      [8, 13],
    ] as const) {
      const expected = resizeHostPixels(source, height, width).data;
      expect(maxDifference(resizeIntegral(table, height, width), expected)).toBeLessThan(1e-3);
    }
  });

  it('crops windows inside, across and outside the image with zero padding, like the reference', () => {
    const source = image(60, 80, 3, false);
    const table = integralImage(source);
    const windows = Float32Array.from([
      ...[10, 5, 58, 53], // inside, 48 px → 24: 2 × 2 bins
      ...[-7.4, -3.6, 30.2, 33.9], // across the top-left corner, fractional edges rounded
      ...[50, 30, 95, 75], // across the bottom-right corner
      ...[-40, -40, -10, -10], // wholly outside: black
      ...[0, 0, 80, 60], // the whole image, squashed
      ...[33, 21, 36, 24], // 3 px window enlarged to 24 px
    ]);
    for (const size of [12, 24, 48]) {
      const expected = cropHostPatches(source, windows, size);
      expect(maxDifference(cropIntegral(table, windows, size), expected)).toBeLessThan(1e-3);
    }
    const outside = cropIntegral(table, windows, 24).subarray(3 * 24 * 24 * 3, 4 * 24 * 24 * 3);
    expect(outside.every((v) => v === 0)).toBe(true);
  });

  it('reads R, G, B from grey and RGBA sources as the reference does', () => {
    for (const channels of [1, 2, 4]) {
      const source = image(21, 17, channels, false);
      const table = integralImage(source);
      const expected = resizeHostPixels(source, 9, 7).data;
      expect(maxDifference(resizeIntegral(table, 9, 7), expected)).toBeLessThan(1e-3);
    }
  });

  it('keeps 8-bit sums of a 1280 px image exact to well below a level', () => {
    const height = 1280;
    const width = 1280;
    const data = new Uint8Array(height * width * 3).fill(255);
    data[3 * (height * width - 1)] = 254; // the last pixel: its bin's mean must still show the 1
    const table = integralImage({ height, width, channels: 3, data });
    const level = resizeIntegral(table, 640, 640);
    expect(level[3 * (640 * 640 - 1)]).toBeCloseTo(254.75, 6);
    expect(level[0]).toBe(255);
  });
});

describe('a table built in a reused array', () => {
  it('is the same table as in a new array, whatever the array held before', () => {
    const source = image(37, 53, 3, true);
    const stale = new Float64Array(integralTableLength(37, 53)).fill(12345.5);
    const reused = integralImage(source, stale);
    expect(reused.sums).toBe(stale);
    expect(Array.from(reused.sums)).toEqual(Array.from(integralImage(source).sums));
  });

  it('refuses an array of the wrong length', () => {
    expect(() => integralImage(image(4, 5, 3, false), new Float64Array(10))).toThrow(/needs 90 values/);
  });
});
