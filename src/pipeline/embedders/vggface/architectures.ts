// The three keras-vggface backbones (rcmalli/keras-vggface, models.py) as plain tfjs-core functions over a
// weights map: VGG16 ('vggface', v1) and RESNET50 / SENET50 ('vggface2', v2), include_top=False,
// pooling='avg'. Weight keys are the exact Keras layer names plus the weight role, so a Keras .h5 file maps
// onto them without a renaming table. The facts that matter (and how far each moves the output when
// wrong) are in ../shared/fixtures/vggface/README.md; the oracle test checks every one of them.
import * as tf from '@tensorflow/tfjs-core';
import { ARCHITECTURE_FACTS, VGGFACE_INPUT_SIZE, type VggfaceArchitecture } from './architecture-facts';
import { preprocessInput } from './preprocess';

// The plain facts live in a tfjs-free module (the page reads them); re-exported for existing imports.
export {
  ARCHITECTURE_FACTS,
  VGGFACE_ARCHITECTURES,
  VGGFACE_INPUT_SIZE,
  type VggfaceArchitecture,
} from './architecture-facts';

/** One weight tensor as Keras stores it: row-major, conv kernels HWIO [kh, kw, cin, cout]. */
export interface WeightTensor {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/** Keyed `<Keras layer name>/<role>`, e.g. `conv1/7x7_s2/kernel` or `conv2_1_1x1_reduce/bn/moving_variance`. */
export type WeightMap = ReadonlyMap<string, WeightTensor>;

export type WeightRole = 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance';

export interface WeightSpec {
  readonly role: WeightRole;
  readonly shape: readonly number[];
}

/** A layer that owns weights. Within a layer the order is Keras's: [kernel, bias] or [gamma, beta, mean, var]. */
export interface WeightedLayerSpec {
  readonly name: string;
  readonly kind: 'conv' | 'bn';
  readonly weights: readonly WeightSpec[];
}

// ---------------------------------------------------------------------------------------------------------
// Topology

const VGG16_STAGES: readonly { readonly convs: number; readonly filters: number }[] = [
  { convs: 2, filters: 64 },
  { convs: 2, filters: 128 },
  { convs: 3, filters: 256 },
  { convs: 3, filters: 512 },
  { convs: 3, filters: 512 },
];

const RESNET_STAGES: readonly {
  readonly stage: number;
  readonly blocks: number;
  readonly filters: readonly [number, number, number];
  readonly stride: number;
}[] = [
  { stage: 2, blocks: 3, filters: [64, 64, 256], stride: 1 },
  { stage: 3, blocks: 4, filters: [128, 128, 512], stride: 2 },
  { stage: 4, blocks: 6, filters: [256, 256, 1024], stride: 2 },
  { stage: 5, blocks: 3, filters: [512, 512, 2048], stride: 2 },
];

/** SE bottleneck is channels/16 (`compress_rate=16` in senet_se_block). */
const SE_COMPRESS_RATE = 16;

/** One ResNet bottleneck block, e.g. prefix `conv3_1`. */
export interface BottleneckBlock {
  readonly prefix: string;
  readonly inChannels: number;
  readonly filters: readonly [number, number, number];
  /** Carried by the 1×1 reduce conv and the 1×1 projection, never by the 3×3 (Caffe/v1 style). */
  readonly stride: number;
  /** The first block of each stage has a `1x1_proj` shortcut; the others add their input. */
  readonly projection: boolean;
}

export function bottleneckBlocks(): readonly BottleneckBlock[] {
  const blocks: BottleneckBlock[] = [];
  let inChannels = 64;
  for (const { stage, blocks: count, filters, stride } of RESNET_STAGES) {
    for (let block = 1; block <= count; block++) {
      const first = block === 1;
      blocks.push({
        prefix: `conv${stage}_${block}`,
        inChannels,
        filters,
        stride: first ? stride : 1,
        projection: first,
      });
      inChannels = filters[2];
    }
  }
  return blocks;
}

function convSpec(name: string, kernel: number, cin: number, cout: number, bias: boolean): WeightedLayerSpec {
  const weights: WeightSpec[] = [{ role: 'kernel', shape: [kernel, kernel, cin, cout] }];
  if (bias) weights.push({ role: 'bias', shape: [cout] });
  return { name, kind: 'conv', weights };
}

function bnSpec(name: string, channels: number): WeightedLayerSpec {
  const roles: WeightRole[] = ['gamma', 'beta', 'moving_mean', 'moving_variance'];
  return { name, kind: 'bn', weights: roles.map((role) => ({ role, shape: [channels] })) };
}

function bottleneckSpecs(b: BottleneckBlock, se: boolean): WeightedLayerSpec[] {
  const [f1, f2, f3] = b.filters;
  const reduce = `${b.prefix}_1x1_reduce`;
  const conv3 = `${b.prefix}_3x3`;
  const increase = `${b.prefix}_1x1_increase`;
  const proj = `${b.prefix}_1x1_proj`;
  const main = [
    convSpec(reduce, 1, b.inChannels, f1, false),
    bnSpec(`${reduce}/bn`, f1),
    convSpec(conv3, 3, f1, f2, false),
    bnSpec(`${conv3}/bn`, f2),
  ];
  const squeeze = Math.floor(f3 / SE_COMPRESS_RATE);
  const seSpecs = se
    ? [
        convSpec(`${b.prefix}_1x1_down`, 1, f3, squeeze, true),
        convSpec(`${b.prefix}_1x1_up`, 1, squeeze, f3, true),
      ]
    : [];
  // Keras orders model.layers by depth, breaking ties by first visit from the output; for these graphs that
  // puts the projection conv between 1x1_increase and its BN (ResNet) or after the SE convs (SENet). Loading
  // by order depends on it: increase and proj kernels have the same shape in conv2_1.
  if (!b.projection)
    return [...main, convSpec(increase, 1, f2, f3, false), bnSpec(`${increase}/bn`, f3), ...seSpecs];
  if (se) {
    return [
      ...main,
      convSpec(increase, 1, f2, f3, false),
      bnSpec(`${increase}/bn`, f3),
      ...seSpecs,
      convSpec(proj, 1, b.inChannels, f3, false),
      bnSpec(`${proj}/bn`, f3),
    ];
  }
  return [
    ...main,
    convSpec(increase, 1, f2, f3, false),
    convSpec(proj, 1, b.inChannels, f3, false),
    bnSpec(`${increase}/bn`, f3),
    bnSpec(`${proj}/bn`, f3),
  ];
}

/** The layers with weights, in Keras `model.layers` order (the order `load_weights` pairs by). */
export function weightedLayers(architecture: VggfaceArchitecture): readonly WeightedLayerSpec[] {
  if (architecture === 'vgg16') {
    const specs: WeightedLayerSpec[] = [];
    let cin = 3;
    VGG16_STAGES.forEach(({ convs, filters }, stageIndex) => {
      for (let i = 1; i <= convs; i++) {
        specs.push(convSpec(`conv${stageIndex + 1}_${i}`, 3, cin, filters, true));
        cin = filters;
      }
    });
    return specs;
  }
  const se = architecture === 'senet50';
  const specs: WeightedLayerSpec[] = [
    convSpec('conv1/7x7_s2', 7, 3, 64, false),
    bnSpec('conv1/7x7_s2/bn', 64),
  ];
  for (const block of bottleneckBlocks()) specs.push(...bottleneckSpecs(block, se));
  return specs;
}

// ---------------------------------------------------------------------------------------------------------
// Parameters: weights as tensors, BN folded to a per-channel scale and offset

/** Tensors a forward pass reads: conv `<name>/kernel`, `<name>/bias`; BN `<name>/scale`, `<name>/offset`. */
export interface VggfaceParams {
  readonly architecture: VggfaceArchitecture;
  readonly tensors: ReadonlyMap<string, tf.Tensor>;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function requireWeight(weights: WeightMap, layer: string, spec: WeightSpec): Float32Array {
  const key = `${layer}/${spec.role}`;
  const weight = weights.get(key);
  if (weight === undefined) throw new Error(`vggface: missing weight ${key}`);
  if (!sameShape(weight.shape, spec.shape)) {
    throw new Error(`vggface: ${key} has shape [${weight.shape}], expected [${spec.shape}]`);
  }
  return weight.values;
}

/**
 * BN inference is gamma·(x − mean)/√(var + ε) + beta. Folding it to x·scale + offset in float64 before the
 * one rounding to float32 keeps the per-layer error at float32 ulp level.
 */
function foldBatchNorm(
  gamma: Float32Array,
  beta: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  epsilon: number,
) {
  const scale = new Float32Array(gamma.length);
  const offset = new Float32Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    const s = (gamma[c] as number) / Math.sqrt((variance[c] as number) + epsilon);
    scale[c] = s;
    offset[c] = (beta[c] as number) - (mean[c] as number) * s;
  }
  return { scale, offset };
}

/**
 * Checks every expected weight's presence and shape, then uploads them. Weights not in the spec are ignored.
 * `layers` restricts the upload to a prefix of the model (the truncated stem fixture uses that).
 */
export function createParams(
  architecture: VggfaceArchitecture,
  weights: WeightMap,
  layers: readonly WeightedLayerSpec[] = weightedLayers(architecture),
): VggfaceParams {
  // VGG16 has no BN; NaN (not a default) would poison, not quietly skew, a BN layer that had no epsilon.
  const epsilon = ARCHITECTURE_FACTS[architecture].bnEpsilon ?? Number.NaN;
  // Read and check everything before allocating a tensor, so a bad map leaks nothing.
  const arrays = layers.map((layer) => layer.weights.map((w) => requireWeight(weights, layer.name, w)));
  const tensors = new Map<string, tf.Tensor>();
  layers.forEach((layer, i) => {
    const values = arrays[i] as Float32Array[];
    if (layer.kind === 'conv') {
      layer.weights.forEach((w, j) => {
        tensors.set(`${layer.name}/${w.role}`, tf.tensor(values[j] as Float32Array, [...w.shape], 'float32'));
      });
      return;
    }
    const [gamma, beta, mean, variance] = values as [Float32Array, Float32Array, Float32Array, Float32Array];
    const { scale, offset } = foldBatchNorm(gamma, beta, mean, variance, epsilon);
    tensors.set(`${layer.name}/scale`, tf.tensor1d(scale, 'float32'));
    tensors.set(`${layer.name}/offset`, tf.tensor1d(offset, 'float32'));
  });
  return { architecture, tensors };
}

export function disposeParams(params: VggfaceParams): void {
  for (const t of params.tensors.values()) t.dispose();
}

// ---------------------------------------------------------------------------------------------------------
// Forward pass. Callers run these inside tf.tidy; `observe` sees every Keras layer output (for the oracle
// checkpoints) under the Keras name, or for Keras's auto-named layers under a stable alias:
// `<bn>/relu`, `stem/out`, `<block>/add`, `<block>/out`, `<block>/se/gap`, `<block>/se/reshape`,
// `<conv>/relu`, `<conv>/sigmoid`, `<block>/se/scaled`, `embedding`.

export type LayerObserver = (name: string, output: tf.Tensor) => void;

function param<T extends tf.Tensor>(params: VggfaceParams, key: string): T {
  const t = params.tensors.get(key);
  if (t === undefined) throw new Error(`vggface: no parameter ${key}`);
  return t as T;
}

/**
 * TensorFlow's 'same' padding along one axis: the odd pixel goes after (bottom/right). For the 7×7/2 stem
 * conv on 224 that is 2 before and 3 after; Caffe/PyTorch's symmetric 3/3 moves the embedding by ~4%.
 */
export function tfSamePadding(inSize: number, kernel: number, stride: number): [number, number] {
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + kernel - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function conv(
  params: VggfaceParams,
  name: string,
  x: tf.Tensor4D,
  stride: number,
  padding: 'valid' | 'same',
  observe: LayerObserver | undefined,
): tf.Tensor4D {
  const kernel = param<tf.Tensor4D>(params, `${name}/kernel`);
  const [kh, kw] = kernel.shape;
  // Explicit pads so that the TF convention holds on every backend, whatever its own 'same' does.
  const [top, bottom] = padding === 'same' ? tfSamePadding(x.shape[1], kh, stride) : [0, 0];
  const [left, right] = padding === 'same' ? tfSamePadding(x.shape[2], kw, stride) : [0, 0];
  let y = tf.conv2d(x, kernel, stride, [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ]);
  const bias = params.tensors.get(`${name}/bias`);
  if (bias !== undefined) y = tf.add(y, bias);
  observe?.(name, y);
  return y;
}

function batchNorm(params: VggfaceParams, name: string, x: tf.Tensor4D, observe: LayerObserver | undefined) {
  const y = tf.add(tf.mul(x, param(params, `${name}/scale`)), param(params, `${name}/offset`)) as tf.Tensor4D;
  observe?.(name, y);
  return y;
}

function relu<T extends tf.Tensor>(name: string, x: T, observe: LayerObserver | undefined): T {
  const y = tf.relu(x);
  observe?.(name, y);
  return y;
}

function vgg16Features(params: VggfaceParams, x: tf.Tensor4D, observe: LayerObserver | undefined) {
  let y = x;
  VGG16_STAGES.forEach(({ convs }, stageIndex) => {
    const stage = stageIndex + 1;
    for (let i = 1; i <= convs; i++) {
      const name = `conv${stage}_${i}`;
      // activation='relu' is inside the Conv2D layer, so Keras's `conv1_1` output is already rectified.
      y = tf.relu(conv(params, name, y, 1, 'same', undefined));
      observe?.(name, y);
    }
    y = tf.maxPool(y, 2, 2, 'valid');
    observe?.(`pool${stage}`, y);
  });
  return y;
}

/** conv1/7x7_s2 → BN → ReLU → MaxPooling2D 3×3/2 'valid' (224 → 112 → 55; Caffe's ceil mode gives 56). */
export function resnetStem(params: VggfaceParams, x: tf.Tensor4D, observe?: LayerObserver): tf.Tensor4D {
  let y = conv(params, 'conv1/7x7_s2', x, 2, 'same', observe);
  y = relu('conv1/7x7_s2/bn/relu', batchNorm(params, 'conv1/7x7_s2/bn', y, observe), observe);
  y = tf.maxPool(y, 3, 2, 'valid');
  observe?.('stem/out', y);
  return y;
}

/** Squeeze-and-excitation gate on the 1x1_increase/bn output, applied before the residual add. */
function squeezeExcite(
  params: VggfaceParams,
  prefix: string,
  x: tf.Tensor4D,
  observe: LayerObserver | undefined,
) {
  const channels = x.shape[3];
  const gap = tf.mean(x, [1, 2]);
  observe?.(`${prefix}/se/gap`, gap);
  const squeezed = tf.reshape(gap, [x.shape[0], 1, 1, channels]) as tf.Tensor4D;
  observe?.(`${prefix}/se/reshape`, squeezed);
  const down = relu(
    `${prefix}_1x1_down/relu`,
    conv(params, `${prefix}_1x1_down`, squeezed, 1, 'valid', observe),
    observe,
  );
  const up = conv(params, `${prefix}_1x1_up`, down, 1, 'valid', observe);
  const gate = tf.sigmoid(up);
  observe?.(`${prefix}_1x1_up/sigmoid`, gate);
  const scaled = tf.mul(x, gate) as tf.Tensor4D;
  observe?.(`${prefix}/se/scaled`, scaled);
  return scaled;
}

/**
 * One block: keras-vggface's resnet_conv_block / resnet_identity_block, or the senet_* twins (same layers
 * plus the SE gate). ReLU(main path + shortcut), with the shortcut projected in the first block of a stage.
 */
export function bottleneck(
  params: VggfaceParams,
  block: BottleneckBlock,
  x: tf.Tensor4D,
  observe?: LayerObserver,
): tf.Tensor4D {
  const { prefix, stride } = block;
  const bnRelu = (name: string, y: tf.Tensor4D) =>
    relu(`${name}/bn/relu`, batchNorm(params, `${name}/bn`, y, observe), observe);
  let y = bnRelu(`${prefix}_1x1_reduce`, conv(params, `${prefix}_1x1_reduce`, x, stride, 'valid', observe));
  y = bnRelu(`${prefix}_3x3`, conv(params, `${prefix}_3x3`, y, 1, 'same', observe));
  const increase = `${prefix}_1x1_increase`;
  y = batchNorm(params, `${increase}/bn`, conv(params, increase, y, 1, 'valid', observe), observe);
  if (params.architecture === 'senet50') y = squeezeExcite(params, prefix, y, observe);
  let shortcut = x;
  if (block.projection) {
    const proj = `${prefix}_1x1_proj`;
    shortcut = batchNorm(params, `${proj}/bn`, conv(params, proj, x, stride, 'valid', observe), observe);
  }
  const sum = tf.add(y, shortcut) as tf.Tensor4D;
  observe?.(`${prefix}/add`, sum);
  return relu(`${prefix}/out`, sum, observe);
}

function resnetFeatures(params: VggfaceParams, x: tf.Tensor4D, observe: LayerObserver | undefined) {
  let y = resnetStem(params, x, observe);
  for (const block of bottleneckBlocks()) y = bottleneck(params, block, y, observe);
  // keras-vggface hard-codes AveragePooling2D((7, 7)), equal to global pooling only at 224 input.
  y = tf.avgPool(y, 7, 7, 'valid');
  observe?.('avg_pool', y);
  return y;
}

/**
 * Preprocessed BGR batch [N,224,224,3] → embeddings [N,D] (GlobalAveragePooling2D, pooling='avg').
 * Pure tensor ops: run it inside tf.tidy.
 */
export function forward(params: VggfaceParams, bgr: tf.Tensor4D, observe?: LayerObserver): tf.Tensor2D {
  observe?.('input', bgr);
  const features =
    params.architecture === 'vgg16'
      ? vgg16Features(params, bgr, observe)
      : resnetFeatures(params, bgr, observe);
  const embedding = tf.mean(features, [1, 2]) as tf.Tensor2D;
  observe?.('embedding', embedding);
  return embedding;
}

function checkInput(rgb: tf.Tensor4D): void {
  const [n, h, w, c] = rgb.shape;
  if (rgb.rank !== 4 || n < 1 || h !== VGGFACE_INPUT_SIZE || w !== VGGFACE_INPUT_SIZE || c !== 3) {
    throw new Error(`vggface: expected an RGB batch [N,224,224,3], got [${rgb.shape}]`);
  }
}

/**
 * RGB 0..255 batch [N,224,224,3] → one embedding per image. The recipe's preprocessing (BGR, mean
 * subtraction of the architecture's version) is applied here. Tensors stay inside; callers get arrays.
 */
export async function embedBatch(
  params: VggfaceParams,
  rgb: tf.Tensor4D,
  observe?: LayerObserver,
): Promise<Float32Array[]> {
  checkInput(rgb);
  const { preprocessVersion, embeddingSize } = ARCHITECTURE_FACTS[params.architecture];
  const embeddings = tf.tidy(() => forward(params, preprocessInput(rgb, preprocessVersion), observe));
  try {
    const flat = await embeddings.data<'float32'>();
    return Array.from({ length: rgb.shape[0] }, (_, i) =>
      flat.slice(i * embeddingSize, (i + 1) * embeddingSize),
    );
  } finally {
    embeddings.dispose();
  }
}
