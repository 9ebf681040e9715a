// keras_vggface.utils.preprocess_input(x, version=V) for channels_last input, as one tensor op:
// RGB → BGR, then subtract the training set's per-channel means. No /255 and no std division.
import * as tf from '@tensorflow/tfjs-core';

/** 1: VGGFace (VGG16). 2: VGGFace2 (RESNET50, SENET50). */
export type PreprocessVersion = 1 | 2;

/** Per-channel means in B, G, R order, exactly as in keras_vggface/utils.py. */
export const VGGFACE_MEANS_BGR: Readonly<Record<PreprocessVersion, readonly [number, number, number]>> = {
  1: [93.594, 104.7624, 129.1863],
  2: [91.4953, 103.8827, 131.0912],
};

/**
 * [N,H,W,3] RGB in 0..255 → [N,H,W,3] BGR minus the means. Like numpy on a float32 array, each mean is
 * rounded to float32 and subtracted in float32, so the result is bit-identical to Keras's.
 */
export function preprocessInput(rgb: tf.Tensor4D, version: PreprocessVersion): tf.Tensor4D {
  return tf.tidy(() => {
    const bgr = tf.reverse(tf.cast(rgb, 'float32'), 3);
    return tf.sub(bgr, tf.tensor1d([...VGGFACE_MEANS_BGR[version]], 'float32'));
  });
}
