/**
 * The images the detector accepts, their size after the large-photo cap, and their pixels either as
 * a device tensor (RGB float) or on the host (for the exact-area resampler).
 */
import * as tf from '@tensorflow/tfjs-core';
import { MODEL_SPECS } from '../../models/specs.ts';
import type { RgbImage } from '../image.ts';
import type { HostPixels } from './exact-area.ts';

/**
 * An RGB image: a tensor [H, W, 3] (int32 or float32, 0..255), or a decoded RgbImage. Tensors with 1
 * (grey), 2 (grey + alpha) or 4 (RGBA) channels and [H, W] grey tensors are accepted too; alpha is
 * dropped without compositing, as the reference does.
 */
export type DetectorInput = tf.Tensor3D | tf.Tensor2D | RgbImage;

const { mean, divisor } = MODEL_SPECS.pnet.normalisation;

/** MTCNN input normalisation, (pixel − 127.5) / 128, on a float tensor of 0..255 RGB values. */
export function normalise<T extends tf.Tensor>(pixels: T): T {
  // One mean for all channels: scalar operands take the backends' fast elementwise path, where a
  // per-channel [3] operand makes WASM broadcast element by element (~20 ms on a 1280 px image).
  const [r, g, b] = mean;
  const offset = r === g && g === b ? tf.scalar(r) : tf.tensor1d([...mean]);
  return tf.mul(tf.sub(pixels, offset), 1 / divisor);
}

/** Black (pixel value 0) after normalisation: the value zero padding writes. */
export const NORMALISED_BLACK = (0 - mean[0]) / divisor;

export interface ImageGeometry {
  /** Size of the caller's image. */
  readonly height: number;
  readonly width: number;
  /** Size the detector works at (≤ maxDetectionSide on the longest side). */
  readonly detectionHeight: number;
  readonly detectionWidth: number;
}

// Structural check rather than instanceof: a second copy of tfjs-core in a bundle has its own Tensor class.
function isRgbImage(input: DetectorInput): input is RgbImage {
  return !('shape' in input);
}

/** [height, width, channels] of any accepted input; throws a TypeError for non-image tensors. */
export function inputShape(input: DetectorInput): readonly [number, number, number] {
  if (isRgbImage(input)) return [input.height, input.width, 3];
  const [height = 0, width = 0, channels = 1] = input.shape;
  if (input.rank < 2 || input.rank > 3 || channels < 1 || channels > 4) {
    throw new TypeError(
      `detect() expects an image tensor [H, W, 1..4], got shape [${input.shape.join(', ')}]`,
    );
  }
  return [height, width, channels];
}

/** What decides the size the detector works at (a subset of DetectorConfig). */
export interface DetectionSizing {
  readonly preferredDetectionSide: number;
  readonly maxDetectionSide: number;
  readonly minFaceSize: number;
  readonly minFaceLimit: number;
}

/**
 * Longest side the detector works at: the photo's own, shrunk to preferredDetectionSide — but never
 * so far that a face of minFaceLimit px would be smaller than minFaceSize there — and never above
 * maxDetectionSide (memory). A 2 MP portrait is detected at 1280 px; a 24 MP photo at 3000 px, where
 * its 40 px faces are still 20 px.
 */
export function detectionSide(longest: number, sizing: DetectionSizing): number {
  const keepsLimitInReach = (longest * sizing.minFaceSize) / sizing.minFaceLimit;
  const wanted = Math.max(sizing.preferredDetectionSide, keepsLimitInReach);
  return Math.min(longest, wanted, sizing.maxDetectionSide);
}

/** The caller's size and the size the detector works at (aspect ratio kept, rounded). */
export function imageGeometry(
  height: number,
  width: number,
  sizing: DetectionSizing | number,
): ImageGeometry {
  const longest = Math.max(height, width);
  const side = typeof sizing === 'number' ? Math.min(longest, sizing) : detectionSide(longest, sizing);
  if (longest <= side) {
    return { height, width, detectionHeight: height, detectionWidth: width };
  }
  const shrink = side / longest;
  return {
    height,
    width,
    detectionHeight: Math.max(1, Math.round(height * shrink)),
    detectionWidth: Math.max(1, Math.round(width * shrink)),
  };
}

/**
 * Any accepted input as a float32 [H, W, 3] RGB tensor in 0..255: `input` itself when it already is
 * one (tf.cast copies even to the same dtype, on WASM the whole photo), else a new tensor. Call
 * inside tf.tidy, which then frees only what was made here.
 */
export function toRgbFloat(input: DetectorInput): tf.Tensor3D {
  if (isRgbImage(input)) {
    // Converted on the host: the bytes must become floats anyway, and a device-side cast would copy
    // the whole image once more.
    const { width, height, data } = input;
    if (data.length !== width * height * 3) {
      throw new Error(`image buffer has ${data.length} bytes, expected ${width}×${height}×3`);
    }
    return tf.tensor3d(new Float32Array(data), [height, width, 3], 'float32');
  }
  const [height, width, channels] = inputShape(input);
  if (input.dtype === 'float32' && input.rank === 3 && channels === 3) return input as tf.Tensor3D;
  const pixels = tf.cast(tf.reshape(input, [height, width, channels]), 'float32') as tf.Tensor3D;
  if (channels === 3) return pixels;
  if (channels === 4) return tf.slice(pixels, [0, 0, 0], [height, width, 3]);
  // Grey (1 channel) or grey + alpha (2): replicate the grey channel, as decoders do.
  return tf.tile(tf.slice(pixels, [0, 0, 0], [height, width, 1]), [1, 1, 3]);
}

/** The input's pixels on the host: as they are for an RgbImage, one device→host read for a tensor. */
export async function toHostPixels(input: DetectorInput): Promise<HostPixels> {
  if (isRgbImage(input)) {
    const { height, width, data } = input;
    if (data.length !== height * width * 3) {
      throw new Error(`image buffer has ${data.length} bytes, expected ${width}×${height}×3`);
    }
    return { height, width, channels: 3, data };
  }
  const [height, width, channels] = inputShape(input);
  return { height, width, channels, data: await input.data() };
}
