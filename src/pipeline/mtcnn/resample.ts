/**
 * Resampling on the device: resizing the image for pyramid levels and the large-photo cap, and
 * cutting fixed-size patches for R-Net / O-Net out of many boxes at once. Two methods:
 *
 * - 'area': each output pixel is the mean of the source pixels under it, approximating the
 *   reference's `F.interpolate(mode='area')`: k × k half-pixel-centred bilinear samples per output
 *   pixel, averaged (k = ⌈source / output⌉, so samples are ≤ 1 source pixel apart). Exact area sums
 *   on the device (running sums + gathers) were 3× slower on WASM and alone gained little; the exact
 *   reproduction lives on the host (exact-area.ts).
 * - 'bilinear': one half-pixel-centred bilinear sample (4 source pixels) per output pixel.
 *
 * Every tensor function here returns a new tensor and must be called inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Resampling } from './config.ts';

/** The methods this file implements on the device. */
export type DeviceResampling = Exclude<Resampling, 'exact-area'>;

/** Cap on bilinear samples per crop axis and output pixel; 4 × 4 keeps O-Net crops ≤ 192 × 192. */
export const MAX_CROP_SUPERSAMPLING = 4;

/** `image` [H, W, C] resized to [height, width, C]. */
export function resizeImage(
  image: tf.Tensor3D,
  height: number,
  width: number,
  method: DeviceResampling,
): tf.Tensor3D {
  const [sourceHeight, sourceWidth] = image.shape;
  const ky = method === 'area' ? Math.max(1, Math.ceil(sourceHeight / height)) : 1;
  const kx = method === 'area' ? Math.max(1, Math.ceil(sourceWidth / width)) : 1;
  const samples = tf.image.resizeBilinear(image, [height * ky, width * kx], false, true);
  return ky === 1 && kx === 1 ? samples : tf.avgPool(samples, [ky, kx], [ky, kx], 'valid');
}

/**
 * A strong downscale with little memory (the large-photo cap: a 24 MP photo must not be blown up
 * further): average whole k × k blocks first (k = ⌊ratio⌋), then bilinear for the remaining < 2×.
 */
export function shrinkImage(
  image: tf.Tensor3D,
  height: number,
  width: number,
  method: DeviceResampling,
): tf.Tensor3D {
  const [sourceHeight, sourceWidth] = image.shape;
  const ky = method === 'area' ? Math.max(1, Math.floor(sourceHeight / height)) : 1;
  const kx = method === 'area' ? Math.max(1, Math.floor(sourceWidth / width)) : 1;
  const pooled = ky === 1 && kx === 1 ? image : tf.avgPool(image, [ky, kx], [ky, kx], 'valid');
  return tf.image.resizeBilinear(pooled, [height, width], false, true);
}

/**
 * cropAndResize boxes ([y1, x1, y2, x2], normalised by (side − 1)) that sample each pixel window
 * [left, top, right, bottom) at `samples` × `samples` half-pixel-centred points: sample j of a window
 * starting at edge a and n pixels long sits at a + (j + ½)·n/samples − ½ in pixel-index terms.
 */
export function windowsToCropBoxes(
  windows: Float32Array,
  imageHeight: number,
  imageWidth: number,
  samples: number,
): Float32Array {
  const boxes = new Float32Array(windows.length);
  for (let b = 0; b < windows.length; b += 4) {
    const left = windows[b] as number;
    const top = windows[b + 1] as number;
    const right = windows[b + 2] as number;
    const bottom = windows[b + 3] as number;
    const halfStepX = (right - left) / (2 * samples);
    const halfStepY = (bottom - top) / (2 * samples);
    boxes[b] = (top + halfStepY - 0.5) / (imageHeight - 1);
    boxes[b + 1] = (left + halfStepX - 0.5) / (imageWidth - 1);
    boxes[b + 2] = (bottom - halfStepY - 0.5) / (imageHeight - 1);
    boxes[b + 3] = (right - halfStepX - 0.5) / (imageWidth - 1);
  }
  return boxes;
}

/** Samples per output pixel and axis for one window: enough to step ≤ 1 source pixel, capped. */
export function cropSupersampling(window: ArrayLike<number>, size: number, method: DeviceResampling): number {
  if (method === 'bilinear') return 1;
  const longest = Math.max(
    (window[2] as number) - (window[0] as number),
    (window[3] as number) - (window[1] as number),
  );
  return Math.min(MAX_CROP_SUPERSAMPLING, Math.max(1, Math.ceil(longest / size)));
}

export interface Patches {
  /** [N, size, size, C]. */
  readonly patches: tf.Tensor4D;
  /** Row i of `patches` is window `order[i]` (windows are grouped by sampling density). */
  readonly order: Int32Array;
}

/**
 * One [size, size, C] patch per window of `image` [1, H, W, C]. Windows are grouped by how many
 * samples per pixel they need, so a few large boxes do not make every crop expensive: one batched
 * cropAndResize per group (at most MAX_CROP_SUPERSAMPLING of them), concatenated. Samples outside
 * the image take `padValue` (the caller passes normalised black: zero padding).
 */
export function cropPatches(
  image: tf.Tensor4D,
  windows: Float32Array,
  size: number,
  method: DeviceResampling,
  padValue: number,
): Patches {
  const [, height = 0, width = 0] = image.shape;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < windows.length / 4; i++) {
    const k = cropSupersampling(windows.subarray(4 * i, 4 * i + 4), size, method);
    const members = groups.get(k);
    if (members === undefined) groups.set(k, [i]);
    else members.push(i);
  }
  const order: number[] = [];
  const parts = [...groups.entries()].map(([k, members]) => {
    order.push(...members);
    const groupWindows = new Float32Array(members.length * 4);
    for (const [row, i] of members.entries()) groupWindows.set(windows.subarray(4 * i, 4 * i + 4), 4 * row);
    const boxes = tf.tensor2d(windowsToCropBoxes(groupWindows, height, width, size * k), [members.length, 4]);
    const boxIndices = tf.zeros([members.length], 'int32') as tf.Tensor1D;
    const samples = tf.image.cropAndResize(
      image,
      boxes,
      boxIndices,
      [size * k, size * k],
      'bilinear',
      padValue,
    );
    return k === 1 ? samples : tf.avgPool(samples, k, k, 'valid');
  });
  const patches = parts.length === 1 ? (parts[0] as tf.Tensor4D) : tf.concat(parts);
  return { patches, order: Int32Array.from(order) };
}
