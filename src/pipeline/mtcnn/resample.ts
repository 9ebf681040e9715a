/**
 * Resampling on the device: resizing the image for pyramid levels and the large-photo cap, and
 * cutting fixed-size patches for R-Net / O-Net out of many boxes at once. Two methods:
 *
 * - 'area': each output pixel is the mean of the source pixels under it, approximating the
 *   reference's `F.interpolate(mode='area')`: k × k half-pixel-centred bilinear samples per output
 *   pixel, averaged, k = samplesPerPixel(source / output): samples ≤ 1.5 source pixels apart, each a
 *   tent 2 pixels wide, so every source pixel still contributes. Large reductions start from a
 *   smaller octave (areaOctaves: repeated 2 × 2 means), so k stays 2–4. Exact area sums
 *   on the device (running sums + gathers) were 3× slower on WASM and alone gained little; the exact
 *   reproduction lives on the host (exact-area.ts).
 * - 'bilinear': one half-pixel-centred bilinear sample (4 source pixels) per output pixel.
 *
 * Every tensor function here returns a new tensor and must be called inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Resampling } from './config.ts';
import { supersampledCrop } from './supersampled-crop.ts';

/** The methods this file implements on the device. */
export type DeviceResampling = Exclude<Resampling, 'exact-area'>;

/** Cap on bilinear samples per crop axis and output pixel; 4 × 4 keeps O-Net crops ≤ 192 × 192. */
export const MAX_CROP_SUPERSAMPLING = 4;

/**
 * Bilinear samples per output pixel and axis for a reduction by `ratio`: round(ratio), at least 1.
 * Against exact area on bbt/, groups/ and people/ this is within 0.05 levels of ⌈ratio⌉ (mean
 * error 0.7–1.3 of 255) with about half the samples; ⌊ratio⌋ loses up to 0.2 levels.
 */
export function samplesPerPixel(ratio: number): number {
  return Math.max(1, Math.round(ratio));
}

/** `image` [H, W, C] resized to [height, width, C]. */
export function resizeImage(
  image: tf.Tensor3D,
  height: number,
  width: number,
  method: DeviceResampling,
): tf.Tensor3D {
  const [sourceHeight, sourceWidth] = image.shape;
  const ky = method === 'area' ? samplesPerPixel(sourceHeight / height) : 1;
  const kx = method === 'area' ? samplesPerPixel(sourceWidth / width) : 1;
  // Half-pixel-centred bilinear onto the same grid is the identity: skip the full-size pass.
  const samples =
    height * ky === sourceHeight && width * kx === sourceWidth
      ? image
      : tf.image.resizeBilinear(image, [height * ky, width * kx], false, true);
  return ky === 1 && kx === 1 ? samples : tf.avgPool(samples, [ky, kx], [ky, kx], 'valid');
}

/**
 * The image and its successive 2 × 2 area halvings ("octaves"), largest first, down to a shorter side
 * below `smallestSide`. An odd side is first stretched by one pixel so every octave still covers the
 * whole image. Area resampling a pyramid level from the smallest octave that is at least as large
 * costs ≤ 4 samples per level pixel, instead of one bilinear sample per pixel of the full image per
 * level: the pyramid's resampling no longer grows with levels × photo size. Call inside tf.tidy.
 */
export function areaOctaves(image: tf.Tensor3D, smallestSide: number): tf.Tensor3D[] {
  const octaves = [image];
  for (;;) {
    const [height, width] = (octaves[octaves.length - 1] as tf.Tensor3D).shape;
    const half: [number, number] = [Math.ceil(height / 2), Math.ceil(width / 2)];
    if (Math.min(...half) < smallestSide) return octaves;
    octaves.push(resizeImage(octaves[octaves.length - 1] as tf.Tensor3D, half[0], half[1], 'area'));
  }
}

/**
 * The smallest of `octaves` (largest first) that is at least twice height × width, so a level still
 * averages 2 × 2 to 4 × 4 samples per pixel (measured against exact area on bbt/ and groups/: mean
 * error 0.8–1.3 levels, as sampling the full image; the nearest octave ≥ 1× doubled it); the image
 * itself when the level is larger than half of it.
 */
