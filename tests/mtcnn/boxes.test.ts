/** Box math on hand-made inputs: NMS (Union / Min, with and without +1), regression, squaring, windows. */
import { describe, expect, it } from 'vitest';
import {
  boxIoU,
  clipWindows,
  cropWindows,
  nonMaxSuppression,
  orderByScore,
  regressBoxes,
  selectRows,
  squareBoxes,
} from '../../src/pipeline/mtcnn/boxes.ts';

const f32 = (values: number[]) => Float32Array.from(values);

describe('nonMaxSuppression', () => {
  // A: 0..10 square; B: shifted by 2 (IoU 64/136 ≈ 0.47 without +1); C: nested in A (area 16);
  // D: far away.
  const boxes = f32([0, 0, 10, 10, 2, 2, 12, 12, 1, 1, 5, 5, 50, 50, 60, 60]);
  const scores = f32([0.9, 0.95, 0.8, 0.5]);

  it('Union keeps boxes below the IoU threshold, highest score first', () => {
    const union = { mode: 'union', inclusive: false } as const;
    expect([...nonMaxSuppression(boxes, scores, 0.5, union)]).toEqual([1, 0, 2, 3]);
    // At 0.4, B (kept first) suppresses A (IoU 0.47); C overlaps B by 9/107 and survives.
    expect([...nonMaxSuppression(boxes, scores, 0.4, union)]).toEqual([1, 2, 3]);
  });

  it('Min merges nested boxes that Union keeps', () => {
    const min = { mode: 'min', inclusive: false } as const;
    // C inside A: intersection / min area = 1 > 0.7; B vs C: 9/16 = 0.56 keeps C until A suppresses it.
    expect([...nonMaxSuppression(boxes, scores, 0.7, min)]).toEqual([1, 0, 3]);
    expect([...nonMaxSuppression(boxes, scores, 0.7, { mode: 'union', inclusive: false })]).toEqual([
      1, 0, 2, 3,
    ]);
  });

  it('counts the last pixel when inclusive (+1 widths)', () => {
    // Two 1-pixel-wide boxes touching at x = 5: no overlap without +1, full column overlap with it.
    const touching = f32([0, 0, 5, 9, 5, 0, 10, 9]);
    const s = f32([0.9, 0.8]);
    expect([...nonMaxSuppression(touching, s, 0.05, { mode: 'union', inclusive: false })]).toEqual([0, 1]);
    // Inclusive: areas 6 × 10 = 60, intersection 1 × 10 = 10, IoU 10 / 110 ≈ 0.09 > 0.05.
    expect([...nonMaxSuppression(touching, s, 0.05, { mode: 'union', inclusive: true })]).toEqual([0]);
  });

  it('suppresses only strictly above the threshold, and handles empty input', () => {
    // Identical boxes: IoU exactly 1; threshold 1 keeps both.
    const same = f32([0, 0, 4, 4, 0, 0, 4, 4]);
    expect([...nonMaxSuppression(same, f32([0.5, 0.6]), 1, { mode: 'union', inclusive: false })]).toEqual([
      1, 0,
    ]);
    expect([
      ...nonMaxSuppression(new Float32Array(0), new Float32Array(0), 0.5, { mode: 'min', inclusive: true }),
    ]).toEqual([]);
  });

  it('orders ties by index, deterministically', () => {
    expect([...orderByScore(f32([0.5, 0.7, 0.5, 0.7]))]).toEqual([1, 3, 0, 2]);
  });
});

describe('regressBoxes', () => {
  it('moves each edge by offset × width (exclusive) or × (width + 1) (inclusive)', () => {
    const boxes = f32([10, 20, 30, 60]);
    const offsets = f32([0.1, -0.1, 0.5, 0.25]);
    // w = 20, h = 40.
    expect([...regressBoxes(boxes, offsets, false)].map((v) => Number(v.toFixed(4)))).toEqual([
      12, 16, 40, 70,
    ]);
    // w = 21, h = 41.
    expect([...regressBoxes(boxes, offsets, true)].map((v) => Number(v.toFixed(4)))).toEqual([
      12.1, 15.9, 40.5, 70.25,
    ]);
    expect([...boxes]).toEqual([10, 20, 30, 60]);
  });
});

describe('squareBoxes', () => {
  it('grows the shorter side around the same centre', () => {
    expect([...squareBoxes(f32([10, 20, 30, 60, 0, 0, 8, 4]))]).toEqual([0, 20, 40, 60, 0, -2, 8, 6]);
  });
});

describe('crop windows', () => {
  it('truncates, then maps the 1-based inclusive box to pixel edges [x1 − 1, x2]', () => {
    expect([...cropWindows(f32([10.7, 20.2, 33.9, 44.5, -3.5, -0.5, 5.2, 8]))]).toEqual([
      9, 19, 33, 44, -4, -1, 5, 8,
    ]);
  });

  it('clips windows to the image for the stretch mode, keeping at least one pixel', () => {
    expect([...clipWindows(f32([-4, -1, 5, 8, 90, 10, 120, 130, 200, 200, 210, 210]), 100, 50)]).toEqual([
      0, 0, 5, 8, 90, 10, 100, 50, 99, 49, 100, 50,
    ]);
  });
});

describe('selectRows and boxIoU', () => {
  it('gathers rows in the given order', () => {
    expect([...selectRows(f32([1, 2, 3, 4, 5, 6]), 2, [2, 0])]).toEqual([5, 6, 1, 2]);
  });

  it('computes plain continuous IoU', () => {
    expect(boxIoU([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150);
    expect(boxIoU([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0);
    expect(boxIoU([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
  });
});
