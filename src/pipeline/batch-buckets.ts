/**
 * Batch sizes rounded up to a few buckets on WebGL.
 *
 * WebGL compiles a shader program per op and input shape (shapes as uniforms gave wrong embeddings
 * in tfjs 4.22, docs/backends.md). R-Net and O-Net run on as many crops as an image has candidates,
 * and the embedder on as many faces as it has, so every new count compiles those networks' programs
 * again, even for images of one size (a kiosk's frames): measured on SwiftShader over 20 same-size
 * crops, 698 programs and 1,609 ms per image without buckets, 576 and 962 ms with them
 * (docs/backends.md). Padding a batch with zero rows up to a bucket bounds the set of shapes. It is
 * exact: batch rows never mix, and the padded rows' outputs are dropped. The price is their compute,
 * so the buckets are fine-grained (≤ 4: exact; ≤ 32: multiples of 4; above: multiples of 32).
 * Other backends compile nothing per shape and run the batch as it is.
 *
 * Every tensor function here returns a new tensor (or its input) and must be called inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The bucket a batch of `n` rows is padded to. */
export function batchBucket(n: number): number {
  if (n <= 4) return n;
  if (n <= 32) return Math.ceil(n / 4) * 4;
  return Math.ceil(n / 32) * 32;
}

/** Whether the active backend compiles programs per shape (only then are batches padded). */
export function bucketsBatches(): boolean {
  return tf.getBackend() === 'webgl';
}

/** `x` ([n, …]) with zero rows appended up to batchBucket(n) when `enabled` (default: on WebGL). */
export function padBatch<T extends tf.Tensor>(x: T, enabled: boolean = bucketsBatches()): T {
  const n = x.shape[0] ?? 0;
  const bucket = batchBucket(n);
  if (!enabled || bucket === n) return x;
  const padding = x.shape.map((_, axis): [number, number] => (axis === 0 ? [0, bucket - n] : [0, 0]));
  return tf.pad(x, padding);
}

/** The first `n` rows of `x` (the rows a padded batch really had). */
export function firstRows<T extends tf.Tensor>(x: T, n: number): T {
  if (x.shape[0] === n) return x;
  return tf.slice(x, 0, n);
}
