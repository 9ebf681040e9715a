/**
 * Where the stages get their network inputs from: pyramid levels for P-Net and square patches for
 * R-/O-Net, already normalised. Two implementations behind one interface, chosen by `resampling`:
 *
 * - on the host ('exact-area', the default): PyTorch's area interpolation from a summed-area table
 *   (exact-area.ts), uploaded as the networks' inputs. Reproduces the reference, gives every backend
 *   the same inputs, and is the fastest on WASM; a tensor input is read back once (after the cap);
 * - on the device ('area', 'bilinear'): the image is one tensor; levels are resized and patches cut
 *   with tf ops (one batched cropAndResize per sampling density), nothing leaves the device.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ArrayPool } from '../array-pool.ts';
import type { Resampling } from './config.ts';
import {
  cropIntegral,
  type HostPixels,
  integralImage,
  integralTableLength,
  resizeIntegral,
} from './exact-area.ts';
import { type DetectorInput, type ImageGeometry, normalise, toHostPixels, toRgbFloat } from './input.ts';
import { PNET_CELL } from './pyramid.ts';
import {
  areaOctaves,
  cropPatches,
  type DeviceResampling,
  octaveFor,
  type Patches,
  resizeImage,
  shrinkImage,
} from './resample.ts';

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
  /**
   * The same levels and patches as raw pixel values (0..255, not normalised) on the host, for a
   * second engine (offload.ts); null when the sampler resamples on the device.
   */
  readonly host: HostResampler | null;
  /** Frees what the sampler holds (the device image). */
  dispose(): void;
}

/** Levels ([H, W, 3]) and patches ([N, size, size, 3]) as host values, row-major. */
export interface HostResampler {
  level(height: number, width: number): Float32Array;
  patches(windows: Float32Array, size: number): Float32Array;
}

/**
 * Keeps the detection image [H, W, 3] (pixel values, not normalised) and, for 'area', its octaves on
 * the device. Levels and patches are resampled first and normalised after: normalising is affine, so
 * it commutes with averaging, and it then touches only the (much smaller) network inputs.
 */
function deviceSampler(
  input: DetectorInput,
  geometry: ImageGeometry,
  resampling: DeviceResampling,
): ImageSampler {
  const { height, width, detectionHeight, detectionWidth } = geometry;
  const octaves = tf.tidy(() => {
    const rgb = toRgbFloat(input);
    // Shrink first: on a 24 MP photo every full-size float copy costs ~290 MB.
    const capped =
      detectionHeight === height && detectionWidth === width
        ? rgb
        : shrinkImage(rgb, detectionHeight, detectionWidth, resampling);
    // Bilinear levels and patches read the image itself, so only 'area' builds octaves.
    return (resampling === 'area' ? areaOctaves(capped, PNET_CELL) : [capped]).map(
      (octave) => tf.expandDims(octave, 0) as tf.Tensor4D,
    );
  });
  const shapeOf = (octave: tf.Tensor4D) => [octave.shape[1], octave.shape[2]] as const;
  return {
    height: detectionHeight,
    width: detectionWidth,
    level: (levelHeight, levelWidth) => {
      const source = tf.squeeze<tf.Tensor3D>(octaveFor(octaves, levelHeight, levelWidth, shapeOf), [0]);
      return normalise(tf.expandDims(resizeImage(source, levelHeight, levelWidth, resampling), 0));
    },
    patches: (windows, size) => {
      // Outside the image the samples are black (0), which normalises to NORMALISED_BLACK.
      const { patches, order } = cropPatches(octaves, windows, size, resampling, 0);
      return { patches: normalise(patches), order };
    },
    host: null,
    dispose: () => tf.dispose(octaves),
  };
}

/**
 * Keeps the detection image's summed-area table on the host: every level and patch value is then
 * four lookups (exact-area.ts), uploaded as the small network inputs. The table's array goes back to
 * `tables` when the sampler is disposed.
 */
function hostSampler(pixels: HostPixels, tables: ArrayPool<Float64Array>): ImageSampler {
  const upload = (values: Float32Array, shape: [number, number, number, number]) =>
    normalise(tf.tensor4d(values, shape));
  const table = integralImage(pixels, tables.take(integralTableLength(pixels.height, pixels.width)));
  let returned = false;
  const host: HostResampler = {
    level: (height, width) => resizeIntegral(table, height, width),
    patches: (windows, size) => cropIntegral(table, windows, size),
  };
  return {
    height: pixels.height,
    width: pixels.width,
    level: (height, width) => upload(host.level(height, width), [1, height, width, 3]),
    patches: (windows, size) => {
      const count = windows.length / 4;
      return {
        patches: upload(host.patches(windows, size), [count, size, size, 3]),
        order: Int32Array.from({ length: count }, (_, i) => i),
      };
    },
    host,
    dispose: () => {
      // Once: a second give() would lend the array to two photos.
      if (returned) return;
      returned = true;
      tables.give(table.sums);
    },
  };
}

/**
 * The detection image's pixels on the host. A photo above the detection size is shrunk on the
 * device first (shrinkImage: whole k × k blocks averaged, one bilinear sample for the rest <2×):
 * in JavaScript the exact-area shrink of a 2 MP photo took 40–70 ms, on WASM this takes ~10, and
 * only the smaller image is read.
 */
async function detectionPixels(input: DetectorInput, geometry: ImageGeometry): Promise<HostPixels> {
  const { height, width, detectionHeight, detectionWidth } = geometry;
  if (detectionHeight === height && detectionWidth === width) return toHostPixels(input);
  const shrunk = tf.tidy(() => shrinkImage(toRgbFloat(input), detectionHeight, detectionWidth, 'area'));
  try {
    return { height: detectionHeight, width: detectionWidth, channels: 3, data: await shrunk.data() };
  } finally {
    shrunk.dispose();
  }
}

/** The sampler `resampling` names; the host one builds its table in an array lent by `tables`. */
export async function createImageSampler(
  input: DetectorInput,
  geometry: ImageGeometry,
  resampling: Resampling,
  tables: ArrayPool<Float64Array>,
): Promise<ImageSampler> {
  if (resampling !== 'exact-area') return deviceSampler(input, geometry, resampling);
  return hostSampler(await detectionPixels(input, geometry), tables);
}
