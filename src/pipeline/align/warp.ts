/**
 * Face alignment on tensors: every face of one image is warped to its embedder's landmark template
 * by batched `tf.image.transform` calls (bilinear, zero fill) at the template's crop size.
 *
 * The image is never tiled once per face, and never copied at full resolution:
 * - a face the warp shrinks by at most 2× (small faces, the common case): we slice only the part of
 *   the image its output crop can sample (plus a 1-pixel bilinear margin; clipped to the image,
 *   which is exact because the warp fills outside-image samples with 0 either way), zero-pad the
 *   slices to a common size and warp the stack with per-face transform rows;
 * - a larger face (anti-aliasing on, the default): its window is first resampled to a patch of
 *   2 × the crop size by one batched `cropAndResize` of area-averaged samples (the MTCNN sampler's
 *   method, resample.ts), and warped from there. Slicing, casting and pooling a full-resolution
 *   window instead cost 160–250 ms for one face of a 2 MP portrait on WASM.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cropPatches } from '../mtcnn/resample.ts';
import {
  applySimilarity,
  invertSimilarity,
  type Point,
  type Similarity,
  similarityScale,
  umeyama,
} from './similarity.ts';
import type { LandmarkTemplate } from './templates.ts';

export interface AlignOptions {
  /**
   * Area-average a face down by floor(1 / scale) before the bilinear warp when the warp would
   * shrink it by more than 2×. Default true.
   */
  readonly antialias?: boolean;
}

/** One `tf.image.transform` row: output (x, y) → input ((a0·x + a1·y + a2), (b0·x + b1·y + b2)). */
export type TransformRow = readonly [number, number, number, number, number, number, number, number];

/** The similarity taking each face's landmarks (image pixels) onto the template (crop pixels). */
export function alignmentTransform(landmarks: readonly Point[], template: LandmarkTemplate): Similarity {
  if (landmarks.length !== template.points.length) {
    throw new Error(`expected ${template.points.length} landmarks, got ${landmarks.length}`);
  }
  return umeyama(landmarks, template.points);
}

/** The transform row sampling a crop of `outputToInput` (crop pixel → input pixel). */
export function transformRow(outputToInput: Similarity): TransformRow {
  const { a, b, tx, ty } = outputToInput;
  return [a, -b, tx, b, a, ty, 0, 0];
}

/**
 * `tf.image.transform` over a batch with one row per image (or one row for all). Works around
 * tfjs-backend-cpu 4.22, whose Transform kernel returns after the first image of a batch (the
 * others come back as fill value): on that backend the batch is warped image by image.
 */
export function warpBatch(
  images: tf.Tensor4D,
  rows: readonly TransformRow[],
  outputSize: number,
): tf.Tensor4D {
  const n = images.shape[0];
  if (rows.length !== 1 && rows.length !== n)
    throw new Error(`warpBatch: ${rows.length} transforms for ${n} images`);
  const shape: [number, number] = [outputSize, outputSize];
  return tf.tidy(() => {
    const x = images.dtype === 'float32' ? images : tf.cast(images, 'float32');
    if (n <= 1 || tf.getBackend() !== 'cpu') {
      return tf.image.transform(
        x,
        tf.tensor2d(rows.flat(), [rows.length, 8]),
        'bilinear',
        'constant',
        0,
        shape,
      );
    }
    const parts = [];
    for (let i = 0; i < n; i++) {
      const row = (rows.length === 1 ? rows[0] : rows[i]) as TransformRow;
      const one = tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1]);
      parts.push(tf.image.transform(one, tf.tensor2d([...row], [1, 8]), 'bilinear', 'constant', 0, shape));
    }
    return tf.concat(parts, 0);
  });
}

/** A face warped from a slice of the image (small faces, or anti-aliasing off). */
interface SliceSource {
  readonly kind: 'slice';
  /** Slice origin and size in the image (clipped); h = 0 when the crop sees no image pixel. */
  readonly x0: number;
  readonly y0: number;
  readonly w: number;
  readonly h: number;
  /** Area-averaging factor applied to the slice (1 unless the caller's image is too thin to crop). */
  readonly k: number;
  readonly row: TransformRow;
}

/** A face warped from a resampled patch of `patchSize`² covering the square window [left, right). */
interface PatchSource {
  readonly kind: 'patch';
  readonly window: readonly [left: number, top: number, right: number, bottom: number];
  readonly row: TransformRow;
}

type FaceSource = SliceSource | PatchSource;

/** Patch side relative to the crop: the warp from the patch then shrinks by about 2×, no more. */
const PATCH_OVER_CROP = 2;

