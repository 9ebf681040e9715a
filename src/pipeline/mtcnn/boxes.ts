/**
 * Box math for the MTCNN cascade, in plain TypeScript on typed arrays (no tensors: these run on a few
 * hundred or thousand boxes after each stage's single device→host read).
 *
 * A box list is a Float32Array of rows [x1, y1, x2, y2]. Coordinates follow MTCNN's MATLAB-born
 * convention, which the reference (facenet-pytorch) and the `mtcnn` package keep: x1 and x2 are the
 * 1-based indices of the first and last pixel column, so the box covers the pixel edges [x1 − 1, x2].
 * The original code is not consistent about the "+1" in widths: P-Net/R-Net NMS and the P-Net
 * regression use x2 − x1 (`inclusive: false`), O-Net NMS and the R-/O-Net regression use
 * x2 − x1 + 1 (`inclusive: true`). The stages pass the flag the reference uses at each step.
 */

export type BoxList = Float32Array;

/** Overlap measure: intersection over union, or over the smaller box ("Min": nested boxes overlap 1). */
export type OverlapMode = 'union' | 'min';

export interface NmsOptions {
  readonly mode: OverlapMode;
  /** Areas and intersections count the last pixel (+1), as MTCNN's MATLAB/numpy NMS does. */
  readonly inclusive: boolean;
}

export function boxCount(boxes: BoxList): number {
  return boxes.length / 4;
}

/** Rows `indices` of a row-major array with `width` values per row, in that order. */
export function selectRows(values: Float32Array, width: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * width);
  for (let k = 0; k < indices.length; k++) {
    const from = (indices[k] as number) * width;
    out.set(values.subarray(from, from + width), k * width);
  }
  return out;
}

/** Indices of `scores` sorted by descending score; ties keep index order (deterministic). */
export function orderByScore(scores: Float32Array): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

/**
 * Greedy non-maximum suppression: visit boxes from the highest score down, keep a box unless it
 * overlaps an already kept box by more than `threshold`. Returns kept indices, highest score first.
 */
export function nonMaxSuppression(
  boxes: BoxList,
  scores: Float32Array,
  threshold: number,
  { mode, inclusive }: NmsOptions,
): Int32Array {
  const n = scores.length;
  const plus = inclusive ? 1 : 0;
  const areas = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = 4 * i;
    areas[i] =
      ((boxes[b + 2] as number) - (boxes[b] as number) + plus) *
      ((boxes[b + 3] as number) - (boxes[b + 1] as number) + plus);
  }
  const order = orderByScore(scores);
  const suppressed = new Uint8Array(n);
  const kept: number[] = [];
  for (let oi = 0; oi < n; oi++) {
    const i = order[oi] as number;
    if (suppressed[i] === 1) continue;
    kept.push(i);
    const x1 = boxes[4 * i] as number;
    const y1 = boxes[4 * i + 1] as number;
    const x2 = boxes[4 * i + 2] as number;
    const y2 = boxes[4 * i + 3] as number;
    const areaI = areas[i] as number;
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj] as number;
      if (suppressed[j] === 1) continue;
      const b = 4 * j;
      const w = Math.min(x2, boxes[b + 2] as number) - Math.max(x1, boxes[b] as number) + plus;
      const h = Math.min(y2, boxes[b + 3] as number) - Math.max(y1, boxes[b + 1] as number) + plus;
      if (w <= 0 || h <= 0) continue;
      const intersection = w * h;
      const areaJ = areas[j] as number;
      const overlap =
        mode === 'min'
          ? intersection / Math.min(areaI, areaJ)
          : intersection / (areaI + areaJ - intersection);
      if (overlap > threshold) suppressed[j] = 1;
    }
  }
  return Int32Array.from(kept);
}

/**
 * Applies bounding-box regression: each edge moves by its offset (dx1, dy1, dx2, dy2) times the box
 * width or height. Returns new boxes; the inputs are not modified.
 */
