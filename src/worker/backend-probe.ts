/**
 * Times a small, representative slice of the pipeline on the active tfjs backend, so the engine can
 * pick the fastest backend by measurement rather than by guessing from the GL renderer's name.
 *
 * The workload mirrors the two hot spots with synthetic weights (the real models are not loaded
 * yet when the backend is chosen): a P-Net pass on one pyramid level (3×3 convolutions + max pool +
 * 1×1 heads + softmax) and a MobileFaceNet-style bottleneck on a 56×56×64 feature map (1×1 expand,
 * depthwise 3×3, 1×1 project, global mean). One untimed pass compiles shaders / warms XNNPACK; the
 * best of the timed passes is the score, because a stray GC or compositor frame only adds time.
 *
 * The warm-up has a deadline: emulated GL (SwiftShader) compiles each shader for ~0.5 s, which the
 * app would pay again for every new pyramid shape. tfjs compiles synchronously inside the op call,
 * so the warm-up checks the clock between ops and gives up once past the deadline.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Timed passes after the warm-up; small so the probe of all backends stays ~1 s on 2 cores. */
const TIMED_PASSES = 2;

/** Deterministic, non-trivial weights: the values do not matter for timing, only the shapes. */
function weights(shape: number[]): tf.Tensor {
  const size = shape.reduce((n, d) => n * d, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, (_, i) => ((i % 7) - 3) / 10),
    shape,
  );
}

interface ProbeNet {
  /** `checkpoint` runs between ops; it throws to abandon the pass. */
  run(checkpoint: () => void): tf.Tensor;
  dispose(): void;
}

function createProbeNet(): ProbeNet {
  const level = weights([1, 120, 160, 3]);
  const features = weights([1, 56, 56, 64]);
  const pnet = {
    c1: weights([3, 3, 3, 10]),
    c2: weights([3, 3, 10, 16]),
    c3: weights([3, 3, 16, 32]),
    head: weights([1, 1, 32, 2]),
  };
  const bottleneck = {
    expand: weights([1, 1, 64, 128]),
    depthwise: weights([3, 3, 128, 1]),
    project: weights([1, 1, 128, 64]),
  };
  const conv = (x: tf.Tensor4D, filter: tf.Tensor, relu: boolean) =>
    tf.fused.conv2d({
      x,
      filter: filter as tf.Tensor4D,
      strides: 1,
      pad: 'valid',
      activation: relu ? 'relu' : 'linear',
    });
  const all = [level, features, ...Object.values(pnet), ...Object.values(bottleneck)];
  return {
    run: (checkpoint) =>
      tf.tidy(() => {
        const step = <T extends tf.Tensor>(t: T): T => {
          checkpoint();
          return t;
        };
        // The pipeline's first op, and the cheapest shader: emulated GL shows its cost right here.
        const normalised = step(tf.sub(level as tf.Tensor4D, 0.5));
        let x = step(conv(normalised as tf.Tensor4D, pnet.c1, true));
        x = step(tf.maxPool(x, 2, 2, 'same'));
        x = step(conv(step(conv(x, pnet.c2, true)), pnet.c3, true));
        const scores = step(tf.softmax(conv(x, pnet.head, false)));
        let y = step(
          tf.relu(tf.conv2d(features as tf.Tensor4D, bottleneck.expand as tf.Tensor4D, 1, 'same')),
        );
        y = step(tf.relu(tf.depthwiseConv2d(y, bottleneck.depthwise as tf.Tensor4D, 1, 'same')));
        y = step(tf.conv2d(y, bottleneck.project as tf.Tensor4D, 1, 'same'));
        // One small output that depends on both branches: a single read waits for all the work.
        return tf.add(tf.sum(scores), tf.sum(tf.mean(y, [1, 2])));
      }),
    dispose: () => tf.dispose(all),
  };
}

export interface ProbeTiming {
  /** Best warm pass in ms; null when the warm-up missed the deadline. */
  readonly ms: number | null;
  /** The first (compiling) pass in ms, or the time spent in it before giving up. */
  readonly warmUpMs: number;
}

class PastDeadline extends Error {}

/** Times the workload on the active backend: one warm-up pass (abandoned past `deadline`, a performance.now() value), then the best of TIMED_PASSES. */
export async function timeProbeWorkload(deadline = Number.POSITIVE_INFINITY): Promise<ProbeTiming> {
  const net = createProbeNet();
  const pass = async (checkpoint: () => void) => {
    const out = net.run(checkpoint);
    try {
      await out.data();
    } finally {
      out.dispose();
    }
  };
  const warmUpStarted = performance.now();
  try {
    try {
      await pass(() => {
        if (performance.now() > deadline) throw new PastDeadline();
      });
    } catch (error) {
      if (error instanceof PastDeadline) return { ms: null, warmUpMs: performance.now() - warmUpStarted };
      throw error;
    }
    const warmUpMs = performance.now() - warmUpStarted;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < TIMED_PASSES; i++) {
      const started = performance.now();
      await pass(() => {});
      best = Math.min(best, performance.now() - started);
    }
    return { ms: best, warmUpMs };
  } finally {
    net.dispose();
  }
}
