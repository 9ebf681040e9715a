/**
 * The keras-vggface recipe's face crop: the detector's box, cut out unaligned and resized to the
 * embedder's input (`pixels[y1:y2, x1:x2]`, then PIL `resize((224, 224))`). The box is rounded the way
 * the Python `mtcnn` package reports it (x, y truncated and clamped at 0; width and height truncated) and
 * clipped at the image border like a numpy slice. PIL resizes with a bicubic filter whose support widens
 * when shrinking; here a large face is first box-averaged by the integer part of the shrink factor, then
 * resized bilinearly, which keeps the same low-pass behaviour without a custom kernel.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Integer pixel window [x1, y1, x2, y2) of a detector box, inside a width×height image. */
export function boxWindow(
  box: readonly number[],
  width: number,
  height: number,
): readonly [number, number, number, number] {
  const [bx1 = 0, by1 = 0, bx2 = 0, by2 = 0] = box;
  const x1 = Math.min(width, Math.max(0, Math.trunc(bx1)));
  const y1 = Math.min(height, Math.max(0, Math.trunc(by1)));
  const x2 = Math.min(width, x1 + Math.max(0, Math.trunc(bx2 - bx1)));
  const y2 = Math.min(height, y1 + Math.max(0, Math.trunc(by2 - by1)));
  return [x1, y1, x2, y2];
}

/** `[N, size, size, C]` float32 crops of `boxes`; a box with no pixel inside the image gives zeros. */
export function cropFaceBoxes(
  image: tf.Tensor3D,
  boxes: readonly (readonly number[])[],
  size: number,
): tf.Tensor4D {
  const [height, width, channels] = image.shape;
  if (boxes.length === 0) return tf.zeros([0, size, size, channels]);
  return tf.tidy(() => {
    const crops = boxes.map((box) => {
      const [x1, y1, x2, y2] = boxWindow(box, width, height);
      const w = x2 - x1;
      const h = y2 - y1;
      if (w === 0 || h === 0) return tf.zeros([size, size, channels]) as tf.Tensor3D;
      let region: tf.Tensor3D = tf.cast(tf.slice(image, [y1, x1, 0], [h, w, channels]), 'float32');
      const k = Math.floor(Math.min(w, h) / size);
      if (k > 1) region = tf.avgPool(region, k, k, 'valid');
      return tf.image.resizeBilinear(region, [size, size], false, true);
    });
    return tf.stack(crops) as tf.Tensor4D;
  });
}