export function regressBoxes(boxes: BoxList, offsets: Float32Array, inclusive: boolean): BoxList {
  const out = new Float32Array(boxes.length);
  const plus = inclusive ? 1 : 0;
  for (let b = 0; b < boxes.length; b += 4) {
    const x1 = boxes[b] as number;
    const y1 = boxes[b + 1] as number;
    const x2 = boxes[b + 2] as number;
    const y2 = boxes[b + 3] as number;
    const w = x2 - x1 + plus;
    const h = y2 - y1 + plus;
    out[b] = x1 + (offsets[b] as number) * w;
    out[b + 1] = y1 + (offsets[b + 1] as number) * h;
    out[b + 2] = x2 + (offsets[b + 2] as number) * w;
    out[b + 3] = y2 + (offsets[b + 3] as number) * h;
  }
  return out;
}

/** Grows each box to a square around the same centre, side = its longer side (MTCNN's `rerec`). */
export function squareBoxes(boxes: BoxList): BoxList {
  const out = new Float32Array(boxes.length);
  for (let b = 0; b < boxes.length; b += 4) {
    const x1 = boxes[b] as number;
    const y1 = boxes[b + 1] as number;
    const w = (boxes[b + 2] as number) - x1;
    const h = (boxes[b + 3] as number) - y1;
    const side = Math.max(w, h);
    // Stored in float32 first and then reused, as the reference does in place.
    out[b] = x1 + w * 0.5 - side * 0.5;
    out[b + 1] = y1 + h * 0.5 - side * 0.5;
    out[b + 2] = (out[b] as number) + side;
    out[b + 3] = (out[b + 1] as number) + side;
  }
  return out;
}

/**
 * The pixel window a box is cropped from, as edges [left, top, right, bottom) in 0-based pixel
 * coordinates: like the reference, the corners are truncated to integers first, then the 1-based
 * inclusive box becomes edges [x1 − 1, x2]. Windows may reach outside the image (zero padding).
 */
export function cropWindows(boxes: BoxList): Float32Array {
  const out = new Float32Array(boxes.length);
  for (let b = 0; b < boxes.length; b += 4) {
    out[b] = Math.trunc(boxes[b] as number) - 1;
    out[b + 1] = Math.trunc(boxes[b + 1] as number) - 1;
    out[b + 2] = Math.trunc(boxes[b + 2] as number);
    out[b + 3] = Math.trunc(boxes[b + 3] as number);
  }
  return out;
}

/**
 * Windows clipped to the image, for facenet-pytorch's 'stretch' border behaviour (its `pad()`):
 * the in-image part of the window only. A window entirely outside keeps one edge pixel.
 */
export function clipWindows(windows: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(windows.length);
  for (let b = 0; b < windows.length; b += 4) {
    const left = Math.min(Math.max(windows[b] as number, 0), width - 1);
    const top = Math.min(Math.max(windows[b + 1] as number, 0), height - 1);
    out[b] = left;
    out[b + 1] = top;
    out[b + 2] = Math.max(Math.min(windows[b + 2] as number, width), left + 1);
    out[b + 3] = Math.max(Math.min(windows[b + 3] as number, height), top + 1);
  }
  return out;
}

/** Plain intersection over union of two [x1, y1, x2, y2] boxes (continuous, no +1), for evaluation. */
export function boxIoU(a: readonly number[], b: readonly number[]): number {
  const [ax1 = 0, ay1 = 0, ax2 = 0, ay2 = 0] = a;
  const [bx1 = 0, by1 = 0, bx2 = 0, by2 = 0] = b;
  const w = Math.min(ax2, bx2) - Math.max(ax1, bx1);
  const h = Math.min(ay2, by2) - Math.max(ay1, by1);
  if (w <= 0 || h <= 0) return 0;
  const intersection = w * h;
  return intersection / ((ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - intersection);
}
