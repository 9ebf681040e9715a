/**
 * R-/O-Net patches as one fused kernel on the CPU-side backends (WASM, CPU): for each box, a
 * [size·k, size·k] bilinear `cropAndResize` followed by a k × k average pool, computed in one pass
 * without the k²-times larger intermediate.
 *
 * Why: tfjs-wasm's CropAndResize is a scalar loop at ~17 ns per sampled value and was ~19 % of
 * FaceCheck's WASM time (R-/O-Net crops sample 4–16 points per patch pixel). This kernel reads the
 * image where the backend keeps it (the WASM heap, or the CPU backend's array), samples at the same
 * positions as TensorFlow's CropAndResize (tensorflow/core crop_and_resize_op.cc) and agrees with
 * `tf.image.cropAndResize` + `tf.avgPool` on tfjs-cpu to float rounding (unit-tested).
 * WebGL keeps the two ops: a shader per op is what it is good at.
 */
import * as tf from '@tensorflow/tfjs-core';

const KERNEL_NAME = 'FaceCheckSupersampledCrop';

/**
 * Writes `boxes.length / 4` patches of [size, size, channels] into `out`. `image` is [height, width,
 * channels] row-major; each box is [y1, x1, y2, x2] normalised by (side − 1) as for cropAndResize;
 * samples outside the image take `padValue`. Sample columns are resolved once per box and reused by
 * every row; each patch row accumulates its k sample rows before one write. (A separable version,
 * a horizontal then a vertical pass, needs ~3× fewer operations but ran 1.5–2× slower in V8.)
 */
export function supersampledCropInto(
  image: Float32Array,
  height: number,
  width: number,
  channels: number,
  boxes: ArrayLike<number>,
  size: number,
  k: number,
  padValue: number,
  out: Float32Array,
): void {
  const samples = size * k;
  const scale = 1 / (k * k);
  const rowStride = width * channels;
  const patchStride = size * size * channels;
  // Per sample column: offsets of its two source pixels in a row, and the weight of the right one;
  // left = −1 marks a column outside the image.
  const left = new Int32Array(samples);
  const right = new Int32Array(samples);
  const xLerp = new Float64Array(samples);
  const row = new Float64Array(size * channels);
  for (let b = 0; b < boxes.length / 4; b++) {
    const y1 = boxes[4 * b] as number;
    const x1 = boxes[4 * b + 1] as number;
    const y2 = boxes[4 * b + 2] as number;
    const x2 = boxes[4 * b + 3] as number;
    // cropAndResize's sample grid; a single sample sits at the box centre.
    const heightScale = samples > 1 ? ((y2 - y1) * (height - 1)) / (samples - 1) : 0;
    const widthScale = samples > 1 ? ((x2 - x1) * (width - 1)) / (samples - 1) : 0;
    const yStart = samples > 1 ? y1 * (height - 1) : 0.5 * (y1 + y2) * (height - 1);
    const xStart = samples > 1 ? x1 * (width - 1) : 0.5 * (x1 + x2) * (width - 1);
    for (let sx = 0; sx < samples; sx++) {
      const x = xStart + sx * widthScale;
      if (x < 0 || x > width - 1) {
        left[sx] = -1;
        continue;
      }
      const l = Math.floor(x);
      left[sx] = l * channels;
      right[sx] = Math.ceil(x) * channels;
      xLerp[sx] = x - l;
    }
    for (let oy = 0; oy < size; oy++) {
      row.fill(0);
      for (let sy = oy * k; sy < oy * k + k; sy++) {
        const y = yStart + sy * heightScale;
        if (y < 0 || y > height - 1) {
          for (let i = 0; i < row.length; i++) row[i] = (row[i] as number) + k * padValue;
          continue;
        }
        const top = Math.floor(y);
        const yl = y - top;
        const topRow = top * rowStride;
        const bottomRow = Math.ceil(y) * rowStride;
        for (let ox = 0; ox < size; ox++) {
          const o = ox * channels;
          for (let sx = ox * k; sx < ox * k + k; sx++) {
            const l = left[sx] as number;
            if (l < 0) {
              for (let c = 0; c < channels; c++) row[o + c] = (row[o + c] as number) + padValue;
              continue;
            }
            const r = right[sx] as number;
            const xl = xLerp[sx] as number;
            for (let c = 0; c < channels; c++) {
              const topLeft = image[topRow + l + c] as number;
              const bottomLeft = image[bottomRow + l + c] as number;
              const upper = topLeft + ((image[topRow + r + c] as number) - topLeft) * xl;
              const lower = bottomLeft + ((image[bottomRow + r + c] as number) - bottomLeft) * xl;
              row[o + c] = (row[o + c] as number) + upper + (lower - upper) * yl;
            }
          }
        }
      }
      const start = b * patchStride + oy * size * channels;
      for (let i = 0; i < row.length; i++) out[start + i] = (row[i] as number) * scale;
    }
  }
}