function faceSource(
  landmarks: readonly Point[],
  template: LandmarkTemplate,
  width: number,
  height: number,
  antialias: boolean,
): FaceSource {
  const toCrop = alignmentTransform(landmarks, template);
  const fromCrop = invertSimilarity(toCrop);
  const last = template.size - 1;
  const corners = (
    [
      [0, 0],
      [last, 0],
      [0, last],
      [last, last],
    ] as const
  ).map((p) => applySimilarity(fromCrop, p));
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  const scale = similarityScale(toCrop);
  const { a, b, tx, ty } = fromCrop;
  // cropAndResize addresses pixels relative to (side − 1): a 1-pixel-thin image takes the slice path.
  if (antialias && scale < 0.5 && width >= 2 && height >= 2) {
    // Unclipped square window (outside samples read 0, as the warp's fill); patch pixel p is centred
    // on image index left − ½ + (p + ½)·side/patchSize.
    const left = Math.floor(Math.min(...xs)) - 1;
    const top = Math.floor(Math.min(...ys)) - 1;
    const side = Math.max(Math.ceil(Math.max(...xs)) + 2 - left, Math.ceil(Math.max(...ys)) + 2 - top);
    const s = (PATCH_OVER_CROP * template.size) / side;
    const row: TransformRow = [
      a * s,
      -b * s,
      (tx - left + 0.5) * s - 0.5,
      b * s,
      a * s,
      (ty - top + 0.5) * s - 0.5,
      0,
      0,
    ];
    return { kind: 'patch', window: [left, top, left + side, top + side], row };
  }
  const x0 = Math.max(0, Math.floor(Math.min(...xs)) - 1);
  const y0 = Math.max(0, Math.floor(Math.min(...ys)) - 1);
  const x1 = Math.min(width - 1, Math.ceil(Math.max(...xs)) + 1);
  const y1 = Math.min(height - 1, Math.ceil(Math.max(...ys)) + 1);
  const w = Math.max(0, x1 - x0 + 1);
  const h = Math.max(0, y1 - y0 + 1);
  const k = antialias && scale < 0.5 ? Math.floor(1 / scale) : 1;
  // crop pixel → image pixel → slice pixel → pooled pixel (pooled pixel j is centred on k·j + (k−1)/2)
  const c = (k - 1) / 2;
  const row: TransformRow = [a / k, -b / k, (tx - x0 - c) / k, b / k, a / k, (ty - y0 - c) / k, 0, 0];
  return { kind: 'slice', x0, y0, w, h, k, row };
}

/**
 * `image[y0 : y0 + h, x0 : x0 + w]` as float32. A bilinear cropAndResize at the window's own size
 * samples exactly the window's pixel centres (weights off integers by float rounding only: ≤ 3e-4
 * on values of 5,000, measured) and costs only the window. tf.slice would cost the whole image on
 * WASM, whose Slice kernel first copies its full input out of the heap: 30–60 ms per face on a
 * 2048 px photo. ('nearest' is not used: tfjs-wasm 4.22 picked wrong pixels for some windows.)
 * Only a float32 image avoids a full-image cast, and a 1-pixel-thin image has no (side − 1) to
 * normalise by; those take tf.slice.
 */
function cutWindow(image: tf.Tensor3D, y0: number, x0: number, h: number, w: number): tf.Tensor3D {
  const [height, width, channels] = image.shape;
  if (image.dtype !== 'float32' || height < 2 || width < 2) {
    return tf.cast(tf.slice(image, [y0, x0, 0], [h, w, channels]), 'float32');
  }
  const box = tf.tensor2d([
    [y0 / (height - 1), x0 / (width - 1), (y0 + h - 1) / (height - 1), (x0 + w - 1) / (width - 1)],
  ]);
  const crop = tf.image.cropAndResize(
    tf.expandDims<tf.Tensor4D>(image),
    box,
    tf.zeros([1], 'int32'),
    [h, w],
    'bilinear',
  );
  return tf.squeeze<tf.Tensor3D>(crop, [0]);
}

