/**
 * Images as the pipeline sees them: tightly packed 8-bit RGB, row-major. Decoders in src/io (browser:
 * createImageBitmap; Node: sharp) produce this, so nothing below depends on the DOM.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** width · height · 3 bytes, RGB, row-major. */
  readonly data: Uint8Array;
}

/** An int32 [H, W, 3] tensor of the image; the caller disposes it. */
export function imageToTensor(image: RgbImage): tf.Tensor3D {
  if (image.data.length !== image.width * image.height * 3) {
    throw new Error(`image buffer has ${image.data.length} bytes, expected ${image.width}×${image.height}×3`);
  }
  return tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
}