export function octaveFor<T extends tf.Tensor>(
  octaves: readonly T[],
  height: number,
  width: number,
  shapeOf: (octave: T) => readonly [number, number],
): T {
  let chosen = octaves[0] as T;
  for (const octave of octaves) {
    const [octaveHeight, octaveWidth] = shapeOf(octave);
    if (octaveHeight < 2 * height || octaveWidth < 2 * width) break;
    chosen = octave;
  }
  return chosen;
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

/**
 * Samples per output pixel and axis for one window: ⌈reduction⌉, capped. Not samplesPerPixel's
 * rounding (the pyramid's): for R-/O-Net patches that lost a borderline 150 px bbt face.
 */
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
  /** Row i of `patches` is window `order[i]` (windows are grouped by source and sampling density). */
  readonly order: Int32Array;
}

/** `window` ([left, top, right, bottom) in octave-0 pixels) in the pixels of an octave of the given size. */
function windowInOctave(
  window: Float32Array,
  octave: readonly [number, number],
  image: readonly [number, number],
): Float32Array {
  // Every octave is the whole image resampled, so coordinates scale by the size ratio per axis.
  const sy = octave[0] / image[0];
  const sx = octave[1] / image[1];
  return Float32Array.of(
    (window[0] as number) * sx,
    (window[1] as number) * sy,
    (window[2] as number) * sx,
    (window[3] as number) * sy,
  );
}

/**
 * The deepest of `octaveSizes` (largest first) in which `window` still spans ≥ 2 × `size` pixels on
 * its longest side (the same rule as pyramid levels, octaveFor): a large box is then averaged from
 * 2–4 samples per patch pixel and axis of a smaller octave, instead of MAX_CROP_SUPERSAMPLING
 * samples spread thinly over the full image.
 */
function octaveForWindow(
  window: Float32Array,
  octaveSizes: readonly (readonly [number, number])[],
  size: number,
): number {
  const image = octaveSizes[0] as readonly [number, number];
  let chosen = 0;
  for (const [o, octave] of octaveSizes.entries()) {
    const w = windowInOctave(window, octave, image);
    const longest = Math.max((w[2] as number) - (w[0] as number), (w[3] as number) - (w[1] as number));
    if (longest < 2 * size) break;
    chosen = o;
  }
  return chosen;
}

/**
 * One [size, size, C] patch per window ([left, top, right, bottom) in pixels of `octaves[0]`), cut
 * from the smallest of `octaves` (the image first, then its 2 × 2 area halvings: areaOctaves) that
 * keeps the window ≥ size pixels. Windows are grouped by source octave and by how many samples per
 * pixel they need, so a few large boxes do not make every crop expensive: one batched crop per
 * group (supersampled-crop.ts: cropAndResize + average pool, fused on WASM/CPU), concatenated.
 * Samples outside the image take `padValue`.
 */
export function cropPatches(
  octaves: readonly tf.Tensor4D[],
  windows: Float32Array,
  size: number,
  method: DeviceResampling,
  padValue: number,
): Patches {
  const octaveSizes = octaves.map((octave): readonly [number, number] => [octave.shape[1], octave.shape[2]]);
  const imageSize = octaveSizes[0];
  if (imageSize === undefined) throw new Error('cropPatches needs at least one image');
  const groups = new Map<string, { octave: number; k: number; members: number[]; windows: number[] }>();
  for (let i = 0; i < windows.length / 4; i++) {
    const window = windows.subarray(4 * i, 4 * i + 4);
    const octave = method === 'area' ? octaveForWindow(window, octaveSizes, size) : 0;
    const local = windowInOctave(window, octaveSizes[octave] as readonly [number, number], imageSize);
    const k = cropSupersampling(local, size, method);
    const key = `${octave}:${k}`;
    const group = groups.get(key) ?? { octave, k, members: [], windows: [] };
    group.members.push(i);
    group.windows.push(...local);
    groups.set(key, group);
  }
  const order: number[] = [];
  const parts = [...groups.values()].map(({ octave, k, members, windows: groupWindows }) => {
    order.push(...members);
    const [height, width] = octaveSizes[octave] as readonly [number, number];
    const boxes = windowsToCropBoxes(Float32Array.from(groupWindows), height, width, size * k);
    return supersampledCrop(octaves[octave] as tf.Tensor4D, boxes, size, k, padValue);
  });
  const patches = parts.length === 1 ? (parts[0] as tf.Tensor4D) : tf.concat(parts);
  return { patches, order: Int32Array.from(order) };
}
