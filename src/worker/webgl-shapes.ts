/**
 * tfjs-webgl shaders with shapes as uniforms, except for the convolutions.
 *
 * By default tfjs compiles one shader program per op AND input shape. MTCNN's shapes change with
 * every photo size (pyramid levels) and candidate count (R-/O-Net batches), so each new photo
 * compiles a few hundred programs, and a batch of mixed photos keeps ~1,300 alive. On a software
 * renderer that is what costs most: SwiftShader JIT-compiles every program into machine code and
 * keeps a bounded number, so a photo whose programs were pushed out by later photos runs at
 * first-sight cost again (`bbt1.jpg` 9.6 s the second time, 19.6 s after two other photo sizes).
 * With `WEBGL_USE_SHAPES_UNIFORMS`, most programs are compiled once per op and reused for every
 * shape: 1,348 → 768 programs for the same three photos, and per photo 19.6 → 9.3 s (SwiftShader,
 * docs/backends.md). A real GPU gains fewer compiles for each new photo size.
 *
 * The exceptions: tfjs 4.22's convolution programs are wrong with shape uniforms once a program
 * compiled for one shape is reused for another (a face box moved and a face was lost when
 * `groups/bbt3.jpg` followed `bbt/amy/amy1.png`; cf. tensorflow/tfjs#7430). Bisecting kernel by
 * kernel found `FusedConv2D`; `Conv2D` builds the same im2col and matrix-product programs, and the
 * matrix products have their own report (tensorflow/tfjs#6478: two programs sharing one cache key),
 * so `_FusedMatMul` and `BatchMatMul` are baked too (measured: 783 instead of 768 programs, same
 * speed). Those kernels are wrapped so their programs are compiled with baked shapes, as before.
 * `e2e/detector.spec.ts` checks detections and embeddings on WebGL against Node photo after photo,
 * and `e2e/smoke.spec.ts` every model against the TFLite reference.
 */
import * as tf from '@tensorflow/tfjs-core';

const FLAG = 'WEBGL_USE_SHAPES_UNIFORMS';

/** WebGL kernels whose programs are compiled with baked shapes (wrong, or reported wrong, with uniforms). */
export const BAKED_SHAPE_KERNELS: readonly string[] = [
  'FusedConv2D',
  'Conv2D',
  '_FusedMatMul',
  'BatchMatMul',
];

/** Marks the wrappers, so a second call does not wrap a wrapper. */
const BAKED = Symbol('facecheck.bakedShapes');

type KernelFunc = tf.KernelConfig['kernelFunc'] & { [BAKED]?: true };

/** `kernelFunc` run with shape uniforms off: the programs it compiles get the shapes baked in. */
function withBakedShapes(kernelFunc: tf.KernelConfig['kernelFunc']): KernelFunc {
  const baked: KernelFunc = (args) => {
    const env = tf.env();
    const previous = env.getBool(FLAG);
    env.set(FLAG, false);
    try {
      return kernelFunc(args);
    } finally {
      env.set(FLAG, previous);
    }
  };
  baked[BAKED] = true;
  return baked;
}

/**
 * Turns shape uniforms on for the WebGL backend and re-registers BAKED_SHAPE_KERNELS to compile
 * without them. Call before the WebGL backend runs anything; safe to call again.
 */
export function enableWebglShapeUniforms(): void {
  tf.env().set(FLAG, true);
  for (const name of BAKED_SHAPE_KERNELS) {
    const config = tf.getKernel(name, 'webgl');
    if (config === undefined || (config.kernelFunc as KernelFunc)[BAKED] === true) continue;
    tf.unregisterKernel(name, 'webgl');
    tf.registerKernel({ ...config, kernelFunc: withBakedShapes(config.kernelFunc) });
  }
}