/** Warps the slice-path faces: slices (pooled by k), zero-padded to a common size, one warp. */
function warpSlices(image: tf.Tensor3D, sources: readonly SliceSource[], size: number): tf.Tensor4D {
  const channels = image.shape[2];
  const slices = sources.map(({ x0, y0, w, h, k }) => {
    if (w === 0 || h === 0) return tf.zeros([1, 1, channels]) as tf.Tensor3D;
    let region = cutWindow(image, y0, x0, h, w);
    if (k > 1) {
      const ph = Math.ceil(h / k) * k - h;
      const pw = Math.ceil(w / k) * k - w;
      if (ph > 0 || pw > 0)
        region = tf.pad(region, [
          [0, ph],
          [0, pw],
          [0, 0],
        ]);
      region = tf.avgPool(region, k, k, 'valid');
    }
    return region;
  });
  const maxH = Math.max(...slices.map((s) => s.shape[0]));
  const maxW = Math.max(...slices.map((s) => s.shape[1]));
  const padded = slices.map((s) =>
    s.shape[0] === maxH && s.shape[1] === maxW
      ? s
      : tf.pad(s, [
          [0, maxH - s.shape[0]],
          [0, maxW - s.shape[1]],
          [0, 0],
        ]),
  );
  // A window that sees no image pixel has an all-zero slot: any transform gives zeros.
  const rows = sources.map((src) =>
    src.w === 0 || src.h === 0 ? transformRow({ a: 1, b: 0, tx: 0, ty: 0 }) : src.row,
  );
  return warpBatch(tf.stack(padded) as tf.Tensor4D, rows, size);
}

/** Warps the patch-path faces: one batched area-sampled cropAndResize per density, one warp. */
function warpPatches(image: tf.Tensor3D, sources: readonly PatchSource[], size: number): tf.Tensor4D {
  const windows = Float32Array.from(sources.flatMap((src) => src.window));
  const image4d = tf.expandDims(image.dtype === 'float32' ? image : tf.cast(image, 'float32')) as tf.Tensor4D;
  const { patches, order } = cropPatches([image4d], windows, PATCH_OVER_CROP * size, 'area', 0);
  const rows = Array.from(order, (i) => (sources[i] as PatchSource).row);
  const warped = warpBatch(patches, rows, size);
  // Patches come grouped by sampling density: put them back in the sources' order.
  const inverse = new Int32Array(order.length);
  for (const [row, i] of order.entries()) inverse[i] = row;
  return order.every((i, row) => i === row) ? warped : tf.gather(warped, inverse);
}

/**
 * Aligned crops `[N, size, size, 3]` (float32, same value range as `image`) of the faces whose
 * five landmarks are given, `size = template.size`. The caller disposes the result.
 */
export function alignFaces(
  image: tf.Tensor3D,
  landmarks: readonly (readonly Point[])[],
  template: LandmarkTemplate,
  options: AlignOptions = {},
): tf.Tensor4D {
  const size = template.size;
  const channels = image.shape[2];
  if (landmarks.length === 0) return tf.zeros([0, size, size, channels]);
  const [height, width] = image.shape;
  const antialias = options.antialias ?? true;
  const sources = landmarks.map((points) => faceSource(points, template, width, height, antialias));
  const sliced = sources.flatMap((src, i) => (src.kind === 'slice' ? [i] : []));
  const patched = sources.flatMap((src, i) => (src.kind === 'patch' ? [i] : []));
  return tf.tidy(() => {
    const pick = <T extends FaceSource>(indices: number[]) => indices.map((i) => sources[i] as T);
    if (patched.length === 0) return warpSlices(image, pick<SliceSource>(sliced), size);
    if (sliced.length === 0) return warpPatches(image, pick<PatchSource>(patched), size);
    const both = tf.concat([
      warpSlices(image, pick<SliceSource>(sliced), size),
      warpPatches(image, pick<PatchSource>(patched), size),
    ]);
    // Back to the caller's face order.
    const position = new Int32Array(sources.length);
    for (const [row, i] of [...sliced, ...patched].entries()) position[i] = row;
    return tf.gather(both, position) as tf.Tensor4D;
  });
}

/**
 * Re-warps crops already aligned to `from` (e.g. 112×112 ArcFace crops) onto `to`: one similarity
 * for the whole batch. Returns a float32 copy when the templates are identical.
 */
export function realignCrops(crops: tf.Tensor4D, from: LandmarkTemplate, to: LandmarkTemplate): tf.Tensor4D {
  if (crops.shape[1] !== from.size || crops.shape[2] !== from.size) {
    throw new Error(
      `crops are ${crops.shape[1]}×${crops.shape[2]}, template expects ${from.size}×${from.size}`,
    );
  }
  const same =
    from.size === to.size &&
    from.points.every((p, i) => p[0] === to.points[i]?.[0] && p[1] === to.points[i]?.[1]);
  if (same) return tf.cast(crops, 'float32');
  const fromCrop = invertSimilarity(umeyama(from.points, to.points));
  return warpBatch(crops, [transformRow(fromCrop)], to.size);
}
