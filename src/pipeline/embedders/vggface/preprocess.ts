// keras_vggface.utils.preprocess_input(x, version=V) for channels_last input, as one tensor op:
// RGB → BGR, then subtract the training set's per-channel means. No /255 and no std division.
import * as tf from '@tensorflow/tfjs-core';
import { type PreprocessVersion, VGGFACE_MEANS_BGR } from './architecture-facts';

// Defined in the tfjs-free architecture-facts.ts (the page reads them); re-exported for existing imports.
export { type PreprocessVersion, VGGFACE_MEANS_BGR } from './architecture-facts';

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
