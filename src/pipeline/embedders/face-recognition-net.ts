/**
 * face-api.js FaceRecognitionNet: Davis King's dlib ResNet-34-like face recogniser (128-d), written
 * as tensor code over the weights manifest copied from @vladmandic/face-api
 * (src/models/specs.ts `facerecognitionnet`). Architecture as in face-api.js
 * `src/faceRecognitionNet/{FaceRecognitionNet,convLayer,residualLayer,scaleLayer}.ts`:
 *
 *   150×150×3 → conv 7×7/2 valid (32) → maxpool 3×3/2 valid → 3 × residual(32)
 *   → residual-down(64) + 3 × residual(64) → residual-down(128) + 2 × residual(128)
 *   → residual-down(256) + 2 × residual(256) → residual-down(256, "down_out")
 *   → global average pool → fc 256×128 (no bias) → 128-d descriptor (not normalised).
 *
 * Every conv is conv + bias followed by a `scale` layer (x·w + b, dlib's affine layer in place of
 * batch norm); we fold the scale into the conv weights at load time (filters·w, bias·w + b), which
 * is exact up to float rounding. A residual-down block convolves with stride 2 ('valid'), and adds
 * a 2×2/2 average pool of its input, zero-padded in channels and, where the conv output is one
 * pixel smaller, the conv output zero-padded at the bottom/right.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadWeightMap, type ModelFileReader } from '../models/load-model.ts';
import { createEmbedderFromNetwork, type Embedder, type EmbedderOptions } from './embedder.ts';

interface ConvLayer {
  readonly filters: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
}

interface ResidualBlock {
  readonly conv1: ConvLayer;
  readonly conv2: ConvLayer;
}

interface Params {
  readonly conv32_down: ConvLayer;
  readonly blocks: readonly { readonly params: ResidualBlock; readonly down: boolean }[];
  readonly fc: tf.Tensor2D;
}

/** Residual stages in order; `down` blocks halve the resolution. */
const BLOCKS: readonly { readonly name: string; readonly down: boolean }[] = [
  { name: 'conv32_1', down: false },
  { name: 'conv32_2', down: false },
  { name: 'conv32_3', down: false },
  { name: 'conv64_down', down: true },
  { name: 'conv64_1', down: false },
  { name: 'conv64_2', down: false },
  { name: 'conv64_3', down: false },
  { name: 'conv128_down', down: true },
  { name: 'conv128_1', down: false },
  { name: 'conv128_2', down: false },
  { name: 'conv256_down', down: true },
  { name: 'conv256_1', down: false },
  { name: 'conv256_2', down: false },
  { name: 'conv256_down_out', down: true },
];

function weight<R extends tf.Rank>(map: tf.NamedTensorMap, name: string, rank: number): tf.Tensor<R> {
  const t = map[name];
  if (t === undefined) throw new Error(`facerecognitionnet weights have no "${name}"`);
  if (t.rank !== rank) throw new Error(`facerecognitionnet "${name}" has rank ${t.rank}, expected ${rank}`);
  return t as tf.Tensor<R>;
}

/** conv → +bias → ·w + b folded into one conv with bias. */
function foldConv(map: tf.NamedTensorMap, prefix: string): ConvLayer {
  return tf.tidy(() => {
    const w = weight<tf.Rank.R1>(map, `${prefix}/scale/weights`, 1);
    const b = weight<tf.Rank.R1>(map, `${prefix}/scale/biases`, 1);
    const filters = tf.mul(weight<tf.Rank.R4>(map, `${prefix}/conv/filters`, 4), w) as tf.Tensor4D;
    const bias = tf.add(tf.mul(weight<tf.Rank.R1>(map, `${prefix}/conv/bias`, 1), w), b) as tf.Tensor1D;
    return { filters, bias };
  });
}

function extractParams(map: tf.NamedTensorMap): Params {
  const fc = weight<tf.Rank.R2>(map, 'fc', 2);
  if (fc.shape[0] !== 256 || fc.shape[1] !== 128)
    throw new Error(`facerecognitionnet fc is [${fc.shape}], expected [256, 128]`);
  return {
    conv32_down: foldConv(map, 'conv32_down'),
    blocks: BLOCKS.map(({ name, down }) => ({
      params: { conv1: foldConv(map, `${name}/conv1`), conv2: foldConv(map, `${name}/conv2`) },
      down,
    })),
    fc: tf.clone(fc),
  };
}

function conv(
  x: tf.Tensor4D,
  layer: ConvLayer,
  stride: 1 | 2,
  pad: 'same' | 'valid',
  relu: boolean,
): tf.Tensor4D {
  return tf.fused.conv2d({
    x,
    filter: layer.filters,
    strides: stride,
    pad,
    bias: layer.bias,
    activation: relu ? 'relu' : 'linear',
  });
}

function residual(x: tf.Tensor4D, { conv1, conv2 }: ResidualBlock): tf.Tensor4D {
  const out = conv(conv(x, conv1, 1, 'same', true), conv2, 1, 'same', false);
  return tf.relu(tf.add(out, x)) as tf.Tensor4D;
}

function residualDown(x: tf.Tensor4D, { conv1, conv2 }: ResidualBlock): tf.Tensor4D {
  let out = conv(conv(x, conv1, 2, 'valid', true), conv2, 1, 'same', false);
  let pooled = tf.avgPool(x, 2, 2, 'valid');
  const [, ph, pw, pc] = pooled.shape;
  const [, oh, ow, oc] = out.shape;
  // face-api.js appends one zero row and column when the shapes differ (8→3 vs 4, 4→1 vs 2).
  if (oh !== ph || ow !== pw)
    out = tf.pad(out, [
      [0, 0],
      [0, 1],
      [0, 1],
      [0, 0],
    ]);
  if (pc !== oc)
    pooled = tf.pad(pooled, [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, oc - pc],
    ]);
  return tf.relu(tf.add(pooled, out)) as tf.Tensor4D;
}

function forward(params: Params, x: tf.Tensor4D): tf.Tensor2D {
  let out = conv(x, params.conv32_down, 2, 'valid', true);
  out = tf.maxPool(out, 3, 2, 'valid');
  for (const { params: block, down } of params.blocks)
    out = down ? residualDown(out, block) : residual(out, block);
  return tf.matMul(tf.mean(out, [1, 2]) as tf.Tensor2D, params.fc);
}

/** Loads the weights manifest through `read`; the raw map is freed once folded. */
export async function createFaceRecognitionNet(
  read: ModelFileReader,
  options: EmbedderOptions = {},
): Promise<Embedder> {
  const map = await loadWeightMap('facerecognitionnet', read);
  try {
    return faceRecognitionNetFromWeights(map, options);
  } finally {
    tf.dispose(Object.values(map));
  }
}

/**
 * FaceRecognitionNet on an already-loaded weight map. The embedder keeps its own folded copy of the
 * weights (freed by its dispose()); `weights` stays the caller's and may be disposed right away.
 */
export function faceRecognitionNetFromWeights(
  weights: tf.NamedTensorMap,
  options: EmbedderOptions = {},
): Embedder {
  const params = extractParams(weights);
  const layers = [params.conv32_down, ...params.blocks.flatMap((b) => [b.params.conv1, b.params.conv2])];
  const disposeWeights = () => {
    tf.dispose(layers.flatMap((l) => [l.filters, l.bias]));
    params.fc.dispose();
  };
  return createEmbedderFromNetwork('facerecognitionnet', (x) => forward(params, x), disposeWeights, options);
}