interface CropAttrs {
  readonly boxes: number[];
  readonly size: number;
  readonly k: number;
  readonly padValue: number;
}

/** The parts of tfjs-backend-wasm's BackendWasm this kernel uses. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** The parts of tfjs-backend-cpu's MathBackendCPU this kernel uses. */
interface CpuBackendLike {
  readonly data: { get(dataId: tf.DataId): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

function outputShape(image: tf.TensorInfo, attrs: CropAttrs): [number, number, number, number] {
  return [attrs.boxes.length / 4, attrs.size, attrs.size, image.shape[3] as number];
}

function run(image: Float32Array, info: tf.TensorInfo, attrs: CropAttrs, out: Float32Array): void {
  const [, height = 0, width = 0, channels = 0] = info.shape;
  supersampledCropInto(image, height, width, channels, attrs.boxes, attrs.size, attrs.k, attrs.padValue, out);
}

/** The kernel's input image and attributes, typed. */
function cropArgs({ inputs, attrs }: Parameters<tf.KernelFunc>[0]): {
  image: tf.TensorInfo;
  attrs: CropAttrs;
} {
  return { image: inputs.image as tf.TensorInfo, attrs: attrs as unknown as CropAttrs };
}

const KERNELS: tf.KernelConfig[] = [
  {
    kernelName: KERNEL_NAME,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const wasm = args.backend as unknown as WasmBackendLike;
      const { image, attrs } = cropArgs(args);
      // Allocate first: growing the WASM memory detaches views taken before it.
      const output = wasm.makeOutput(outputShape(image, attrs), 'float32');
      run(wasm.typedArrayFromHeap(image), image, attrs, wasm.typedArrayFromHeap(output));
      return output;
    },
  },
  {
    kernelName: KERNEL_NAME,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const cpu = args.backend as unknown as CpuBackendLike;
      const { image, attrs } = cropArgs(args);
      const shape = outputShape(image, attrs);
      const out = new Float32Array(shape.reduce((n, d) => n * d, 1));
      run(cpu.data.get(image.dataId).values as Float32Array, image, attrs, out);
      return cpu.makeTensorInfo(shape, 'float32', out);
    },
  },
];

// Kernels are registered once per process, as tfjs's own backends register theirs on import.
for (const config of KERNELS)
  if (tf.getKernel(config.kernelName, config.backendName) === undefined) tf.registerKernel(config);

/**
 * `cropAndResize(image, boxes, zeros, [size·k, size·k], 'bilinear', padValue)` then a k × k average
 * pool, as two tfjs ops: what the fused kernel computes, on any backend. Call inside tf.tidy.
 */
export function cropThenPool(
  image: tf.Tensor4D,
  boxes: Float32Array,
  size: number,
  k: number,
  padValue: number,
): tf.Tensor4D {
  const count = boxes.length / 4;
  const samples = tf.image.cropAndResize(
    image,
    tf.tensor2d(boxes, [count, 4]),
    tf.zeros([count], 'int32') as tf.Tensor1D,
    [size * k, size * k],
    'bilinear',
    padValue,
  );
  return k === 1 ? samples : tf.avgPool(samples, k, k, 'valid');
}

/**
 * cropThenPool: the fused kernel on WASM and CPU, the two ops elsewhere. `image` is [1, H, W, C]
 * float32. Call inside tf.tidy.
 */
export function supersampledCrop(
  image: tf.Tensor4D,
  boxes: Float32Array,
  size: number,
  k: number,
  padValue: number,
): tf.Tensor4D {
  if (tf.getKernel(KERNEL_NAME, tf.getBackend()) === undefined || image.dtype !== 'float32')
    return cropThenPool(image, boxes, size, k, padValue);
  const attrs: CropAttrs = { boxes: Array.from(boxes), size, k, padValue };
  return tf.engine().runKernel(KERNEL_NAME, { image }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
