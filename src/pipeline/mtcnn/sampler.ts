/**
 * Where the stages get their network inputs from: pyramid levels for P-Net and square patches for
 * R-/O-Net, already normalised. Two implementations behind one interface, chosen by `resampling`:
 *
 * - on the device ('area', 'bilinear'): the image is one tensor; levels are resized and patches cut
 *   with tf ops (one batched cropAndResize per sampling density), nothing leaves the device;
 * - on the host ('exact-area'): PyTorch's area interpolation in TypeScript (exact-area.ts), uploaded
 *   as tensors. Reproduces the reference; slower on WebGL, needs one read of a tensor input.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Resampling } from './config.ts';
import { cropHostPatches, type HostPixels, resizeHostPixels } from './exact-area.ts';
import {
  type DetectorInput,
  type ImageGeometry,
  NORMALISED_BLACK,
  normalise,
  toHostPixels,
  toRgbFloat,
} from './input.ts';
import { cropPatches, type DeviceResampling, type Patches, resizeImage, shrinkImage } from './resample.ts';

export interface ImageSampler {
  /** Size of the detection image (after the large-photo cap). */
  readonly height: number;
  readonly width: number;
  /** Normalised [1, height, width, 3] pyramid level. Call inside tf.tidy. */
  level(height: number, width: number): tf.Tensor4D;
  /**
   * Normalised [N, size, size, 3] patches of pixel windows [left, top, right, bottom) of the detection
   * image, zero padded outside it. Row i of the result is window `order[i]`. Call inside tf.tidy.
   */
  patches(windows: Float32Array, size: number): Patches;
  /** Frees what the sampler holds (the device image). */
  dispose(): void;
}

/** Keeps the normalised detection image [1, H, W, 3] on the device. */
function deviceSampler(
  input: DetectorInput,
  geometry: ImageGeometry,
  resampling: DeviceResampling,
): ImageSampler {
  const { height, width, detectionHeight, detectionWidth } = geometry;
  const image = tf.tidy(() => {
    const rgb = toRgbFloat(input);
    // Shrink first: on a 24 MP photo every full-size float copy costs ~290 MB.
    const capped =
      detectionHeight === height && detectionWidth === width
        ? rgb
        : shrinkImage(rgb, detectionHeight, detectionWidth, resampling);
    return tf.expandDims(normalise(capped), 0) as tf.Tensor4D;
  });
  return {
    height: detectionHeight,
    width: detectionWidth,
    level: (levelHeight, levelWidth) =>
      tf.expandDims(resizeImage(tf.squeeze(image, [0]), levelHeight, levelWidth, resampling), 0),
    patches: (windows, size) => cropPatches(image, windows, size, resampling, NORMALISED_BLACK),
    dispose: () => image.dispose(),
  };
}

/** Keeps the (capped) pixels on the host and resamples them exactly like the reference. */
function hostSampler(pixels: HostPixels): ImageSampler {
  const upload = (values: Float32Array, shape: [number, number, number, number]) =>
    normalise(tf.tensor4d(values, shape));
  return {
    height: pixels.height,
    width: pixels.width,
    level: (height, width) => {
      const level = resizeHostPixels(pixels, height, width);
      return upload(level.data as Float32Array, [1, height, width, 3]);
    },
    patches: (windows, size) => {
      const count = windows.length / 4;
      return {
        patches: upload(cropHostPatches(pixels, windows, size), [count, size, size, 3]),
        order: Int32Array.from({ length: count }, (_, i) => i),
      };
    },
    dispose: () => {},
  };
}

export async function createImageSampler(
  input: DetectorInput,
  geometry: ImageGeometry,
  resampling: Resampling,
): Promise<ImageSampler> {
  if (resampling !== 'exact-area') return deviceSampler(input, geometry, resampling);
  const pixels = await toHostPixels(input);
  const capped =
    geometry.detectionHeight === geometry.height && geometry.detectionWidth === geometry.width
      ? pixels
      : resizeHostPixels(pixels, geometry.detectionHeight, geometry.detectionWidth);
  return hostSampler(capped);
}
